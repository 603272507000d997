// fetch from this machine (LocalTransport) into a controller directory: DEST/<host>/<src> and flat, the
// second run changes nothing, the file's bytes and mode, and the refusals that keep the write inside DEST:
// a symbolic link inside it, a src or host name with '..'.
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, tempDir } from './file-host.js'

describe('fetch to the controller', () => {
  it('writes DEST/<host>/<src> with the bytes of the host file, then reports it unchanged', async () => {
    const host = tempDir()
    const dest = tempDir()
    const src = `${host}/etc/pg.conf`
    mkdirSync(`${host}/etc`)
    writeFileSync(src, Buffer.from([0, 1, 2, 255, 10]))
    const first = await onHost('fetch', { src, dest }, { vars: { inventory_hostname: 'db1' } })
    const out = `${dest}/db1${src}`
    expect(first.result).toMatchObject({ dest: out, checksum: first.result.remote_checksum, remote_md5sum: null })
    expect(readFileSync(out)).toEqual(Buffer.from([0, 1, 2, 255, 10]))
    expect((statSync(out).mode & 0o777).toString(8)).toBe('644')
    expect(readdirSync(`${dest}/db1${host}/etc`)).toEqual(['pg.conf'])
    const second = await onHost('fetch', { src, dest }, { vars: { inventory_hostname: 'db1' } })
    expect(second.plan.changes).toEqual([])
    expect(second.result).toMatchObject({ dest: out, file: src, checksum: first.result.checksum })
  })
  it('with flat writes dest itself, or into a directory named with a trailing slash', async () => {
    const host = tempDir()
    const dest = tempDir()
    writeFileSync(`${host}/a.txt`, 'A\n')
    await onHost('fetch', { src: `${host}/a.txt`, dest: `${dest}/copy.txt`, flat: true })
    expect(readFileSync(`${dest}/copy.txt`, 'utf8')).toBe('A\n')
    await onHost('fetch', { src: `${host}/a.txt`, dest: `${dest}/sub/`, flat: 'yes' })
    expect(readFileSync(`${dest}/sub/a.txt`, 'utf8')).toBe('A\n')
    await expect(onHost('fetch', { src: `${host}/a.txt`, dest: `${dest}/sub`, flat: true })).rejects.toThrow(/dest is an existing directory/)
  })
  it('does not write in check mode, and fails or not on a missing file as fail_on_missing says', async () => {
    const host = tempDir()
    const dest = tempDir()
    writeFileSync(`${host}/a.txt`, 'A\n')
    const check = await onHost('fetch', { src: `${host}/a.txt`, dest }, { check: true, vars: { inventory_hostname: 'h' } })
    expect(check.plan.changes).toHaveLength(1)
    expect(readdirSync(dest)).toEqual([])
    await expect(onHost('fetch', { src: `${host}/none`, dest })).rejects.toThrow('the remote file does not exist, not transferring')
    const ignored = await onHost('fetch', { src: `${host}/none`, dest, fail_on_missing: false })
    expect(ignored.result.msg).toBe('the remote file does not exist, not transferring, ignored')
    await expect(onHost('fetch', { src: host, dest })).rejects.toThrow('remote file is a directory, fetch cannot work on directories')
  })
  it('never follows a symbolic link inside dest, and refuses .. in src or the host name', async () => {
    const host = tempDir()
    const dest = tempDir()
    const outside = tempDir()
    writeFileSync(`${host}/a.txt`, 'A\n')
    symlinkSync(outside, `${dest}/h`)
    await expect(onHost('fetch', { src: `${host}/a.txt`, dest }, { vars: { inventory_hostname: 'h' } })).rejects.toThrow(/is a symbolic link inside/)
    expect(readdirSync(outside)).toEqual([])
    mkdirSync(`${dest}/h2${host}`, { recursive: true })
    symlinkSync(`${outside}/stolen`, `${dest}/h2${host}/a.txt`)
    await expect(onHost('fetch', { src: `${host}/a.txt`, dest }, { vars: { inventory_hostname: 'h2' } })).rejects.toThrow(/is a symbolic link inside/)
    expect(existsSync(`${outside}/stolen`)).toBe(false)
    await expect(onHost('fetch', { src: `${host}/../${host.split('/').pop()}/a.txt`, dest }, { vars: { inventory_hostname: 'h3' } })).rejects.toThrow(/'\.\.' would leave it/)
    await expect(onHost('fetch', { src: `${host}/a.txt`, dest }, { vars: { inventory_hostname: '..' } })).rejects.toThrow(/cannot be a directory name/)
    expect(readdirSync(outside)).toEqual([])
  })
})
