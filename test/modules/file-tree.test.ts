// file, stat, slurp, authorized_key, get_url (file:// only) and unarchive run for real on this machine.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'

const modeOf = (p: string): string => (statSync(p).mode & 0o7777).toString(8).padStart(4, '0')
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl postgres@node1'

describe('file on a real tree', () => {
  it('creates a directory with its mode, then plans nothing', async () => {
    const d = tempDir()
    const args = { path: `${d}/data/main`, state: 'directory', mode: '0700' }
    expect(planned(await onHost('file', args))).toEqual([`create directory ${d}/data/main (mode 0700)`])
    expect(modeOf(`${d}/data/main`)).toBe('0700')
    expect((await onHost('file', args)).plan.changes).toEqual([])
  })
  it('fixes modes below a directory with recurse, once', async () => {
    const d = tempDir()
    mkdirSync(`${d}/a/b`, { recursive: true })
    writeFileSync(`${d}/a/b/f`, 'x')
    chmodSync(`${d}/a`, 0o755)
    const args = { path: `${d}/a`, recurse: true, mode: '0750' }
    expect(planned(await onHost('file', args))).toEqual([`set mode 0750 on ${d}/a (recursively)`])
    expect(modeOf(`${d}/a/b/f`)).toBe('0750')
    expect((await onHost('file', args)).plan.changes).toEqual([])
  })
  it('makes, keeps and retargets a symlink; makes a hard link; touches and removes', async () => {
    const d = tempDir()
    writeFileSync(`${d}/v13`, '13')
    writeFileSync(`${d}/v15`, '15')
    await onHost('file', { path: `${d}/current`, src: `${d}/v13`, state: 'link' })
    expect(readlinkSync(`${d}/current`)).toBe(`${d}/v13`)
    expect((await onHost('file', { path: `${d}/current`, src: `${d}/v13` })).plan.changes).toEqual([])
    await onHost('file', { path: `${d}/current`, src: `${d}/v15`, state: 'link' })
    expect(readlinkSync(`${d}/current`)).toBe(`${d}/v15`)
    await onHost('file', { path: `${d}/hard`, src: `${d}/v15`, state: 'hard' })
    expect(statSync(`${d}/hard`).ino).toBe(statSync(`${d}/v15`).ino)
    expect((await onHost('file', { path: `${d}/hard`, src: `${d}/v15`, state: 'hard' })).plan.changes).toEqual([])
    await onHost('file', { path: `${d}/log`, state: 'touch', mode: '0640' })
    expect(modeOf(`${d}/log`)).toBe('0640')
    await onHost('file', { path: `${d}/current`, state: 'absent' })
    expect(() => lstatSync(`${d}/current`)).toThrow()
    expect(existsSync(`${d}/v15`)).toBe(true)
    expect((await onHost('file', { path: `${d}/current`, state: 'absent' })).plan.changes).toEqual([])
  })
})

describe('stat and slurp on real files', () => {
  it('reports what a playbook checks, and the content base64', async () => {
    const d = tempDir()
    writeFileSync(`${d}/PG_VERSION`, '15\n')
    const s = await onHost('stat', { path: `${d}/PG_VERSION` })
    expect(s.result.stat).toMatchObject({ exists: true, isreg: true, isdir: false, pw_name: 'root', size: 3, checksum: createHash('sha1').update('15\n').digest('hex') })
    expect((await onHost('stat', { path: `${d}/none` })).result.stat).toEqual({ exists: false })
    expect((await onHost('slurp', { src: `${d}/PG_VERSION` })).result.content).toBe(Buffer.from('15\n').toString('base64'))
  })
})

describe('authorized_key on a real file', () => {
  it('creates the directory and file with their modes, is idempotent, removes the key', async () => {
    const d = tempDir()
    const args = { user: 'root', key: KEY, path: `${d}/ssh/authorized_keys` }
    expect(planned(await onHost('authorized_key', args))).toEqual([
      `create directory ${d}/ssh (owner root, group root, mode 0700)`,
      `create ${d}/ssh/authorized_keys`,
    ])
    expect(readFileSync(`${d}/ssh/authorized_keys`, 'utf8')).toBe(`${KEY}\n`)
    expect([modeOf(`${d}/ssh`), modeOf(`${d}/ssh/authorized_keys`)]).toEqual(['0700', '0600'])
    expect((await onHost('authorized_key', args)).plan.changes).toEqual([])
    await onHost('authorized_key', { ...args, state: 'absent' })
    expect(readFileSync(`${d}/ssh/authorized_keys`, 'utf8')).toBe('')
  })
})

describe('get_url with a file:// URL (no network)', () => {
  it('downloads with checksum verification, then plans nothing; a wrong checksum fails and leaves no file', async () => {
    const d = tempDir()
    writeFileSync(`${d}/src.tar.gz`, 'archive bytes')
    const sum = createHash('sha256').update('archive bytes').digest('hex')
    const args = { url: `file://${d}/src.tar.gz`, dest: `${d}/out/`, checksum: `sha256:${sum}`, mode: '0640' }
    mkdirSync(`${d}/out`)
    expect(planned(await onHost('get_url', args))).toEqual([`download file://${d}/src.tar.gz to ${d}/out/src.tar.gz`])
    expect(readFileSync(`${d}/out/src.tar.gz`, 'utf8')).toBe('archive bytes')
    expect(modeOf(`${d}/out/src.tar.gz`)).toBe('0640')
    expect((await onHost('get_url', args)).plan.changes).toEqual([])
    await expect(onHost('get_url', { ...args, dest: `${d}/bad`, checksum: `sha256:${'0'.repeat(64)}` })).rejects.toThrow('checksum mismatch')
    expect(existsSync(`${d}/bad`)).toBe(false)
    const force = await onHost('get_url', { url: `file://${d}/src.tar.gz`, dest: `${d}/out/src.tar.gz`, force: true })
    expect(force.plan.unpredictable).toBe(true)
    expect(force.result.changed).toBe(false)
  })
})

describe('unarchive on this machine', () => {
  it('uploads and unpacks a controller tarball once, owned as asked, and cleans up the upload', async () => {
    const project = tempDir()
    mkdirSync(`${project}/files/app/bin`, { recursive: true })
    writeFileSync(`${project}/files/app/bin/run`, 'echo hi\n')
    execFileSync('tar', ['-C', `${project}/files`, '-czf', `${project}/files/app.tar.gz`, 'app'])
    const d = tempDir()
    const args = { src: 'app.tar.gz', dest: d, owner: 'root' }
    const first = await onHost('unarchive', args, { project })
    expect(planned(first)).toEqual(['upload app.tar.gz to the host', `unpack app.tar.gz into ${d} (3 missing entries)`])
    expect(readFileSync(`${d}/app/bin/run`, 'utf8')).toBe('echo hi\n')
    const upload = (first.plan.changes[0].data as { path: string }).path
    expect(existsSync(upload)).toBe(false)
    expect((await onHost('unarchive', args, { project })).plan.changes).toEqual([])
  })
  it('unpacks an archive already on the host with --strip-components, then plans nothing', async () => {
    const d = tempDir()
    mkdirSync(`${d}/pkg-1.0/src`, { recursive: true })
    writeFileSync(`${d}/pkg-1.0/configure`, '#!/bin/sh\n')
    execFileSync('tar', ['-C', d, '-czf', `${d}/pkg.tar.gz`, 'pkg-1.0'])
    mkdirSync(`${d}/build`)
    const args = { src: `${d}/pkg.tar.gz`, dest: `${d}/build`, remote_src: true, extra_opts: ['--strip-components=1'] }
    await onHost('unarchive', args)
    expect(existsSync(`${d}/build/configure`)).toBe(true)
    expect((await onHost('unarchive', args)).plan.changes).toEqual([])
  })
})
