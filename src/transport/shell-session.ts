// One long-lived `sh` on a channel: commands are queued and run one at a time, each wrapped by
// wrapCommand and framed by a per-command sentinel. A closed channel rejects every pending and later
// command at once, and a timed-out command rejects even if the shell never answers, so nothing hangs.
import { PghaError, TimeoutError } from '../errors.js'
import { SectionReader } from './section-reader.js'
import { randomToken } from './random-token.js'
import { wrapCommand } from './shell-command.js'
import type { ExecOptions, ExecResult } from './types.js'

/** The part of a duplex channel a shell needs (an ssh2 ClientChannel, a child process, a test double). */
export interface ShellChannel {
  write(data: string | Buffer): unknown
  on(event: 'data', listener: (chunk: Buffer) => void): unknown
  on(event: 'close', listener: () => void): unknown
  /** Present in split mode: the shell's stderr as a separate stream. */
  stderr?: { on(event: 'data', listener: (chunk: Buffer) => void): unknown }
  end(): unknown
  /** Closes the channel outright (ssh2's CHANNEL_CLOSE), where EOF alone may not end the shell. */
  close?(): unknown
}

export interface ShellSessionOptions {
  /** 'merged' for a pty (stderr through a temp file), 'split' otherwise. */
  mode: 'split' | 'merged'
  /** The error pending commands fail with when the channel closes (unreachable vs. shell exited). */
  lost: () => Error
  /** Bytes already read from the channel after its startup handshake. */
  initial?: Buffer
  /** Written once before the first command (merged mode: the stderr file). */
  init?: string
  /** How long after a timeout to wait for the killed command's sentinel before giving the shell up. */
  killGraceMs?: number
  /**
   * The channel prints `<pidMarker> <pid>` on a line of its own before the shell reads its first command
   * (SHELL_WITH_PID): the line, and whatever the login shell printed before it, is taken off stdout, and
   * the pid kept, with no round trip of its own.
   */
  pidMarker?: string
}

/** The command of a channel that starts a plain `sh` and says its pid first (ShellSessionOptions.pidMarker). */
export const shellWithPid = (marker: string): string => `exec sh -c 'printf "\\n%s %s\\n" ${marker} $$; exec sh'`

export type CommandOptions = Pick<ExecOptions, 'env' | 'cwd' | 'stdin' | 'timeoutMs'>

export class ShellSession {
  private readonly out = new SectionReader()
  private readonly err: SectionReader
  private readonly base = randomToken()
  private seq = 0
  private tail: Promise<unknown> = Promise.resolve()
  private closedWith?: Error
  private pending = 0
  /** The shell's process id on the host ($$), when the owner asked for it (see ssh.ts close()). */
  pid?: number

  constructor(
    private readonly channel: ShellChannel,
    private readonly opts: ShellSessionOptions,
  ) {
    this.err = opts.mode === 'split' ? new SectionReader() : this.out
    let head: Buffer | undefined = opts.pidMarker ? Buffer.alloc(0) : undefined
    // Its own newline first: a start-up file's output may not end with one.
    const line = opts.pidMarker ? new RegExp(`\n${opts.pidMarker} (\\d+)\n`) : undefined
    channel.on('data', (c) => {
      if (head !== undefined) {
        head = Buffer.concat([head, c])
        const m = line!.exec(head.toString('latin1'))
        if (!m) return
        this.pid = Number(m[1])
        c = head.subarray(m.index + m[0].length)
        head = undefined
      }
      this.out.push(c)
    })
    channel.stderr?.on('data', (c) => this.err.push(c))
    channel.on('close', () => this.destroy(opts.lost()))
    if (opts.initial?.length) this.out.push(opts.initial)
    if (opts.init) channel.write(opts.init)
  }

  get closed(): boolean {
    return this.closedWith !== undefined
  }

  /** A command is queued or running. */
  get busy(): boolean {
    return this.pending > 0
  }

  /** Runs one command after the ones already queued. A nonzero rc resolves; only loss and timeouts reject. */
  run(command: string, options: CommandOptions = {}): Promise<ExecResult> {
    this.pending++
    const result = this.tail.then(() => this.runNow(command, options)).finally(() => this.pending--)
    this.tail = result.catch(() => undefined)
    return result
  }

  /** Closes the channel and fails pending commands with `err`. */
  destroy(err: Error = new PghaError('internal', 'shell closed')): void {
    if (this.closedWith) return
    this.closedWith = err
    this.out.fail(err)
    this.err.fail(err)
    try {
      // EOF and close both: a shell on a pty (a become shell) does not exit on EOF alone, and a login kept
      // for the next run (login-pool.ts) would keep it, and sshd's MaxSessions would soon refuse new ones.
      this.channel.end()
      this.channel.close?.()
    } catch {
      // already gone
    }
  }

  private async runNow(command: string, o: CommandOptions): Promise<ExecResult> {
    if (this.closedWith) throw this.closedWith
    const token = `${this.base}${(++this.seq).toString(36)}x`
    const text = wrapCommand(command, { token, env: o.env, cwd: o.cwd, stdin: o.stdin, timeoutMs: o.timeoutMs, mode: this.opts.mode })
    const started = Date.now()
    const sections =
      this.opts.mode === 'split'
        ? Promise.all([this.out.next(token), this.err.next(token)])
        : this.out.next(token).then(async (stdout) => [stdout, await this.err.next(token)] as const)
    this.channel.write(text)
    if (!o.timeoutMs) {
      const [stdout, stderr] = await sections
      return { rc: stdout.rc, stdout: stdout.body.toString('utf8'), stderr: stderr.body.toString('utf8') }
    }
    const timeoutMs = o.timeoutMs
    const timedOut = (): TimeoutError =>
      new TimeoutError(`command timed out after ${fmtSeconds(timeoutMs)}: ${command.slice(0, 80)}`)
    let expired = false
    let backstop: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      expired = true
      // timeout(1) on the host kills the command; if its sentinel still does not come, the shell is lost.
      backstop = setTimeout(() => this.destroy(timedOut()), this.opts.killGraceMs ?? 5000)
    }, timeoutMs)
    try {
      const [stdout, stderr] = await sections
      if (expired || (stdout.rc === 124 && Date.now() - started >= timeoutMs * 0.9)) throw timedOut()
      return { rc: stdout.rc, stdout: stdout.body.toString('utf8'), stderr: stderr.body.toString('utf8') }
    } finally {
      clearTimeout(timer)
      clearTimeout(backstop)
    }
  }
}

function fmtSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`
}
