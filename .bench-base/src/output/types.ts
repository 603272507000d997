// The reporter contract: the engine's events go in, progress and a recap come out. Every reporter passes
// every text it prints through `scrub` even though the engine already scrubbed results (defence in depth).
import type { EngineEvent } from '../engine/events.js'

export interface Reporter {
  /** Called synchronously for every engine event; must stay cheap (a 20-host, 40-task run emits ~2000). */
  onEvent(e: EngineEvent): void
  /** Flushes what is buffered and prints the recap; call once, after run:end (or after an abort). */
  finish(): Promise<void>
}

export interface ReporterOptions {
  /** -v count: 1 shows planned changes, durations and module messages. */
  verbosity: number
  /** --diff: print the unified diff of every file change. */
  diff: boolean
  /** --check: planned changes are shown, and the recap says nothing was changed. */
  check: boolean
  /** Masks secret values; applied to every text a reporter prints. */
  scrub: (s: string) => string
  /** Where progress and results go (default process.stdout). */
  stream?: NodeJS.WritableStream
  /** Where warnings go (default process.stderr), so JSON on stdout stays one document. */
  errStream?: NodeJS.WritableStream
  /** ANSI colors: decide with `defaultColor()` unless the user forced it. */
  color: boolean
}

export type ReporterKind = 'auto' | 'plain' | 'json' | 'tty'

export type HostResultEvent = Extract<EngineEvent, { type: 'host:result' }>
