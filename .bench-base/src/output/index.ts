// output/: turns engine events into progress and a recap. listr2 is loaded only for the `tty` kind.
import { JsonReporter } from './json.js'
import { PlainReporter } from './plain.js'
import type { Reporter, ReporterKind, ReporterOptions } from './types.js'

/** `auto` is `tty` when the output stream is a terminal and the run is not in CI (env CI), else `plain`.
 * A terminal that reports zero columns (a pty nobody sized) gets plain lines: listr2 would draw nothing. */
export async function createReporter(kind: ReporterKind, opts: ReporterOptions): Promise<Reporter> {
  const resolved = kind === 'auto' ? autoKind(opts.stream ?? process.stdout, process.env) : kind
  switch (resolved) {
    case 'json':
      return new JsonReporter(opts)
    case 'tty': {
      const { ListrReporter } = await import('./listr.js')
      return ListrReporter.create(opts)
    }
    default:
      return new PlainReporter(opts)
  }
}

export function autoKind(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv): 'tty' | 'plain' {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  const tty = stream as NodeJS.WriteStream
  return tty.isTTY === true && tty.columns !== 0 && !ci ? 'tty' : 'plain'
}

export { defaultColor } from './style.js'
export { unifiedDiff } from './diff.js'
export { formatDuration, warningText } from './describe.js'
export type { Reporter, ReporterKind, ReporterOptions } from './types.js'
export type { JsonDocument, JsonHostEntry, JsonTask } from './json.js'
export type { Recap, RecapRow } from './recap.js'
