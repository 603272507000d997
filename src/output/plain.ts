// Ansible-like lines, stable for CI logs and grep: `PLAY [..] ***`, `TASK [..] ***`, `ok: [node1]`,
// `fatal: [node2]: FAILED! => msg (rc=1)`, then the PLAY RECAP. Written as events arrive, so a log shows
// progress even when the run is killed.
import type { EngineEvent } from '../engine/events.js'
import { describeFailure, diffLines, entriesOf, formatDuration, includedLine, messageLines, warningText, withMessage, type ResultEntry } from './describe.js'
import { banner } from './recap.js'
import { createSink, type Sink } from './sink.js'
import { terminalSafeEvent } from './terminal-safe.js'
import { RunTracker } from './tracker.js'
import type { HostResultEvent, Reporter, ReporterOptions } from './types.js'


export class PlainReporter implements Reporter {
  private readonly sink: Sink
  private readonly run = new RunTracker()
  /** The running task's module: `debug` messages show without -v. */
  private module: string | undefined

  constructor(private readonly opts: ReporterOptions) {
    this.sink = createSink(opts)
  }

  onEvent(event: EngineEvent): void {
    // Host output is data: no escape sequence in it reaches the terminal.
    const e = terminalSafeEvent(event)
    this.run.onEvent(e)
    const { out, err, style } = this.sink
    switch (e.type) {
      case 'play:start':
        out('', banner(`PLAY [${e.name}]`, style))
        break
      case 'task:start':
        this.module = e.module
        out('', banner(`${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.name}]`, style))
        break
      case 'host:result':
        out(...this.resultLines(e))
        break
      case 'include':
        out(style.status('included', includedLine(e)))
        break
      case 'warning':
        err(style.yellow(warningText(e.message, e.host)))
        break
    }
  }

  async finish(): Promise<void> {
    this.sink.out(...this.run.closingLines(this.sink.style))
  }

  private resultLines(e: HostResultEvent): string[] {
    const { style } = this.sink
    const entries = entriesOf(e.status, e.result, e.item)
    const took = this.opts.verbosity > 0 ? style.dim(` (${formatDuration(e.durationMs)})`) : ''
    const lines = entries.flatMap((entry, i) => this.entryLines(e.host, entry, i === entries.length - 1 ? took : '', e.diff ?? this.opts.diff))
    if (e.status === 'ignored') lines.push(style.status('ignoring', '...ignoring'))
    // a loop whose every item was skipped: Ansible ends its item lines with the host's own
    if (e.status === 'skipped' && Array.isArray(e.result.results) && e.result.results.length > 0) lines.push(style.status('skipped', `skipping: [${e.host}]`))
    if ((this.opts.verbosity > 0 || this.opts.check) && e.changes) lines.push(...e.changes.map((c) => `  - ${c}`))
    return lines
  }

  /** The lines of one entry; `took` (the duration at -v) ends its status line. */
  private entryLines(host: string, { status, result, item }: ResultEntry, took: string, diff: boolean): string[] {
    const { style } = this.sink
    const paint = (s: string): string => style.status(status, s)
    const lines = diff ? diffLines(result, style) : []
    const withItem = item === undefined ? '' : ` => (item=${item})`
    switch (status) {
      case 'ok':
      case 'changed': {
        const msg = this.opts.verbosity > 0 || this.module === 'debug' ? messageLines(result) : []
        const [head, ...more] = withMessage(`${status}: [${host}]${withItem}`, msg)
        lines.push(paint(head) + took, ...more)
        break
      }
      case 'skipped':
        lines.push(paint(`skipping: [${host}]${withItem}`) + took)
        break
      case 'included': // as in Ansible, the include's `included:` lines tell what it brought in
        break
      case 'unreachable':
        lines.push(paint(`fatal: [${host}]: UNREACHABLE! => ${describeFailure(result).head}`) + took)
        break
      case 'failed':
      case 'ignored': {
        const { head, more, excerpt } = describeFailure(result)
        const prefix = item === undefined ? `fatal: [${host}]: FAILED!` : `failed: [${host}] (item=${item})`
        lines.push(style.red(`${prefix} => ${head}`) + took, ...[...more, ...excerpt].map((l) => `    ${l}`))
        break
      }
    }
    return lines
  }
}
