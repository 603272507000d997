// The ssh2 Transport: one connection per host, one long-lived shell per become user on it (a plain `sh`
// for the login user, `sudo -u USER sh` on a pty for others), SFTP only for large files.
import { stat, readFile } from 'node:fs/promises'
import type { Duplex } from 'node:stream'
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2'
import { PghaError, UnreachableError } from '../errors.js'
import { shqAlways } from '../shell/index.js'
import { awaitBecome, becomeScript } from './become.js'
import { becomeUserOf } from './become-user.js'
import { installScript, readViaShell, runInstall, stagedInstallScript, tempPathFor, writeViaShell } from './file-ops.js'
import { randomToken } from './random-token.js'
import { MERGED_INIT } from './shell-command.js'
import { ShellSession, shellWithPid } from './shell-session.js'
import { giveBackLogin, takeLiveLogin } from './login-pool.js'
import { KEEPALIVE, openSshClient, type Keepalive } from './ssh-connect.js'
import { describeTarget } from './stream-target.js'
import type { Become, CloseOptions, ConnectionSpec, ExecOptions, ExecResult, StreamTarget, Transport, WriteFileOptions, WriteFileResult } from './types.js'

export interface RoundTrip {
  kind: 'exec' | 'sftp'
  ms: number
}

export interface SshTransportOptions {
  /** Called after every round trip (profiling, the benchmark). */
  onRoundTrip?: (trip: RoundTrip) => void
  /** How often to probe an idle peer and how many unanswered probes mean it is gone (default 5 s x 3). */
  keepalive?: Keepalive
}

/** Content up to this size travels through the shell with the install script: one round trip. */
const INLINE_MAX = 4 * 1024 * 1024

export class SshTransport implements Transport {
  readonly host: string
  roundTrips = 0
  private client?: Client
  private connecting?: Promise<Client>
  /** This transport's listeners on the client, removed when the login is given back for another run. */
  private listening?: { error: (err: Error) => void; close: () => void }
  /** Why the connection ended, once it has. */
  private lost?: string
  private readonly shells = new Map<string, Promise<ShellSession>>()
  private sftpSession?: Promise<SFTPWrapper>
  /** Files an SFTP upload is writing now: removed before the connection closes (an interrupted run). */
  private readonly uploading = new Set<string>()

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly opts: SshTransportOptions = {},
  ) {
    this.host = spec.host
  }

  async connect(): Promise<void> {
    await this.conn()
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const shell = await this.shellFor(options)
    return this.trip('exec', () => shell.run(command, options))
  }

  async writeFile(path: string, content: string | Buffer, options: WriteFileOptions = {}): Promise<WriteFileResult> {
    const data = Buffer.from(content)
    const staged = data.length > INLINE_MAX ? await this.stage(path, options, (sftp, to) => sftpWrite(sftp, to, data)) : undefined
    if (!staged) return writeViaShell(this.run, this.host, path, data, options)
    return runInstall(this.run, this.host, path, staged, options)
  }

  async putFile(localPath: string, path: string, options: WriteFileOptions = {}): Promise<WriteFileResult> {
    const { size } = await stat(localPath)
    const staged = size > INLINE_MAX ? await this.stage(path, options, (sftp, to) => sftpPut(sftp, localPath, to)) : undefined
    if (!staged) return this.writeFile(path, await readFile(localPath), options)
    return runInstall(this.run, this.host, path, staged, options)
  }

  readFile(path: string, options: Partial<Become> = {}): Promise<Buffer | undefined> {
    return readViaShell(this.run, this.host, path, options)
  }

  /** A direct-streamlocal (unix socket) or direct-tcpip channel; sshd connects as the login user. */
  async openStream(target: StreamTarget): Promise<Duplex> {
    const client = await this.conn()
    this.roundTrips++
    return new Promise((resolve, reject) => {
      const done = (err: Error | undefined, ch: ClientChannel): void => {
        if (!err) return resolve(ch)
        reject(this.lost ? this.unreachable() : new PghaError('task', `cannot open a stream to ${describeTarget(target)} on ${this.host}: ${err.message}`, { cause: err }))
      }
      if ('socketPath' in target) client.openssh_forwardOutStreamLocal(target.socketPath, done)
      else client.forwardOut('127.0.0.1', 0, target.host, target.port, done)
    })
  }

  async close(options: CloseOptions = {}): Promise<void> {
    const all = [...this.shells.values()]
    await this.endRunningCommands(all)
    await this.removeUploads()
    this.shells.clear()
    for (const s of all) s.then((shell) => shell.destroy(), () => undefined)
    const client = this.client
    const healthy = !this.lost
    this.lost ??= 'closed'
    this.client = undefined
    if (!client) return
    const sftp = this.sftpSession
    this.sftpSession = undefined
    sftp?.then((s) => s.end(), () => undefined)
    if (this.listening) {
      client.off('error', this.listening.error)
      client.off('close', this.listening.close)
    }
    if (!(healthy && options.keepLogin && giveBackLogin(this.spec, this.keepalive, client))) client.end()
  }

  private get keepalive(): Keepalive {
    return this.opts.keepalive ?? KEEPALIVE
  }

  /**
   * Closing an SSH channel does not stop a command that has no terminal: an interrupted run would leave
   * it running on the host. Shells still busy get their process group terminated first (their shell is
   * a session leader), through a channel of its own, bounded in time.
   */
  private async endRunningCommands(shells: Promise<ShellSession>[]): Promise<void> {
    const client = this.client
    if (!client || this.lost) return
    const settled = await Promise.all(shells.map((s) => s.catch(() => undefined)))
    const pids = settled.filter((s): s is ShellSession => !!s && s.busy && !s.closed && s.pid !== undefined).map((s) => s.pid!)
    if (pids.length === 0) return
    await execBounded(client, pids.map((p) => `kill -TERM -- -${p} 2>/dev/null || kill -TERM ${p} 2>/dev/null`).join('; '))
  }

  /** An upload still running when the connection closes would leave its temp file on the host. */
  private async removeUploads(): Promise<void> {
    const client = this.client
    if (!client || this.lost || this.uploading.size === 0) return
    await execBounded(client, `rm -f -- ${[...this.uploading].map(shqAlways).join(' ')}`)
  }

  private readonly run = (command: string, options?: ExecOptions): Promise<ExecResult> => this.exec(command, options)

  private async trip<T>(kind: RoundTrip['kind'], fn: () => Promise<T>): Promise<T> {
    this.roundTrips++
    const t0 = performance.now()
    try {
      return await fn()
    } finally {
      this.opts.onRoundTrip?.({ kind, ms: performance.now() - t0 })
    }
  }

  private conn(): Promise<Client> {
    if (this.lost) return Promise.reject(this.unreachable())
    if (this.connecting) return this.connecting
    // A login kept from an earlier run of the run server (login-pool.ts) that still answers, or a new one.
    const warm = takeLiveLogin(this.spec, this.keepalive)
    const login = warm ? warm.then((client) => client ?? openSshClient(this.spec, this.keepalive)) : openSshClient(this.spec, this.keepalive)
    this.connecting = login.then((client) => {
      this.client = client
      const down = (why: string): void => {
        this.lost ??= why
        for (const s of this.shells.values()) s.then((shell) => shell.destroy(this.unreachable()), () => undefined)
      }
      this.listening = {
        error: (err: Error) => down(err.message === 'Keepalive timeout' ? 'the host stopped answering keepalives' : err.message),
        close: () => down('connection closed by the host'),
      }
      client.on('error', this.listening.error)
      client.on('close', this.listening.close)
      return client
    })
    return this.connecting
  }

  private unreachable(): UnreachableError {
    return new UnreachableError(this.host, `connection to ${this.host} (${this.spec.address}) lost: ${this.lost}`)
  }

  /** The become user a call runs as, or '' for the login user (also when becoming the login user). */
  private userOf(o: Partial<Become>): string {
    return becomeUserOf(o, this.spec.user)
  }

  private async shellFor(o: Partial<Become>): Promise<ShellSession> {
    const user = this.userOf(o)
    const cached = this.shells.get(user)
    if (cached) {
      const shell = await cached // a refused sudo stays refused: retrying would only lock the account
      if (!shell.closed) return shell
      if (this.shells.get(user) === cached) this.shells.delete(user)
      return this.shellFor(o)
    }
    const opening = this.openShell(user, o.password)
    this.shells.set(user, opening)
    return opening
  }

  private async openShell(user: string, password: string | undefined): Promise<ShellSession> {
    const client = await this.conn()
    const lost = (): Error =>
      this.lost ? this.unreachable() : new PghaError('task', `the shell${user ? ` of ${user}` : ''} on ${this.host} exited unexpectedly`)
    const failed = (err: Error): Error =>
      this.lost ? this.unreachable() : new PghaError('task', `cannot open a shell on ${this.host}: ${err.message}`, { cause: err })
    if (!user) {
      // The shell's pid, kept so close() can end a command still running, comes in its first line.
      const marker = `pgha-pid-${randomToken(6)}`
      return new ShellSession(await channel(client, shellWithPid(marker), false, failed), { mode: 'split', lost, pidMarker: marker })
    }
    const script = becomeScript(user, password)
    const ch = await channel(client, script.command, true, failed)
    const initial = await awaitBecome(ch, script, { host: this.host, user, password, timeoutMs: Math.max(this.spec.connectTimeoutMs, 10_000) })
    return new ShellSession(ch, { mode: 'merged', lost, initial, init: MERGED_INIT })
  }

  /**
   * Uploads by SFTP to a temp name, returning the install script that finishes the write, or undefined when
   * the become user could not read a staged file (the content then goes through the shell).
   */
  private async stage(path: string, o: WriteFileOptions, upload: (sftp: SFTPWrapper, to: string) => Promise<void>): Promise<string | undefined> {
    const user = this.userOf(o)
    if (user !== '' && user !== 'root') return undefined
    const tmp = tempPathFor(path)
    // As the login user the temp file goes next to the target; for root, into /tmp and then copied.
    const to = user === '' ? tmp : `/tmp/.pgha-stage-${randomToken(6)}`
    const sftp = await (this.sftpSession ??= this.conn().then(
      (c) => new Promise<SFTPWrapper>((res, rej) => c.sftp((err, s) => (err ? rej(err) : res(s)))),
    ))
    this.uploading.add(to)
    await this.trip('sftp', () => upload(sftp, to)).catch(async (err: Error) => {
      await new Promise((res) => sftp.unlink(to, res))
      throw new PghaError('task', `cannot write ${path} on ${this.host}: ${err.message}`, { cause: err })
    }).finally(() => this.uploading.delete(to))
    return user === '' ? installScript(path, tmp, o, false) : stagedInstallScript(path, to, o)
  }
}

/** Runs a command on a channel of its own while closing, waiting for it at most 2 s. */
function execBounded(client: Client, command: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000)
    client.exec(command, (err, ch) => {
      if (err) return resolve()
      ch.on('close', () => { clearTimeout(timer); resolve() }).resume()
    })
  })
}

function channel(client: Client, command: string, pty: boolean, failed: (err: Error) => Error): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | undefined, ch: ClientChannel): void => (err ? reject(failed(err)) : resolve(ch))
    if (pty) client.exec(command, { pty: { term: 'dumb', rows: 24, cols: 200 } }, cb)
    else client.exec(command, cb)
  })
}

// Staged files are created exclusively and 0600 by the open itself: ssh2's fastPut opens with the
// server's default mode (0644 under the usual umask) and only then narrows it.
function sftpWrite(sftp: SFTPWrapper, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => sftp.writeFile(path, data, { mode: 0o600, flag: 'wx' }, (err) => (err ? reject(err) : resolve())))
}

function sftpPut(sftp: SFTPWrapper, local: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.open(path, 'wx', { mode: 0o600 }, (err, handle) => {
      if (err) return reject(err)
      sftp.close(handle, (closeErr) => {
        if (closeErr) return reject(closeErr)
        sftp.fastPut(local, path, { mode: 0o600 }, (putErr) => (putErr ? reject(putErr) : resolve()))
      })
    })
  })
}
