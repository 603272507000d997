// The fact cache's read-ahead: facts read in one batch serve the later reads without a command, a result
// the batch could not vouch for is read singly, and dropping read-ahead forgets only what was read ahead.
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { FactError, UnreachableError } from '../../src/errors.js'
import { FactCache, type FactDef } from '../../src/facts/index.js'
import { VOLATILE_SHARE_MS } from '../../src/facts/cache.js'
import type { ExecResult } from '../../src/transport/types.js'

/** A fact whose value is `value of ARG`; its batch vouches for every arg except 'unsure'. */
function fact(batch = true): FactDef<string, string> & { batches: string[][] } {
  const batches: string[][] = []
  return {
    name: 'echo',
    command: (arg) => `echo ${arg}`,
    parse: (stdout) => stdout,
    batches,
    ...(batch && {
      batch: async (list: string[]) => {
        batches.push(list)
        return list.map((a) => (a === 'unsure' ? undefined : `value of ${a}`))
      },
    }),
  }
}

function host(): { commands: string[]; run: (command: string) => Promise<ExecResult> } {
  const commands: string[] = []
  return { commands, run: async (command) => (commands.push(command), { rc: 0, stdout: `single ${command.slice(5)}`, stderr: '' }) }
}

/** A fresh cache, the batchable fact, a recording host, and `reads('a', 'b')` for that fact's reads. */
function setup() {
  const def = fact()
  return { cache: new FactCache(), def, h: host(), reads: (...args: string[]) => args.map((a) => ({ def, args: a })) }
}

describe('FactCache read-ahead', () => {
  it('reads what is not cached in one batch, and later reads run no command', async () => {
    const { cache, def, h, reads } = setup()
    expect(await cache.get(def, 'a', h.run, '')).toBe('single a')
    await cache.readAhead(reads('a', 'b', 'c'), h.run, '')
    expect(def.batches).toEqual([['b', 'c']])
    expect([await cache.get(def, 'b', h.run, ''), await cache.get(def, 'c', h.run, '')]).toEqual(['value of b', 'value of c'])
    expect(h.commands).toEqual(['echo a'])
  })

  it('reads nothing ahead when fewer than the minimum are missing', async () => {
    const { cache, def, h, reads } = setup()
    await cache.get(def, 'a', h.run, '')
    await cache.readAhead(reads('a', 'b', 'b'), h.run, '', 2)
    expect(def.batches).toEqual([])
    await cache.readAhead(reads('b', 'c'), h.run, '', 2)
    expect(def.batches).toEqual([['b', 'c']])
  })

  it('reads singly what the batch cannot vouch for', async () => {
    const { cache, def, h, reads } = setup()
    await cache.readAhead(reads('unsure', 'b'), h.run, '')
    expect(await cache.get(def, 'unsure', h.run, '')).toBe('single unsure')
    expect(h.commands).toEqual(['echo unsure'])
  })

  it('drops what was read ahead, and keeps what was read for a task', async () => {
    const { cache, def, h, reads } = setup()
    await cache.get(def, 'a', h.run, '')
    await cache.readAhead(reads('b'), h.run, '')
    cache.dropReadAhead()
    expect(cache.has(def, 'a', '')).toBe(true)
    expect(cache.has(def, 'b', '')).toBe(false)
    expect(await cache.get(def, 'b', h.run, '')).toBe('single b')
  })

  it('leaves facts without a batch to their single read, and keys by become user', async () => {
    const cache = new FactCache()
    const plain = fact(false)
    const def = fact()
    const h = host()
    await cache.readAhead([{ def: plain, args: 'x' }, { def, args: 'y' }], h.run, 'postgres')
    expect(cache.has(plain, 'x', 'postgres')).toBe(false)
    expect(cache.has(def, 'y', 'postgres')).toBe(true)
    expect(cache.has(def, 'y', '')).toBe(false)
  })
})

describe('FactCache: a fact that cannot be read', () => {
  /** A fact whose parser refuses output that does not start with `ok`. */
  const picky: FactDef<string, string> = {
    name: 'picky',
    command: (arg) => `read ${arg}`,
    parse: (stdout, arg) => {
      if (!stdout.startsWith('ok')) throw new Error(`no answer for ${arg}`)
      return stdout
    },
  }

  it('fails with a FactError naming the fact, the host, the exit code and the end of stderr', async () => {
    const cache = new FactCache('db1')
    const run = async () => ({ rc: 2, stdout: '', stderr: 'first\nsh: read: Permission denied\n' })
    const err = await cache.get(picky, 'x', run, '').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FactError)
    expect(err).toMatchObject({ code: 'task', fact: 'picky', host: 'db1' })
    expect((err as Error).message).toBe('cannot read the picky fact on db1: no answer for x (the command exited 2: first; sh: read: Permission denied)')
  })

  it('says the exit code when stderr is empty, and is read again on the next use', async () => {
    const cache = new FactCache('db1')
    let answer = { rc: 1, stdout: '', stderr: '' }
    const run = async () => answer
    await expect(cache.get(picky, 'x', run, '')).rejects.toThrow('cannot read the picky fact on db1: no answer for x (the command exited 1)')
    answer = { rc: 0, stdout: 'ok', stderr: '' }
    expect(await cache.get(picky, 'x', run, '')).toBe('ok')
  })

  it('lets a transport error through as it is (an unreachable host is not a failed fact)', async () => {
    const cache = new FactCache('db1')
    const down = new UnreachableError('db1', 'connection reset')
    await expect(cache.get(picky, 'x', async () => { throw down }, '')).rejects.toBe(down)
  })

  it('serves a volatile fact read ahead to one plan only, keeps no single read, and drops it for another host', async () => {
    const { cache, h, reads } = setup()
    const def = Object.assign(reads('x')[0].def, { volatile: true })
    await cache.readAhead(reads('a', 'b'), h.run, '')
    expect(await cache.get(def, 'a', h.run, '')).toBe('value of a')
    // A retry asks again: the value read ahead served the first plan.
    expect(await cache.get(def, 'a', h.run, '')).toBe('single a')
    expect(await cache.get(def, 'a', h.run, '')).toBe('single a')
    expect(h.commands).toEqual(['echo a', 'echo a'])
    // Something applied on another host: what was read ahead here is read again.
    cache.dropVolatile()
    expect(await cache.get(def, 'b', h.run, '')).toBe('single b')
  })

  it('serves a fresh volatile fact once to each plan, and reads again for a plan that asks twice', async () => {
    const { cache, h, reads } = setup()
    const def = Object.assign(reads('x')[0].def, { volatile: true })
    const [first, second, third] = [{}, {}, {}]
    await cache.readAhead(reads('a'), h.run, '')
    expect(await cache.get(def, 'a', h.run, '', first)).toBe('value of a')
    expect(cache.has(def, 'a', '')).toBe(true)
    expect(await cache.get(def, 'a', h.run, '', second)).toBe('value of a')
    expect(h.commands).toEqual([])
    // The same plan again (a retry, the next loop item): it reads what the cluster says now, and that
    // read serves the plans after it in turn.
    expect(await cache.get(def, 'a', h.run, '', second)).toBe('single a')
    expect(cache.has(def, 'a', '')).toBe(true)
    expect(await cache.get(def, 'a', h.run, '', third)).toBe('single a')
    expect(await cache.get(def, 'a', h.run, '', third)).toBe('single a')
    expect(h.commands).toEqual(['echo a', 'echo a'])
  })

  it('reads a volatile fact again for a later plan once the value read ahead is older than the bound', async () => {
    const { cache, h, reads } = setup()
    const def = Object.assign(reads('x')[0].def, { volatile: true })
    let now = 1000
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    onTestFinished(() => {
      vi.restoreAllMocks()
    })
    await cache.readAhead(reads('a', 'b'), h.run, '')
    now += VOLATILE_SHARE_MS
    expect(await cache.get(def, 'a', h.run, '', {})).toBe('value of a')
    expect(await cache.get(def, 'a', h.run, '', {})).toBe('value of a')
    now += 1
    // The first plan still takes what was read ahead for it, however old (as before the bound).
    expect(cache.has(def, 'b', '')).toBe(true)
    expect(await cache.get(def, 'b', h.run, '', {})).toBe('value of b')
    expect(cache.has(def, 'a', '')).toBe(false)
    expect(await cache.get(def, 'a', h.run, '', {})).toBe('single a')
    expect(cache.has(def, 'b', '')).toBe(false)
    expect(await cache.get(def, 'b', h.run, '', {})).toBe('single b')
    expect(h.commands).toEqual(['echo a', 'echo b'])
  })

  it('keeps no volatile value read ahead for any plan once something is applied on any host', async () => {
    const { cache, h, reads } = setup()
    const def = Object.assign(reads('x')[0].def, { volatile: true })
    await cache.readAhead(reads('a', 'b'), h.run, '')
    expect(await cache.get(def, 'a', h.run, '', {})).toBe('value of a')
    cache.dropVolatile()
    expect(await cache.get(def, 'a', h.run, '', {})).toBe('single a')
    await cache.readAhead(reads('b'), h.run, '')
    expect(await cache.get(def, 'b', h.run, '', {})).toBe('value of b')
    cache.dropReadAhead()
    expect(await cache.get(def, 'b', h.run, '', {})).toBe('single b')
    expect(h.commands).toEqual(['echo a', 'echo b'])
  })

  it('keeps what was read ahead of a steady fact when something is applied on another host', async () => {
    const { cache, def, h } = setup()
    const volatile = { ...fact(), name: 'echo_volatile', volatile: true }
    await cache.readAhead([{ def, args: 'a' }, { def: volatile, args: 'b' }], h.run, '')
    cache.dropVolatile()
    expect(await cache.get(def, 'a', h.run, '')).toBe('value of a')
    expect(await cache.get(volatile, 'b', h.run, '')).toBe('single b')
    expect(h.commands).toEqual(['echo b'])
  })
})
