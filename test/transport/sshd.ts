// A private sshd on 127.0.0.1 for the transport tests: temp host key, temp authorized_keys for the
// current user, random free port. Never touches the system sshd or its config.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import type { ConnectionSpec } from '../../src/transport/types.js'

export const SSHD = '/usr/sbin/sshd'
export const haveSshd = existsSync(SSHD) && userInfo().uid === 0

export interface TestSshd {
  dir: string
  port: number
  /** Every port it listens on (the first is `port`). */
  ports: number[]
  /** Client private key file authorized for the current user. */
  keyFile: string
  /** The host's public key line (`ssh-ed25519 AAAA...`). */
  hostKey: string
  /** A known_hosts file already trusting this sshd. */
  knownHosts: string
  spec(extra?: Partial<ConnectionSpec>): ConnectionSpec
  /** Kills the listener and every per-connection sshd it started (by pid). */
  kill(): void
  stop(): void
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'pgha-test', '-f', file])
  return readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
}

export async function startSshd(portCount = 1): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-sshd-'))
  const ports: number[] = []
  while (ports.length < portCount) {
    const p = await freePort()
    if (!ports.includes(p)) ports.push(p)
  }
  const port = ports[0]
  const hostKey = keygen(join(dir, 'host_ed25519'))
  const clientKey = keygen(join(dir, 'id_ed25519'))
  writeFileSync(join(dir, 'authorized_keys'), clientKey + '\n', { mode: 0o600 })
  const knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`)
  const config = join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      ...ports.map((p) => `Port ${p}`),
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 50',
      'MaxStartups 100',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  )
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 })
  const proc: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  proc.stderr?.on('data', (c) => (log += c))
  await waitForPort(port, 5000).catch((err) => {
    proc.kill()
    throw new Error(`sshd did not start: ${err.message}\n${log}`)
  })
  const self: TestSshd = {
    dir,
    port,
    ports,
    keyFile: join(dir, 'id_ed25519'),
    hostKey,
    knownHosts,
    spec: (extra = {}) => ({
      host: 'testhost',
      connection: 'ssh',
      address: '127.0.0.1',
      port,
      user: userInfo().username,
      privateKeyFile: join(dir, 'id_ed25519'),
      knownHostsFile: knownHosts,
      connectTimeoutMs: 5000,
      ...extra,
    }),
    kill() {
      for (const pid of [...childrenOf(proc.pid!), proc.pid!]) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone already
        }
      }
    },
    stop() {
      self.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return self
}

/** Descendant pids of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry), ...childrenOf(Number(entry)))
    } catch {
      // exited while we looked
    }
  }
  return out
}

function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve()
      })
      s.once('error', () => {
        s.destroy()
        if (Date.now() > deadline) reject(new Error(`port ${port} not open after ${ms} ms`))
        else setTimeout(attempt, 50)
      })
    }
    attempt()
  })
}
