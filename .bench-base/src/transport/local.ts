// `connection: local`: commands through execa (`sh -c`, or `sudo -u USER sh -c` to become someone else),
// files written with node:fs to a temp name beside the target and finished by the shared install script.
import { copyFile, readFile, unlink, writeFile } from 'node:fs/promises'
import { connect as netConnect } from 'node:net'
import { constants as osConstants, userInfo } from 'node:os'
import type { Duplex } from 'node:stream'
import { PghaError, TimeoutError } from '../errors.js'
import { installScript, readViaShell, runInstall, tempPathFor, writeViaShell } from './file-ops.js'
import { shq } from './quote.js'
import { commandPrefix } from './shell-command.js'
import { describeTarget } from './stream-target.js'
import type { Become, ConnectionSpec, ExecOptions, ExecResult, StreamTarget, Transport, WriteFileOptions, WriteFileResult } from './types.js'

/** After TERM, a command's process group gets this long before KILL. */
const KILL_GRACE_MS = 2000

export class LocalTransport implements Transport {
  readonly host: string
  roundTrips = 0
  private readonly me = userInfo().username

  constructor(spec: Pick<ConnectionSpec, 'host'>) {
    this.host = spec.host
  }

  async connect(): Promise<void> {}

  /** Process groups of commands still running: close() ends them, as closing an SSH connection does. */
  private readonly running = new Set<number>()

  async close(): Promise<void> {
    for (const pid of this.running) {
      killGroup(pid, 'SIGTERM')
      setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref()
    }
  }

  async exec(command: string, o: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++
    const user = this.userOf(o)
    const script = `${commandPrefix(o)}eval ${shq(command)}`
    // Loaded on first use: runs over SSH never need it.
    const { execa } = await import('execa')
    const password = user && o.password !== undefined && (await this.sudoAsks(user, execa)) ? o.password : undefined
    const sudo = password === undefined ? ['-n'] : ['-S', '-p', '']
    const [file, args] = user ? ['sudo', [...sudo, '-u', user, '--', 'sh', '-c', script]] : ['sh', ['-c', script]]
    // sudo -S reads the password line from stdin byte by byte; the command gets the rest.
    const input = Buffer.concat([Buffer.from(password !== undefined ? `${password}\n` : ''), Buffer.from(o.stdin ?? '')])
    const child = execa(file, args as string[], { input, reject: false, stripFinalNewline: false, detached: true })
    if (child.pid !== undefined) this.running.add(child.pid)
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    if (o.timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true
        killGroup(child.pid, 'SIGTERM')
        setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref()
      }, o.timeoutMs)
    }
    const r = await child.finally(() => {
      clearTimeout(timer)
      if (child.pid !== undefined) this.running.delete(child.pid)
    })
    if (timedOut) throw new TimeoutError(`command timed out after ${o.timeoutMs! / 1000}s: ${command.slice(0, 80)}`)
    return { rc: r.exitCode ?? 128 + (r.signal ? osConstants.signals[r.signal] : 0), stdout: String(r.stdout), stderr: String(r.stderr) }
  }

  async writeFile(path: string, content: string | Buffer, o: WriteFileOptions = {}): Promise<WriteFileResult> {
    if (this.userOf(o)) return writeViaShell(this.run, this.host, path, Buffer.from(content), o)
    return this.stageAndInstall(path, o, (tmp) => writeFile(tmp, content, { mode: 0o600, flag: 'wx' }))
  }

  async putFile(localPath: string, path: string, o: WriteFileOptions = {}): Promise<WriteFileResult> {
    if (this.userOf(o)) return writeViaShell(this.run, this.host, path, await readFile(localPath), o)
    return this.stageAndInstall(path, o, (tmp) => copyFile(localPath, tmp))
  }

  async readFile(path: string, o: Partial<Become> = {}): Promise<Buffer | undefined> {
    if (this.userOf(o)) return readViaShell(this.run, this.host, path, o)
    this.roundTrips++
    return readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined
      throw new PghaError('task', `cannot read ${path} on ${this.host}: ${err.message}`, { cause: err })
    })
  }

  /** Resolves once connected, so a missing socket fails here as it does over SSH. */
  openStream(target: StreamTarget): Promise<Duplex> {
    this.roundTrips++
    return new Promise((resolve, reject) => {
      const sock = 'socketPath' in target ? netConnect(target.socketPath) : netConnect(target.port, target.host)
      sock.once('connect', () => {
        sock.removeAllListeners('error')
        resolve(sock)
      })
      sock.once('error', (err) => reject(new PghaError('task', `cannot open a stream to ${describeTarget(target)} on ${this.host}: ${err.message}`, { cause: err })))
    })
  }

  private readonly run = (command: string, options?: ExecOptions): Promise<ExecResult> => this.exec(command, options)

  /** Whether sudo asks us for a password to become `user`, asked once per user. */
  private readonly asks = new Map<string, Promise<boolean>>()

  /** A password fed to a sudo that does not ask (root, NOPASSWD) would be the command's stdin: `cat` printed it. */
  private sudoAsks(user: string, execa: typeof import('execa').execa): Promise<boolean> {
    let asks = this.asks.get(user)
    if (!asks) {
      asks = execa('sudo', ['-n', '-u', user, '--', 'true'], { reject: false, stdin: 'ignore' }).then((r) => r.exitCode !== 0)
      this.asks.set(user, asks)
    }
    return asks
  }

  private userOf(o: Partial<Become>): string {
    const user = o.become ? (o.user ?? 'root') : ''
    return user === this.me ? '' : user
  }

  private async stageAndInstall(path: string, o: WriteFileOptions, stage: (tmp: string) => Promise<void>): Promise<WriteFileResult> {
    const tmp = tempPathFor(path)
    this.roundTrips++
    await stage(tmp).catch(async (err: Error) => {
      await unlink(tmp).catch(() => undefined)
      throw new PghaError('task', `cannot write ${path} on ${this.host}: ${err.message}`, { cause: err })
    })
    return runInstall(this.run, this.host, path, installScript(path, tmp, o, false), o)
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
