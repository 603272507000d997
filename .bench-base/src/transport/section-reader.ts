// Splits a shell's output stream into sections, each ended by the sentinel `TOKEN:rc\n`. Bytes are kept as
// Buffers until a section is complete, so a sentinel or a UTF-8 character split across chunks is exact.

export interface Section {
  body: Buffer
  rc: number
}

interface Waiter {
  token: Buffer
  resolve: (s: Section) => void
  reject: (e: Error) => void
}

export class SectionReader {
  private buf: Buffer = Buffer.alloc(0)
  /** Where the next sentinel search starts: earlier bytes were already searched. */
  private scanFrom = 0
  private waiter?: Waiter
  private failure?: Error

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    this.check()
  }

  /** The next section, ended by `token`. One waiter at a time: callers read sections in order. */
  next(token: string): Promise<Section> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiter = { token: Buffer.from(token + ':'), resolve, reject }
      this.scanFrom = 0
      this.check()
    })
  }

  /** Rejects the pending and every later read (the stream closed). */
  fail(err: Error): void {
    this.failure ??= err
    const w = this.waiter
    this.waiter = undefined
    w?.reject(this.failure)
  }

  private check(): void {
    const w = this.waiter
    if (!w) return
    const at = this.buf.indexOf(w.token, this.scanFrom)
    if (at < 0) {
      this.scanFrom = Math.max(0, this.buf.length - w.token.length)
      return
    }
    const nl = this.buf.indexOf(0x0a, at + w.token.length)
    if (nl < 0) {
      this.scanFrom = at
      return
    }
    const rc = Number(this.buf.subarray(at + w.token.length, nl).toString('latin1'))
    const body = this.buf.subarray(0, at)
    this.buf = this.buf.subarray(nl + 1)
    this.scanFrom = 0
    this.waiter = undefined
    w.resolve({ body: Buffer.from(body), rc })
  }
}
