// The file facts' real commands run on this Debian box (through LocalTransport), so the sh snippets and
// their parsers are proven together.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { authorizedKeysFact, archiveListFact, fileFact, missingFact, slurpFact, treeFact, type FactDef } from '../../src/facts/index.js'
import { LocalTransport } from '../../src/transport/index.js'

const host = new LocalTransport({ host: 'localhost' })
async function read<A, T>(def: FactDef<A, T>, args: A): Promise<T> {
  const r = await host.exec(def.command(args))
  return def.parse(r.stdout, args, r.rc)
}

let d: string
beforeAll(() => {
  d = mkdtempSync(join(tmpdir(), 'pgha-fact-'))
  writeFileSync(join(d, 'a.conf'), "listen_addresses = '*'\nport = 5432\n")
  chmodSync(join(d, 'a.conf'), 0o640)
  writeFileSync(join(d, 'bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))
  writeFileSync(join(d, "it's here"), 'quoted\n')
  mkdirSync(join(d, 'sub/deeper'), { recursive: true })
  symlinkSync(join(d, 'a.conf'), join(d, 'link'))
  symlinkSync(join(d, 'gone'), join(d, 'dangling'))
})

describe('file fact on real files', () => {
  it('reads type, mode, owner, size, sha1 and text of a regular file in one command', async () => {
    const f = await read(fileFact, { path: join(d, 'a.conf'), checksum: 'sha1', content: 1024 })
    expect(f).toMatchObject({ exists: true, type: 'file', mode: '0640', owner: 'root', group: 'root', uid: 0, size: 35 })
    expect(f.checksum).toBe(createHash('sha1').update("listen_addresses = '*'\nport = 5432\n").digest('hex'))
    expect(f.content).toBe("listen_addresses = '*'\nport = 5432\n")
  })
  it('skips the content of a file larger than asked, and marks binary content', async () => {
    expect((await read(fileFact, { path: join(d, 'a.conf'), content: 10 })).content).toBeUndefined()
    const bin = await read(fileFact, { path: join(d, 'bin'), content: 1024, checksum: 'sha256' })
    expect(bin).toMatchObject({ binary: true, size: 7 })
    expect(bin.checksum).toHaveLength(64)
  })
  it('reports a missing path, a directory, and a path with a quote', async () => {
    expect(await read(fileFact, { path: join(d, 'nope') })).toEqual({ path: join(d, 'nope'), exists: false, type: 'absent' })
    expect(await read(fileFact, { path: join(d, 'sub') })).toMatchObject({ type: 'directory' })
    expect(await read(fileFact, { path: join(d, "it's here"), content: 100 })).toMatchObject({ content: 'quoted\n' })
  })
  it('reports a link as a link with its target, or its target with follow', async () => {
    const l = await read(fileFact, { path: join(d, 'link') })
    expect(l).toMatchObject({ type: 'link', target: join(d, 'a.conf'), realpath: join(d, 'a.conf') })
    expect(await read(fileFact, { path: join(d, 'link'), follow: true, content: 100 })).toMatchObject({ type: 'file', mode: '0640', realpath: join(d, 'a.conf') })
    expect(await read(fileFact, { path: join(d, 'dangling'), follow: true })).toMatchObject({ type: 'link', target: join(d, 'gone') })
  })
})

describe('tree, missing paths, archive listing, slurp and authorized_keys facts', () => {
  it('lists entries whose owner or mode differ', async () => {
    const t = await read(treeFact, { path: join(d, 'sub'), owner: 'root', mode: '0755' })
    expect(t.count).toBe(0)
    chmodSync(join(d, 'sub/deeper'), 0o700)
    expect(await read(treeFact, { path: join(d, 'sub'), mode: '0755' })).toEqual({ differing: [join(d, 'sub/deeper')], count: 1 })
    await expect(read(treeFact, { path: join(d, 'sub'), owner: 'no-such-user-pgha' })).rejects.toThrow('cannot walk')
  })
  it('says which paths are missing, and when the base is not a directory', async () => {
    expect(await read(missingFact, { base: d, paths: ['a.conf', 'sub/deeper', 'x/y', "it's here"] })).toEqual({ dirExists: true, missing: ['x/y'] })
    expect(await read(missingFact, { base: join(d, 'nope'), paths: ['a'] })).toEqual({ dirExists: false, missing: [] })
  })
  it('lists a tar archive on the host', async () => {
    await host.exec(`cd ${d} && tar -czf t.tgz sub`)
    expect(await read(archiveListFact, { src: join(d, 't.tgz') })).toEqual(['sub/', 'sub/deeper/'])
    await expect(read(archiveListFact, { src: join(d, 'none.tgz') })).rejects.toThrow('cannot list archive')
  })
  it('slurps any file as base64', async () => {
    expect(await read(slurpFact, { path: join(d, 'bin') })).toEqual({ exists: true, base64: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]).toString('base64') })
    expect(await read(slurpFact, { path: join(d, 'nope') })).toEqual({ exists: false })
  })
  it("reads a user's home, group, key directory and key file together", async () => {
    const k = await read(authorizedKeysFact, { user: 'root', path: join(d, 'sub/keys') })
    expect(k).toMatchObject({ userExists: true, home: '/root', group: 'root', path: join(d, 'sub/keys') })
    expect(k.dir).toMatchObject({ type: 'directory', path: join(d, 'sub') })
    expect(k.file).toMatchObject({ exists: false })
    const dflt = await read(authorizedKeysFact, { user: 'root' })
    expect(dflt.path).toBe('/root/.ssh/authorized_keys')
    expect((await read(authorizedKeysFact, { user: 'no-such-user-pgha' })).userExists).toBe(false)
  })
})
