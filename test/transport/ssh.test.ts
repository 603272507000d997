// SshTransport running commands and moving files through a private sshd on 127.0.0.1 (started per
// file, root login with a temp key).
import { execFileSync } from 'node:child_process'
import { chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SshTransport } from '../../src/transport/index.js'
import { PghaError, TimeoutError, UnreachableError } from '../../src/errors.js'
import { haveSshd, startSshd, type TestSshd } from './sshd.js'

const NOBODY = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }))

describe.skipIf(!haveSshd)('SshTransport on a private sshd', () => {
  let sshd: TestSshd
  let t: SshTransport
  let work: string
  beforeAll(async () => {
    sshd = await startSshd()
    t = new SshTransport(sshd.spec())
    await t.connect()
    work = join(sshd.dir, 'work')
    mkdirSync(work)
    execFileSync('chmod', ['0755', sshd.dir, work]) // nobody must reach its own directory below
  })
  afterAll(async () => {
    await t?.close()
    sshd?.stop()
  })

  it('runs commands with exact rc, stdout and stderr', async () => {
    expect(await t.exec(`printf 'a\\nb'; echo oops >&2; exit 5`)).toEqual({ rc: 5, stdout: 'a\nb', stderr: 'oops\n' })
    expect((await t.exec('wc -c', { stdin: Buffer.from([0, 1, 2, 255]) })).stdout.trim()).toBe('4')
  })

  it('runs 200 sequential commands through one shell', async () => {
    const before = t.roundTrips
    const shellPid = (await t.exec('echo $$')).stdout
    for (let i = 0; i < 200; i++) {
      const r = await t.exec(`echo ${i}; echo $$`)
      expect(r.stdout).toBe(`${i}\n${shellPid}`)
    }
    expect(t.roundTrips - before).toBe(201)
  })

  it('applies env and cwd to one command only', async () => {
    expect((await t.exec('pwd; echo "$GREETING"', { cwd: work, env: { GREETING: "it's $HOME" } })).stdout).toBe(`${work}\nit's $HOME\n`)
    expect((await t.exec('pwd; echo "${GREETING:-unset}"')).stdout).not.toContain(work)
  })

  it('kills a command on timeout, reports it, and keeps the shell usable', async () => {
    const shellPid = (await t.exec('echo $$')).stdout
    const err = await t.exec('sleep 41.5; echo never', { timeoutMs: 500 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect((err as Error).message).toBe('command timed out after 0.5s: sleep 41.5; echo never')
    expect((await t.exec('echo $$')).stdout).toBe(shellPid)
    expect((await t.exec(`pgrep -f 'sleep 41.5' || echo none`)).stdout).toBe('none\n')
  })

  it('writes a new file atomically with 0644, then keeps an existing file owner and mode', async () => {
    const path = join(work, 'conf')
    const trips = t.roundTrips
    await t.writeFile(path, 'one\n')
    expect(t.roundTrips - trips).toBe(1)
    expect(readFileSync(path, 'utf8')).toBe('one\n')
    expect(statSync(path).mode & 0o777).toBe(0o644)
    execFileSync('chmod', ['0600', path])
    chownSync(path, NOBODY, NOBODY)
    const { backupPath } = await t.writeFile(path, 'two\n', { backup: true })
    expect(readFileSync(path, 'utf8')).toBe('two\n')
    expect(statSync(path)).toMatchObject({ uid: NOBODY, mode: expect.any(Number) })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(backupPath).toMatch(new RegExp(`^${path}\\.\\d{8}T\\d{6}~$`))
    expect(readFileSync(backupPath!, 'utf8')).toBe('one\n')
    await t.writeFile(path, 'three\n', { owner: 'root', group: 'root', mode: '0640' })
    expect(statSync(path)).toMatchObject({ uid: 0, gid: 0 })
    expect(statSync(path).mode & 0o777).toBe(0o640)
  })

  it('keeps the old file when validate fails, and shows the validator output', async () => {
    const path = join(work, 'sudoers-like')
    writeFileSync(path, 'good\n')
    const err = await t.writeFile(path, 'bad\n', { validate: `grep -q good %s || { echo "rejected %s" >&2; exit 1; }` }).catch((e) => e)
    expect(err).toBeInstanceOf(PghaError)
    expect(err.message).toMatch(/validation of .*sudoers-like failed on testhost .*rejected .*\.pgha-/)
    expect(readFileSync(path, 'utf8')).toBe('good\n')
    expect(readdirSync(work).filter((f) => f.startsWith('.pgha-'))).toEqual([])
    await t.writeFile(path, 'good too\n', { validate: 'grep -q good %s' })
    expect(readFileSync(path, 'utf8')).toBe('good too\n')
  })

  it('leaves the old file intact and no temp file when the disk is full', async (ctx) => {
    const mnt = join(sshd.dir, 'small')
    mkdirSync(mnt)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { stdio: 'ignore' })
    } catch {
      return ctx.skip('cannot mount a small tmpfs here (needs CAP_SYS_ADMIN)')
    }
    try {
      writeFileSync(join(mnt, 'conf'), 'old\n')
      const big = Buffer.alloc(600 * 1024, 'x')
      await expect(t.writeFile(join(mnt, 'conf'), big)).rejects.toThrow(/cannot write .*conf on testhost: .*No space left on device/)
      expect(readFileSync(join(mnt, 'conf'), 'utf8')).toBe('old\n')
      expect(readdirSync(mnt)).toEqual(['conf'])
      const huge = Buffer.alloc(5 * 1024 * 1024, 'y') // over the inline limit: goes by SFTP
      await expect(t.writeFile(join(mnt, 'conf'), huge)).rejects.toThrow(/cannot write .*conf on testhost/)
      expect(readdirSync(mnt)).toEqual(['conf'])
    } finally {
      execFileSync('umount', [mnt])
    }
  })

  it('puts and reads files, small and large, binary-exact; undefined when missing', async () => {
    const small = join(sshd.dir, 'small.bin')
    const large = join(sshd.dir, 'large.bin')
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    writeFileSync(small, bytes)
    writeFileSync(large, Buffer.concat(Array.from({ length: 24 * 1024 }, () => bytes))) // 6 MiB
    await t.putFile(small, join(work, 'small.bin'))
    await t.putFile(large, join(work, 'large.bin'), { mode: '0600' })
    expect(readFileSync(join(work, 'small.bin')).equals(bytes)).toBe(true)
    expect(readFileSync(join(work, 'large.bin')).equals(readFileSync(large))).toBe(true)
    expect(statSync(join(work, 'large.bin')).mode & 0o777).toBe(0o600)
    expect((await t.readFile(join(work, 'large.bin')))!.equals(readFileSync(large))).toBe(true)
    expect(await t.readFile(join(work, 'missing'))).toBeUndefined()
    await expect(t.readFile(work)).rejects.toThrow(/cannot read .* on testhost/)
  })

  it('becomes another user through sudo on a pty, with stderr kept apart', async () => {
    expect(await t.exec('id -un; echo e >&2; tty >/dev/null || echo notty; exit 3', { become: true, user: 'nobody' })).toEqual({
      rc: 3,
      stdout: 'nobody\nnotty\n',
      stderr: 'e\n',
    })
    // Root logging in and becoming root needs no sudo: the login shell serves it.
    expect((await t.exec('echo $$', { become: true })).stdout).toBe((await t.exec('echo $$')).stdout)
    const dir = join(work, 'nobody')
    mkdirSync(dir)
    chownSync(dir, NOBODY, NOBODY)
    await t.writeFile(join(dir, 'f'), 'as nobody\n', { become: true, user: 'nobody' })
    expect(statSync(join(dir, 'f')).uid).toBe(NOBODY)
    expect((await t.readFile(join(dir, 'f'), { become: true, user: 'nobody' }))?.toString()).toBe('as nobody\n')
    await expect(t.writeFile(join(work, 'f'), 'x', { become: true, user: 'nobody' })).rejects.toThrow(/Permission denied/)
  })

  // Last: it kills the sshd.
  it('fails a running command with UnreachableError when sshd dies, instead of waiting for it', async () => {
    const running = t.exec('sleep 30')
    const asNobody = t.exec('sleep 30', { become: true, user: 'nobody' })
    await new Promise((r) => setTimeout(r, 300))
    sshd.kill()
    // A 30 s sleep that finished would resolve: the rejection comes from the lost connection.
    await expect(running).rejects.toThrow(UnreachableError)
    await expect(asNobody).rejects.toThrow(UnreachableError)
    await expect(t.exec('true')).rejects.toThrow(/connection to testhost \(127\.0\.0\.1\) lost/)
  })
})
