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
  /**
   * Writes `value` as one JSON document, scrubbed leaf by leaf (every string, every key, every number whose
   * digits hold a secret) rather than as text: a secret inside a longer number (`2101` in `21010`) masked in
   * the text would leave `********0` where JSON needs a value.
   */
  outJson(value: unknown, finish?: (json: string) => string): void
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
    outJson: (value, finish = (json) => json) => {
      stream.write(finish(JSON.stringify(scrubLeaves(value, opts.scrub), null, 2)) + '\n')
    },
  }
}

/** `value` with every string, key and secret-holding number scrubbed; a number that held one becomes a string. */
function scrubLeaves(value: unknown, scrub: (s: string) => string): unknown {
  // What JSON.stringify would write for it (a Date's string, a Buffer's bytes).
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function') value = (value as { toJSON(): unknown }).toJSON()
  if (typeof value === 'string') return scrub(value)
  if (typeof value === 'number') {
    const masked = scrub(String(value))
    return masked === String(value) ? value : masked
  }
  if (Array.isArray(value)) return value.map((v) => scrubLeaves(v, scrub))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[scrub(k)] = scrubLeaves(v, scrub)
  return out
}
