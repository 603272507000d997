// SshTransport against a private sshd on 127.0.0.1 (started per file, root login with a temp key).
import { execFileSync } from 'node:child_process'
import { chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SshTransport } from '../../src/transport/index.js'
import { PghaError, TimeoutError, UnreachableError } from '../../src/errors.js'
import { freePort, haveSshd, startSshd, type TestSshd } from './sshd.js'

const NOBODY = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }))
const fpOf = (pubLine: string): string => {
  return execFileSync('ssh-keygen', ['-lf', '-'], { input: pubLine, encoding: 'utf8' }).split(' ')[1]
}

describe.skipIf(!haveSshd)('SshTransport on a private sshd', () => {
  let sshd: TestSshd
  let t: SshTransport
  let work: string
  beforeAll(async () => {
    sshd = await startSshd(10)
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
    const t0 = performance.now()
    for (let i = 0; i < 200; i++) {
      const r = await t.exec(`echo ${i}; echo $$`)
      expect(r.stdout).toBe(`${i}\n${shellPid}`)
    }
    const perCommand = (performance.now() - t0) / 200
    console.log(`200 sequential commands over one ssh shell: ${perCommand.toFixed(2)} ms per command`)
    expect(t.roundTrips - before).toBe(201)
    expect(perCommand).toBeLessThan(20)
  })

  it('applies env and cwd to one command only', async () => {
    expect((await t.exec('pwd; echo "$GREETING"', { cwd: work, env: { GREETING: "it's $HOME" } })).stdout).toBe(`${work}\nit's $HOME\n`)
    expect((await t.exec('pwd; echo "${GREETING:-unset}"')).stdout).not.toContain(work)
  })

  it('kills a command on timeout, reports it, and keeps the shell usable', async () => {
    const shellPid = (await t.exec('echo $$')).stdout
    const t0 = Date.now()
    const err = await t.exec('sleep 41.5; echo never', { timeoutMs: 500 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect((err as Error).message).toBe('command timed out after 0.5s: sleep 41.5; echo never')
    expect(Date.now() - t0).toBeLessThan(4000)
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

  it('refuses an unknown host key by default, with its fingerprint and the flag', async () => {
    const spec = sshd.spec({ knownHostsFile: join(sshd.dir, 'empty_known_hosts') })
    const err = await new SshTransport(spec).connect().catch((e) => e)
    expect(err).toBeInstanceOf(UnreachableError)
    expect(err.message).toContain(fpOf(sshd.hostKey))
    expect(err.message).toContain('--accept-new-host-keys')
  })

  it('records 10 new host keys from concurrent connections without losing any', async () => {
    const file = join(sshd.dir, 'new_known_hosts')
    const transports = sshd.ports.flatMap((port) => [1, 2].map(() => new SshTransport(sshd.spec({ port, knownHostsFile: file, acceptNewHostKeys: true }))))
    await Promise.all(transports.map((x) => x.connect()))
    await Promise.all(transports.map((x) => x.close()))
    const lines = readFileSync(file, 'utf8').trim().split('\n').sort()
    expect(lines).toEqual(sshd.ports.map((p) => `[127.0.0.1]:${p} ${sshd.hostKey}`).sort())
    const strict = new SshTransport(sshd.spec({ port: sshd.ports[3], knownHostsFile: file }))
    await strict.connect()
    await strict.close()
  })

  it('always refuses a changed host key, showing both fingerprints', async () => {
    const other = join(sshd.dir, 'other_key')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const otherLine = readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
    const file = join(sshd.dir, 'changed_known_hosts')
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ${otherLine}\n`)
    const err = await new SshTransport(sshd.spec({ knownHostsFile: file, acceptNewHostKeys: true })).connect().catch((e) => e)
    expect(err).toBeInstanceOf(UnreachableError)
    expect(err.message).toContain(`host key for testhost ([127.0.0.1]:${sshd.port}) changed: known ${fpOf(otherLine)}`)
    expect(err.message).toContain(`offered ${fpOf(sshd.hostKey)}`)
  })

  it('fails fast and clearly on a closed port, a silent port, and a wrong key', async () => {
    const closed = await freePort()
    let t0 = Date.now()
    await expect(new SshTransport(sshd.spec({ port: closed })).connect()).rejects.toThrow(`cannot connect to testhost (root@127.0.0.1:${closed}): connection refused`)
    expect(Date.now() - t0).toBeLessThan(1000)
    const silent: Server = createServer(() => {}).listen(0, '127.0.0.1')
    await new Promise((r) => silent.once('listening', r))
    const port = (silent.address() as { port: number }).port
    t0 = Date.now()
    await expect(new SshTransport(sshd.spec({ port, connectTimeoutMs: 700 })).connect()).rejects.toThrow('timed out after 0.7s')
    expect(Date.now() - t0).toBeLessThan(2000)
    silent.close()
    const wrongKey = join(sshd.dir, 'other_key')
    await expect(new SshTransport(sshd.spec({ privateKeyFile: wrongKey })).connect()).rejects.toThrow(`authentication failed for root with key ${wrongKey}`)
  })

  it('notices a silently dropped network through keepalives and fails the running command', async () => {
    // A proxy that forwards until told to black-hole traffic, as a pulled cable or a dropped route would.
    let blackhole = false
    const sockets: Socket[] = []
    const proxy = createServer((client) => {
      const upstream = connect(sshd.port, '127.0.0.1')
      sockets.push(client, upstream)
      client.on('data', (d) => blackhole || upstream.write(d))
      upstream.on('data', (d) => blackhole || client.write(d))
      client.on('error', () => {})
      upstream.on('error', () => {})
    }).listen(0, '127.0.0.1')
    await new Promise((r) => proxy.once('listening', r))
    const port = (proxy.address() as { port: number }).port
    const file = join(sshd.dir, 'proxy_known_hosts')
    writeFileSync(file, `[127.0.0.1]:${port} ${sshd.hostKey}\n`)
    const dropped = new SshTransport(sshd.spec({ port, knownHostsFile: file }), { keepalive: { interval: 200, countMax: 3 } })
    try {
      expect((await dropped.exec('echo up')).stdout).toBe('up\n')
      const running = dropped.exec('sleep 30')
      blackhole = true
      const t0 = Date.now()
      await expect(running).rejects.toThrow(/connection to testhost \(127\.0\.0\.1\) lost: the host stopped answering keepalives/)
      expect(Date.now() - t0).toBeLessThan(3000)
    } finally {
      await dropped.close()
      for (const s of sockets) s.destroy()
      proxy.close()
    }
  })

  it('reaches a host through a jump host, checking both host keys', async () => {
    const file = join(sshd.dir, 'jump_known_hosts')
    writeFileSync(file, `[127.0.0.1]:${sshd.ports[1]} ${sshd.hostKey}\n`) // the target, reached through the tunnel
    const spec = sshd.spec({ port: sshd.ports[1], knownHostsFile: file, jumpHost: `root@127.0.0.1:${sshd.port}` })
    // The jump host's own key is not in this file yet: refused, and named as the jump host.
    await expect(new SshTransport(spec).connect()).rejects.toThrow(`host key for testhost's jump host ([127.0.0.1]:${sshd.port}) is unknown`)
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`, { flag: 'a' })
    const viaJump = new SshTransport(spec)
    try {
      expect((await viaJump.exec('echo through')).stdout).toBe('through\n')
    } finally {
      await viaJump.close()
    }
  })

  // Last: it kills the sshd.
  it('fails a running command with UnreachableError when sshd dies, without hanging', async () => {
    const running = t.exec('sleep 30')
    const asNobody = t.exec('sleep 30', { become: true, user: 'nobody' })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = Date.now()
    sshd.kill()
    await expect(running).rejects.toThrow(UnreachableError)
    await expect(asNobody).rejects.toThrow(UnreachableError)
    expect(Date.now() - t0).toBeLessThan(2000)
    await expect(t.exec('true')).rejects.toThrow(/connection to testhost \(127\.0\.0\.1\) lost/)
  })
})
