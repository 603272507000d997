// `connection: local`: commands through execa (`sh`, or `sudo -u USER sh` to become someone else, the script on stdin),
// files written with node:fs to a temp name beside the target and finished by the shared install script.
import { constants as fsConstants, unlinkSync } from 'node:fs'
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises'
import { connect as netConnect } from 'node:net'
import { constants as osConstants, tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { PghaError, TimeoutError } from '../errors.js'
import { becomeUserOf } from './become-user.js'
import { shqAlways } from '../shell/index.js'
import { installScript, readViaShell, runInstall, stagedInstallScript, tempPathFor, writeViaShell } from './file-ops.js'
import { randomToken } from './random-token.js'
import { commandPrefix, withStdin } from './shell-command.js'
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
    // The script reaches sh on its stdin, as over SSH, never as an argument: every local user can read a
    // command line (ps, /proc/PID/cmdline), and a script carries here-documents (SQL, file contents). The
    // command's own stdin is a heredoc inside the script, after which sh reads EOF and exits with its rc.
    const { run, heredoc } = withStdin(`{ ${commandPrefix(o)}eval ${shqAlways(command)}; }`, o.stdin, 'PGHA_STDIN_EOF')
    // Loaded on first use: runs over SSH never need it.
    const { execa } = await import('execa')
    const password = user && o.password !== undefined && (await this.sudoAsks(user, execa)) ? o.password : undefined
    const sudo = password === undefined ? ['-n'] : ['-S', '-p', '']
    const [file, args] = user ? ['sudo', [...sudo, '-u', user, '--', 'sh']] : ['sh', []]
    // sudo -S reads the password line from stdin byte by byte; sh gets the rest.
    const input = Buffer.from(`${password !== undefined ? `${password}\n` : ''}${run}\n${heredoc}`)
    const child = execa(file, args as string[], { input, reject: false, stripFinalNewline: false, detached: true })
    if (child.pid !== undefined) {
      this.running.add(child.pid)
      runningGroups.add(child.pid)
    }
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
      if (child.pid !== undefined) {
        this.running.delete(child.pid)
        runningGroups.delete(child.pid)
      }
    })
    if (timedOut) throw new TimeoutError(`command timed out after ${o.timeoutMs! / 1000}s: ${command.slice(0, 80)}`)
    return { rc: r.exitCode ?? 128 + (r.signal ? osConstants.signals[r.signal] : 0), stdout: String(r.stdout), stderr: String(r.stderr) }
  }

  async writeFile(path: string, content: string | Buffer, o: WriteFileOptions = {}): Promise<WriteFileResult> {
    if (this.userOf(o)) return writeViaShell(this.run, this.host, path, Buffer.from(content), o)
    return this.stageAndInstall(path, o, (tmp) => stageFile(tmp, async (fh) => void (await fh.writeFile(content))))
  }

  async putFile(localPath: string, path: string, o: WriteFileOptions = {}): Promise<WriteFileResult> {
    const user = this.userOf(o)
    // Streamed into a private 0600 stage that the become user copies from, so a file larger than memory is
    // never read whole. The become user must be able to read the stage: root can; another user can when we
    // are root and hand it over. Only a non-root controller becoming another non-root user sends the
    // content through the command's stdin, in memory.
    if (user === 'root' || (user && this.me === 'root')) return this.stageFor(user, localPath, path, o)
    if (user) return writeViaShell(this.run, this.host, path, await readFile(localPath), o)
    // Streamed into a file created 0600, not copyFile, which would give the temp file the source's mode.
    return this.stageAndInstall(path, o, (tmp) => stageFile(tmp, (fh) => copyInto(localPath, fh)))
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
    return becomeUserOf(o, this.me)
  }

  private async stageFor(user: string, localPath: string, path: string, o: WriteFileOptions): Promise<WriteFileResult> {
    const stage = join(tmpdir(), `.pgha-stage-${randomToken(6)}`)
    this.roundTrips++
    staged.add(stage)
    try {
      await stageFile(stage, async (fh) => {
        if (user !== 'root') await fh.chown(await uidOf(user), -1)
        await copyInto(localPath, fh)
      }).catch(async (err: Error) => {
        await unlink(stage).catch(() => undefined)
        throw new PghaError('task', `cannot write ${path} on ${this.host}: ${err.message}`, { cause: err })
      })
      return await runInstall(this.run, this.host, path, stagedInstallScript(path, stage, o), o)
    } finally {
      staged.delete(stage)
      await unlink(stage).catch(() => undefined) // the script removes it; this covers a script that never ran
    }
  }

  private async stageAndInstall(path: string, o: WriteFileOptions, stage: (tmp: string) => Promise<void>): Promise<WriteFileResult> {
    const tmp = tempPathFor(path)
    this.roundTrips++
    staged.add(tmp)
    try {
      await stage(tmp).catch(async (err: Error) => {
        await unlink(tmp).catch(() => undefined)
        throw new PghaError('task', `cannot write ${path} on ${this.host}: ${err.message}`, { cause: err })
      })
      return await runInstall(this.run, this.host, path, installScript(path, tmp, o, false), o)
    } finally {
      staged.delete(tmp)
    }
  }
}

/** The uid of a local user, as `id` tells (node has no getpwnam). */
async function uidOf(user: string): Promise<number> {
  const { execa } = await import('execa')
  const r = await execa('id', ['-u', '--', user], { reject: false })
  if (r.exitCode !== 0 || !/^\d+$/.test(r.stdout.trim())) throw new Error(`no local user ${user}: ${r.stderr.trim()}`)
  return Number(r.stdout.trim())
}

/** Creates `tmp` exclusively (never through a link) with mode 0600 from its first byte, and fills it. */
async function stageFile(tmp: string, fill: (fh: FileHandle) => Promise<void>): Promise<void> {
  const fh = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, 0o600)
  try {
    await fill(fh)
  } finally {
    await fh.close()
  }
}

/** Copies a file into an open handle in 1 MiB pieces (a file larger than memory is never read whole). */
async function copyInto(from: string, to: FileHandle): Promise<void> {
  const src = await open(from, 'r')
  try {
    const buf = Buffer.alloc(1024 * 1024)
    for (;;) {
      const { bytesRead } = await src.read(buf, 0, buf.length, null)
      if (bytesRead === 0) return
      for (let off = 0; off < bytesRead; ) off += (await to.write(buf, off, bytesRead - off)).bytesWritten
    }
  } finally {
    await src.close()
  }
}

/**
 * Temp files being written or installed, and command process groups still running, across every local
 * transport: when pgha has to quit at once (a second signal), its exit removes the first and ends the
 * second, whose install script then removes its own temp file (its trap), so no half-written file is left.
 */
const staged = new Set<string>()
const runningGroups = new Set<number>()
process.once('exit', () => {
  for (const pid of runningGroups) killGroup(pid, 'SIGTERM')
  for (const tmp of staged) {
    try {
      unlinkSync(tmp)
    } catch {
      // already renamed into place, or never created
    }
  }
})

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
