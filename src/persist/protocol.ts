// The run server's wire format, between the thin client (client.ts, started by bin/pgha.js) and the server
// (server.ts), over a unix socket only this user can reach (socket-path.ts). A frame is one type byte, a
// 32-bit big-endian length and the payload: output bytes travel as they are (a run's output may be any
// bytes), everything else as one JSON message.

/** What a terminal (or a pipe) looks like to the run, as the client sees its own stdout or stderr. */
export interface StreamInfo {
  isTTY: boolean
  columns?: number
  rows?: number
  colorDepth?: number
}

/** Client to server. */
export type ClientMessage =
  | { t: 'run'; argv: string[]; cwd: string; env: Record<string, string>; umask: number; stdout: StreamInfo; stderr: StreamInfo; stdinTTY: boolean; openFiles: number }
  | { t: 'signal'; name: 'SIGINT' | 'SIGTERM' | 'SIGHUP' }
  | { t: 'resize'; columns: number; rows: number }

/**
 * Server to client. `ready`: the server, free, waits for the command (the client sends it only then, so
 * a client that gives up waiting for `ready` knows the server never had it: a frozen or overloaded server
 * costs a wait, never a command run twice). `started`: the server runs the command (from then on, a
 * server that ends without `exit` has run part of it, which the client must not run again). `decline`:
 * the server will not run it (busy with another, or it needs the terminal): the client runs it itself,
 * as if there were no server. `exit`: the run is over.
 */
export type ServerMessage = { t: 'ready' } | { t: 'started' } | { t: 'decline'; why: string } | { t: 'exit'; code: number }

export const FRAME = { stdout: 1, stderr: 2, message: 3 } as const
export type FrameType = (typeof FRAME)[keyof typeof FRAME]

/** No message of the protocol comes near this; a larger frame is a peer that is not a pgha client. */
const MAX_FRAME = 64 * 1024 * 1024

export function frame(type: FrameType, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload
  const head = Buffer.allocUnsafe(5)
  head[0] = type
  head.writeUInt32BE(body.length, 1)
  return Buffer.concat([head, body])
}

export function messageFrame(message: ClientMessage | ServerMessage): Buffer {
  return frame(FRAME.message, JSON.stringify(message))
}

/**
 * Splits a byte stream into frames; call push with each chunk as it arrives. Chunks are joined once per
 * frame, when it is whole: joining them as they come copies a large frame (a run's JSON document, arriving
 * in 64 KiB reads) once per chunk, quadratic in its size.
 */
export class FrameReader {
  private chunks: Buffer[] = []
  private size = 0

  constructor(private readonly onFrame: (type: number, payload: Buffer) => void) {}

  /** Throws on a frame no pgha peer sends (the caller drops the connection). */
  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size >= 5) {
      if (this.chunks[0].length < 5) this.chunks = [Buffer.concat(this.chunks, this.size)]
      const length = this.chunks[0].readUInt32BE(1)
      if (length > MAX_FRAME) throw new Error(`frame of ${length} bytes`)
      if (this.size < 5 + length) return
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size)
      const rest = all.subarray(5 + length)
      this.chunks = rest.length > 0 ? [rest] : []
      this.size = rest.length
      this.onFrame(all[0], all.subarray(5, 5 + length))
    }
  }
}
