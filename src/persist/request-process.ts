// One request of the run server seen from inside: for the length of a run, the process's environment,
// working directory, umask, argv, exit code and standard streams are the client's, so the command runs exactly
// as it would in a process of its own (colors, terminal width, relative paths, lookup('env'), file modes,
// exit codes).
// The server runs one request at a time, which is what makes swapping these process-wide values sound.
import type { Socket } from 'node:net'
import { clearLine, clearScreenDown, cursorTo, moveCursor } from 'node:readline'
import { Readable, Writable } from 'node:stream'
import { FRAME, frame, type FrameType, type StreamInfo } from './protocol.js'

type RunRequest = { argv: string[]; cwd: string; env: Record<string, string>; umask: number; stdout: StreamInfo; stderr: StreamInfo; stdinTTY: boolean }

export interface RequestProcess {
  /** Bytes of output sent to the client so far. */
  readonly wrote: number
  resize(columns: number, rows: number): void
  /** Gives the process back its own values. */
  restore(): void
}

/**
 * Enters the request. `onExit` is called when the command calls process.exit (a second Ctrl-C, a closed
 * pipe): the server then sends that code and ends for real, as a process of its own would. Throws when
 * the client's working directory cannot be entered (the server then declines the request).
 */
export function enterRequest(req: RunRequest, conn: Socket, onExit: (code: number) => void): RequestProcess {
  const cwd = process.cwd()
  process.chdir(req.cwd)
  const env = { ...process.env } as Record<string, string>
  replaceEnv(req.env)
  // The modes of the files the run creates here (local tasks, fetched files, its shells') are the client's.
  const umask = process.umask(req.umask)
  const out = new RelayStream(conn, FRAME.stdout, req.stdout)
  const err = new RelayStream(conn, FRAME.stderr, req.stderr)
  // Nothing is ever read from the client's input: a command that would ask there is run by the client itself.
  const input = Object.assign(Readable.from([]), { isTTY: req.stdinTTY })
  const streams = (['stdout', 'stderr', 'stdin'] as const).map((name) => [name, Object.getOwnPropertyDescriptor(process, name)!] as const)
  for (const [name, value] of [['stdout', out], ['stderr', err], ['stdin', input]] as const) {
    Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => value })
  }
  const { exit, argv, exitCode } = process
  process.argv = req.argv
  process.exitCode = undefined
  process.exit = ((code?: number | string | null) => onExit(Number(code ?? process.exitCode ?? 0))) as typeof process.exit
  return {
    get wrote() {
      return out.bytes + err.bytes
    },
    resize(columns, rows) {
      out.resize(columns, rows)
      err.resize(columns, rows)
    },
    restore() {
      for (const [name, descriptor] of streams) Object.defineProperty(process, name, descriptor)
      Object.assign(process, { exit, argv, exitCode })
      replaceEnv(env)
      process.umask(umask)
      process.chdir(cwd)
    },
  }
}

/** Replaces the contents of process.env (the object itself stays: child processes and node read it). */
function replaceEnv(next: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (!Object.hasOwn(next, k)) delete process.env[k]
  Object.assign(process.env, next)
}

/**
 * A stdout or stderr that sends each write to the client as a frame, and looks like the client's own
 * stream (a terminal of its size and colors, or a pipe). Writes are never held back here: both streams
 * share the socket's queue, so the client prints them in the order the command wrote them.
 */
class RelayStream extends Writable {
  bytes = 0
  readonly isTTY: boolean
  columns: number | undefined
  rows: number | undefined
  private readonly depth: number

  constructor(private readonly conn: Socket, private readonly type: FrameType, info: StreamInfo) {
    super()
    this.isTTY = info.isTTY
    this.columns = info.columns
    this.rows = info.rows
    this.depth = info.colorDepth ?? 1
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length
    // A client gone (killed, its terminal closed) loses the rest of the output, as a closed terminal would.
    if (this.conn.writable) {
      // The writes of one tick (a reporter writes a result in many pieces) leave in one system call.
      if (this.conn.writableCorked === 0) {
        this.conn.cork()
        process.nextTick(() => this.conn.uncork())
      }
      this.conn.write(frame(this.type, chunk))
    }
    done()
  }

  resize(columns: number, rows: number): void {
    this.columns = columns
    this.rows = rows
    this.emit('resize')
  }

  getColorDepth(): number {
    return this.depth
  }

  hasColors(count = 16): boolean {
    return 2 ** this.depth >= count
  }

  getWindowSize(): [number, number] {
    return [this.columns ?? 80, this.rows ?? 24]
  }

  cursorTo(x: number, y?: number, cb?: () => void): boolean {
    return cursorTo(this, x, y, cb)
  }

  moveCursor(dx: number, dy: number, cb?: () => void): boolean {
    return moveCursor(this, dx, dy, cb)
  }

  clearLine(dir: -1 | 0 | 1, cb?: () => void): boolean {
    return clearLine(this, dir, cb)
  }

  clearScreenDown(cb?: () => void): boolean {
    return clearScreenDown(this, cb)
  }
}
