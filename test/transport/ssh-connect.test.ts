// SshTransport connecting: host key policy, connect failures, keepalives and jump hosts, against a
// private sshd on 127.0.0.1.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HandshakeCutShort, SshTransport } from '../../src/transport/index.js'
import { UnreachableError } from '../../src/errors.js'
import { authOrder, openSshClient } from '../../src/transport/ssh-connect.js'
import { freePort, haveSshd, startSshd, type TestSshd } from './sshd.js'

const fpOf = (pubLine: string): string => {
  return execFileSync('ssh-keygen', ['-lf', '-'], { input: pubLine, encoding: 'utf8' }).split(' ')[1]
}

describe.skipIf(!haveSshd)('SshTransport connecting to a private sshd', () => {
  let sshd: TestSshd
  beforeAll(async () => {
    sshd = await startSshd(10)
  })
  afterAll(() => sshd?.stop())

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

  it('fails clearly on a closed port (refused), a silent port (its connect timeout), and a wrong key', async () => {
    const closed = await freePort()
    await expect(new SshTransport(sshd.spec({ port: closed })).connect()).rejects.toThrow(`cannot connect to testhost (root@127.0.0.1:${closed}): connection refused`)
    const silent: Server = createServer(() => {}).listen(0, '127.0.0.1')
    await new Promise((r) => silent.once('listening', r))
    const port = (silent.address() as { port: number }).port
    await expect(new SshTransport(sshd.spec({ port, connectTimeoutMs: 700 })).connect()).rejects.toThrow('timed out after 0.7s')
    silent.close()
    const wrongKey = join(sshd.dir, 'other_key')
    await expect(new SshTransport(sshd.spec({ privateKeyFile: wrongKey })).connect()).rejects.toThrow(`authentication failed for root with key ${wrongKey}`)
  })

  it('tells a timeout and a dropped handshake (worth retrying in a crowd) from a refusal (not)', async () => {
    const closed = await freePort()
    const refused = await new SshTransport(sshd.spec({ port: closed })).connect().catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(UnreachableError)
    expect(refused).not.toBeInstanceOf(HandshakeCutShort)
    const silent: Server = createServer(() => {}).listen(0, '127.0.0.1')
    const dropping: Server = createServer((s: Socket) => s.destroy()).listen(0, '127.0.0.1')
    await Promise.all([silent, dropping].map((srv) => new Promise((r) => srv.once('listening', r))))
    const portOf = (srv: Server): number => (srv.address() as { port: number }).port
    const timedOut = await new SshTransport(sshd.spec({ port: portOf(silent), connectTimeoutMs: 500 })).connect().catch((e: unknown) => e)
    const dropped = await new SshTransport(sshd.spec({ port: portOf(dropping) })).connect().catch((e: unknown) => e)
    silent.close()
    dropping.close()
    expect(timedOut).toBeInstanceOf(HandshakeCutShort)
    expect(dropped).toBeInstanceOf(HandshakeCutShort)
    expect((dropped as Error).message).toContain('the host closed the connection before the handshake')
  })

  it("does not ask the host to prove every host key it announces (a signature per key on each connect)", async () => {
    const client = await openSshClient(sshd.spec())
    let proved = false
    client.on('hostkeys', () => { proved = true })
    // sshd announces its keys right after authentication: a command's answer comes after that.
    await new Promise<void>((resolve, reject) => client.exec('true', (err, ch) => (err ? reject(err) : ch.on('close', () => resolve()).resume())))
    client.end()
    expect(proved).toBe(false)
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
      // The command cannot answer through the black hole: only the keepalives can end it within the test's time.
      await expect(running).rejects.toThrow(/connection to testhost \(127\.0\.0\.1\) lost: the host stopped answering keepalives/)
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

  it("uses OpenSSH's default keys when none is named: a key that is not authorized is passed over for the next", async () => {
    const home = mkdtempSync(join(tmpdir(), 'pgha-home-'))
    mkdirSync(join(home, '.ssh'))
    // id_rsa (first in OpenSSH's order) is some other key; id_ed25519 is the authorized one.
    copyFileSync(join(sshd.dir, 'other_key'), join(home, '.ssh', 'id_rsa'))
    const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK }
    process.env.HOME = home
    delete process.env.SSH_AUTH_SOCK
    try {
      const none = await new SshTransport(sshd.spec({ privateKeyFile: undefined })).connect().catch((e) => e)
      expect(none).toBeInstanceOf(UnreachableError)
      expect(none.message).toContain('authentication failed for root with key ~/.ssh/id_rsa')
      copyFileSync(sshd.keyFile, join(home, '.ssh', 'id_ed25519'))
      const t = new SshTransport(sshd.spec({ privateKeyFile: undefined }))
      try {
        expect((await t.exec('echo in')).stdout).toBe('in\n')
      } finally {
        await t.close()
      }
      rmSync(join(home, '.ssh'), { recursive: true })
      await expect(new SshTransport(sshd.spec({ privateKeyFile: undefined })).connect())
        .rejects.toThrow('no private key file (ansible_ssh_private_key_file or --private-key), none of ~/.ssh/id_rsa, ~/.ssh/id_ecdsa, ~/.ssh/id_ed25519, and no ssh-agent (SSH_AUTH_SOCK)')
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      rmSync(home, { recursive: true, force: true })
    }
  })
})

describe('authOrder, as OpenSSH orders its attempts', () => {
  const key = (file: string) => ({ file, key: Buffer.from(file) })
  it('offers a named key first, then the agent', () => {
    const plan = authOrder(key('/k'), '/run/agent.sock', [key('~/.ssh/id_rsa')])
    expect(plan.methods).toEqual([{ type: 'publickey', key: Buffer.from('/k') }, 'agent'])
    expect(plan.said).toBe('key /k or ssh-agent')
  })

  it("with no key named: the agent's keys, then every default key file in OpenSSH's order", () => {
    const plan = authOrder(undefined, '/run/agent.sock', [key('~/.ssh/id_rsa'), key('~/.ssh/id_ed25519')])
    expect(plan.methods).toEqual(['agent', { type: 'publickey', key: Buffer.from('~/.ssh/id_rsa') }, { type: 'publickey', key: Buffer.from('~/.ssh/id_ed25519') }])
    expect(plan.said).toBe('ssh-agent or keys ~/.ssh/id_rsa, ~/.ssh/id_ed25519')
    expect(authOrder(undefined, undefined, []).methods).toEqual([])
  })
})
