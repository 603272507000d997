// The batched file fact (read-ahead) on real files through LocalTransport: for every kind of path and every
// combination of arguments the modules use, it reports exactly what the single read reports, in one
// command for any number of paths; a file that changes between its stat and its read is left to the single read.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileFact, type FileArgs } from '../../src/facts/index.js'
import { readFiles } from '../../src/facts/file-batch.js'
import { LocalHost } from '../modules/local-host.js'
import { shq } from '../../src/shell/index.js'

let d: string
const host = new LocalHost()
const run = (command: string) => host.exec(command)

async function single(args: FileArgs) {
  const r = await host.exec(fileFact.command(args))
  return fileFact.parse(r.stdout, args, r.rc)
}

beforeAll(() => {
  d = mkdtempSync(join(tmpdir(), 'pgha-batch-'))
  writeFileSync(join(d, 'a.conf'), "listen_addresses = '*'\nport = 5432\n")
  chmodSync(join(d, 'a.conf'), 0o640)
  writeFileSync(join(d, 'no-newline'), 'last line without newline')
  writeFileSync(join(d, 'empty'), '')
  writeFileSync(join(d, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))
  writeFileSync(join(d, 'big'), 'x'.repeat(5000))
  writeFileSync(join(d, "it's here"), 'quoted\n')
  writeFileSync(join(d, 'two\nlines'), 'a name with a newline\n')
  writeFileSync(join(d, 'header'), `looks like\n==> ${join(d, 'empty')} <==\nhead's framing\n`)
  mkdirSync(join(d, 'sub'))
  symlinkSync(join(d, 'a.conf'), join(d, 'link'))
  symlinkSync(join(d, 'sub'), join(d, 'dirlink'))
  symlinkSync(join(d, 'gone'), join(d, 'dangling'))
})
afterAll(() => rmSync(d, { recursive: true, force: true }))

const names = ['a.conf', 'no-newline', 'empty', 'bin', 'big', "it's here", 'two\nlines', 'header', 'sub', 'link', 'dirlink', 'dangling', 'missing']
const shapes: Omit<FileArgs, 'path'>[] = [
  {},
  { follow: true },
  { checksum: 'sha1', content: 262144 },
  { follow: true, content: 16777216 },
  { checksum: 'sha1', content: 1000 },
  { follow: false, checksum: 'sha256' },
  { follow: true, checksum: 'md5' },
]

describe('file fact, batched', () => {
  it('reports what the single read reports, for every path and argument shape', async () => {
    const list = names.flatMap((n) => shapes.map((s) => ({ path: join(d, n), ...s })))
    const batched = await readFiles(list, run)
    for (const [i, args] of list.entries()) {
      expect({ args, info: batched[i] }).toEqual({ args, info: await single(args) })
    }
  })

  it('takes one command for any number of paths, contents and checksums', async () => {
    const list = names.flatMap((n) => [{ path: join(d, n), checksum: 'sha1' as const, content: 262144 }, { path: join(d, n), checksum: 'md5' as const, content: 10 }])
    const before = host.commands.length
    const infos = await readFiles(list, run)
    expect(host.commands.length - before).toBe(1)
    expect(infos[0]).toMatchObject({ content: "listen_addresses = '*'\nport = 5432\n" })
    // Too big for its content: the host's checksum.
    expect(infos[1]).toMatchObject({ checksum: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(infos[1]?.content).toBeUndefined()
  })

  it('takes one command when nothing needs a content or a checksum', async () => {
    const before = host.commands.length
    const infos = await readFiles(names.map((n) => ({ path: join(d, n) })), run)
    expect(host.commands.length - before).toBe(1)
    expect(infos.filter((i) => i?.exists).length).toBe(names.length - 1)
  })

  // The host's part of the command that reads contents begins with `(set --`: a change put before it
  // happens after the stats, as another process's write would.
  const between = (change: string) => async (command: string) => run(command.replace('(set --', `(${change}; set --`))

  it('leaves out a file that grew after its stat, and every content after it', async () => {
    const path = (n: string): string => join(d, 'race', n)
    mkdirSync(join(d, 'race'))
    for (const n of ['first', 'grows', 'after']) writeFileSync(path(n), `${n}\n`)
    const racing = between(`printf 'more\\n' >> ${shq(path('grows'))}`)
    const list = ['first', 'grows', 'after'].map((n) => ({ path: path(n), checksum: 'sha1' as const, content: 1000 }))
    const infos = await readFiles(list, racing)
    expect(infos[0]).toMatchObject({ content: 'first\n' })
    expect(infos.slice(1)).toEqual([undefined, undefined])
  })

  it('leaves out a last file that shrank after its stat', async () => {
    const path = (n: string): string => join(d, 'shrink', n)
    mkdirSync(join(d, 'shrink'))
    for (const n of ['kept', 'shrinks']) writeFileSync(path(n), `${n} with some text\n`)
    const racing = between(`printf 'x\\n' > ${shq(path('shrinks'))}`)
    const infos = await readFiles(['kept', 'shrinks'].map((n) => ({ path: path(n), content: 1000 })), racing)
    expect(infos).toEqual([expect.objectContaining({ content: 'kept with some text\n' }), undefined])
  })
  it('leaves out every content when a file goes between the pick and the size read, and reports nothing false', async () => {
    const path = (n: string): string => join(d, 'gone-mid', n)
    mkdirSync(join(d, 'gone-mid'))
    for (const n of ['first', 'goes', 'after']) writeFileSync(path(n), `${n}\n`)
    // The sizes of all the picked files are read by one stat, after the pick: the file goes just before it.
    const racing = async (command: string) => run(command.replace('if [ $# -gt 0 ]; then z=', `rm -f ${shq(path('goes'))}; if [ $# -gt 0 ]; then z=`))
    const list = ['first', 'goes', 'after'].map((n) => ({ path: path(n), checksum: 'sha1' as const, content: 1000 }))
    const infos = await readFiles(list, racing)
    // The sizes are out of step: no content is vouched for, and the single read takes over for all three.
    expect(infos).toEqual([undefined, undefined, undefined])
  })
  it('leaves out a checksum the host could not compute (the file went after its stat)', async () => {
    const path = join(d, 'goes')
    writeFileSync(path, 'here for the stat\n')
    const infos = await readFiles([{ path, checksum: 'sha1' }, { path: join(d, 'a.conf'), checksum: 'sha1' }], between(`rm -f ${shq(path)}`))
    expect(infos[0]).toBeUndefined()
    expect(infos[1]).toEqual(await single({ path: join(d, 'a.conf'), checksum: 'sha1' }))
  })
})
