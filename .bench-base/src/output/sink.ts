// Where a reporter's lines go. Scrubbing happens here, at the last moment before bytes leave, so no
// code path of a reporter can print an unscrubbed text.
import type { ReporterOptions } from './types.js'
import { createStyle, type Style } from './style.js'

export interface Sink {
  readonly stream: NodeJS.WritableStream
  readonly errStream: NodeJS.WritableStream
  readonly style: Style
  readonly scrub: (s: string) => string
  /** Writes lines to the output stream, each scrubbed and newline-terminated. */
  out(...lines: string[]): void
  /** Writes lines to the warning stream. */
  err(...lines: string[]): void
}

export function createSink(opts: ReporterOptions): Sink {
  const stream = opts.stream ?? process.stdout
  const errStream = opts.errStream ?? process.stderr
  const write = (to: NodeJS.WritableStream, lines: string[]): void => {
    if (lines.length > 0) to.write(opts.scrub(lines.join('\n')) + '\n')
  }
  return {
    stream,
    errStream,
    style: createStyle(opts.color),
    scrub: opts.scrub,
    out: (...lines) => write(stream, lines),
    err: (...lines) => write(errStream, lines),
  }
}
