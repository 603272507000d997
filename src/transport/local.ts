// `connection: local`: commands through long-lived local shells (`sh`, or `sudo -u USER sh` to become someone else),
// files written with node:fs to a temp name beside the target and finished by the shared install script.
import { constants as fsConstants, unlinkSync } from 'node:fs'
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises'
import { connect as netConnect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { PghaError } from '../errors.js'
import { becomeUserOf } from './become-user.js'
import { installScript, readViaShell, runInstall, stagedInstallScript, tempPathFor, writeViaShell } from './file-ops.js'
import { randomToken } from './random-token.js'
import { killGroup, openLocalShell, type LocalShell } from './local-shell.js'
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

  /** Shells waiting for a command, by user ('' for whoever runs pgha). */
  private idle = new Map<string, LocalShell[]>()
  /** Shells running a command: close() ends what they run, as closing an SSH connection does. */
  private readonly busy = new Set<LocalShell>()
  /** Shells busy when close() came: they end once their command has. */
  private readonly retired = new WeakSet<LocalShell>()

  async close(): Promise<void> {
    for (const shell of this.busy) {
      this.retired.add(shell)
      killGroup(shell.pgid, 'SIGTERM')
      setTimeout(() => killGroup(shell.pgid, 'SIGKILL'), KILL_GRACE_MS).unref()
    }
    for (const shells of this.idle.values()) for (const shell of shells) shell.end()
    this.idle = new Map()
  }

  /**
   * Runs the command in a shell of the user that is idle, or in a new one when all are busy (commands run
   * side by side as before). Its text reaches the shell on stdin, never a command line (local-shell.ts).
   */
  async exec(command: string, o: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++
    const user = this.userOf(o)
    const shell = this.idle.get(user)?.pop() ?? (await openLocalShell(this.host, user, o.password, KILL_GRACE_MS + 3000))
    this.busy.add(shell)
    runningGroups.add(shell.pgid)
    shell.hold(true)
    try {
      return await shell.session.run(command, o)
    } finally {
      this.busy.delete(shell)
      runningGroups.delete(shell.pgid)
      shell.hold(false)
      if (this.retired.has(shell)) shell.end()
      else if (!shell.session.closed) this.idle.set(user, [...(this.idle.get(user) ?? []), shell])
    }
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
 * Temp files being written or installed, and the process groups of shells running a command, across every
 * local transport: when pgha has to quit at once (a second signal), its exit removes the first and ends the
 * commands of the second, whose install script then removes its own temp file (its trap), so no
 * half-written file is left.
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
