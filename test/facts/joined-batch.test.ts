// Joined read-ahead on this machine through LocalTransport: facts of different kinds read in one command
// give exactly what their single reads give, whatever their output (no trailing newline, an early `exit`,
// a non-zero exit code); one whose output does not parse is left to the single read, which names why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FactError } from '../../src/errors.js'
import { authorizedKeysFact, FactCache, groupFact, userFact, type FactDef, type FactRead } from '../../src/facts/index.js'
import { JoinedOutputLost, joiningRunner, readJoined } from '../../src/facts/joined-batch.js'
import { LocalHost } from '../modules/local-host.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-joined-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Prints its arg without a newline and exits with the code in it (`text:rc`); parse refuses `bad`. */
const raw: FactDef<string, { text: string; rc: number }> = {
  name: 'raw_test',
  batch: 'joined',
  command: (arg) => `printf %s '${arg.split(':')[0]}'; exit ${arg.split(':')[1] ?? 0}`,
  parse(stdout, _arg, rc) {
    if (stdout === 'bad') throw new Error('refused bad output')
    return { text: stdout, rc }
  },
}

async function single<A, T>(host: LocalHost, def: FactDef<A, T>, args: A): Promise<T> {
  const r = await host.exec(def.command(args))
  return def.parse(r.stdout, args, r.rc)
}

describe('joined read-ahead', () => {
  it('gives each fact of each kind what its single read gives, in one command', async () => {
    writeFileSync(join(dir, 'keys'), 'ssh-ed25519 AAAA me@there\n')
    const reads: FactRead[] = [
      { def: userFact, args: { name: 'root' } },
      { def: userFact, args: { name: 'no-such-user-here' } },
      { def: groupFact, args: { name: 'root' } },
      { def: authorizedKeysFact, args: { user: 'root', path: join(dir, 'keys') } },
      { def: raw, args: 'no newline:0' },
      { def: raw, args: 'failed:3' },
    ]
    const host = new LocalHost()
    const joiner = joiningRunner((c) => host.exec(c))
    const reading = readJoined(reads, joiner.run)
    joiner.flush()
    const values = await reading
    expect(host.commands).toHaveLength(1)
    const singles = []
    for (const r of reads) singles.push(await single(host, r.def, r.args))
    expect(values).toEqual(singles)
    expect(values[4]).toEqual({ text: 'no newline', rc: 0 })
    expect(values[5]).toEqual({ text: 'failed', rc: 3 })
  })

  it('gives each command joined its own output and exit code, and refuses those cut short', async () => {
    const host = new LocalHost()
    // The output stops within the third's (the command was cut short, the connection dropped): the third
    // and the fourth have no closing line.
    const cut = async (c: string) => {
      const r = await host.exec(c)
      const at = r.stdout.indexOf('three')
      return at < 0 ? r : { ...r, stdout: r.stdout.slice(0, at) }
    }
    const joiner = joiningRunner(cut)
    const runs = ['printf one', 'echo two; printf err >&2; exit 4', 'echo three', 'echo four'].map((c) => joiner.run(c).catch((e: unknown) => e))
    joiner.flush()
    const [one, two, three, four] = await Promise.all(runs)
    expect(host.commands).toHaveLength(1)
    expect(one).toEqual({ rc: 0, stdout: 'one', stderr: '' })
    expect(two).toEqual({ rc: 4, stdout: 'two\n', stderr: 'err' })
    expect(three).toBeInstanceOf(JoinedOutputLost)
    expect(four).toBeInstanceOf(JoinedOutputLost)
    // After the flush, a command runs as it comes, alone.
    expect(await joiner.run('echo later')).toMatchObject({ rc: 0, stdout: 'later\n' })
    expect(host.commands).toEqual([expect.stringContaining('printf one'), 'echo later'])
  })

  it("fails fact gathering's script that shares the trip with what it said on stderr", async () => {
    const setup: FactDef<Record<string, never>, string> = {
      name: 'setup_test',
      anyUser: true,
      command: () => `echo 'cannot read /etc/os-release' >&2; exit 2`,
      parse(stdout, _args, rc) {
        if (rc !== 0) throw new Error('the setup script failed')
        return stdout
      },
    }
    const host = new LocalHost()
    const cache = new FactCache('hostA')
    // As gathering runs: its script and the first tasks' reads (which say nothing on stderr) in one command.
    const joiner = joiningRunner((c) => host.exec(c))
    const gathered = cache.get(setup, {}, joiner.run, '').catch((e: unknown) => e)
    const ahead = cache.readAhead([{ def: raw, args: 'quiet:0' }], (c) => joiner.run(c), '')
    joiner.flush()
    const err = await gathered
    await ahead
    expect(host.commands).toHaveLength(1)
    expect(err).toBeInstanceOf(FactError)
    expect((err as Error).message).toContain('the setup script failed (the command exited 2: cannot read /etc/os-release)')
  })

  it('leaves an output that does not parse to the single read, which fails naming the fact', async () => {
    const host = new LocalHost()
    const cache = new FactCache('hostA')
    const run = (c: string) => host.exec(c)
    await cache.readAhead([{ def: raw, args: 'good:0' }, { def: raw, args: 'bad:0' }], run, '')
    // The batch, then the single read of the one it could not vouch for.
    expect(host.commands).toEqual([expect.stringContaining("printf %s 'good'"), raw.command('bad:0')])
    expect(await cache.get(raw, 'good:0', run, '')).toEqual({ text: 'good', rc: 0 })
    const err = await cache.get(raw, 'bad:0', run, '').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FactError)
    expect(String((err as Error).message)).toContain('refused bad output')
  })
})
