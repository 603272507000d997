// Live progress on a terminal with listr2 (the only file that imports it, and only through `create`, so
// non-TTY runs never load it). The engine drives the run, so events are adapted to listr2's task model:
// one Listr per engine task, run one after the other, whose subtasks are the task's hosts; each host
// subtask is a promise settled by that host's result. PLAY headers are printed between them.
import type { EngineEvent, HostStatus } from '../engine/events.js'
import { describeFailure, diffLines, entriesOf, formatDuration, includedLine, messageLines, warningText, withMessage } from './describe.js'
import { banner } from './recap.js'
import { createSink, type Sink } from './sink.js'
import { terminalSafeEvent } from './terminal-safe.js'
import { RunTracker } from './tracker.js'
import type { HostResultEvent, Reporter, ReporterOptions } from './types.js'

type Lib = typeof import('listr2')
type Wrapper = { title: string; skip(message?: string): void }

/** Lines of a failed command's output shown under its host (the message itself is always shown whole). */
const EXCERPT_LINES = 3
/** At most one frame per this many ms: listr2 redraws on every state change, and measuring wide
 * characters costs ~2 ms a frame, which 20 hosts reporting at once would otherwise multiply. */
const FRAME_MS = 50

/** The colours listr2 paints with (colorette's names), as SGR open and close codes. */
const SGR: Readonly<Record<string, readonly [number, number]>> = { red: [31, 39], green: [32, 39], yellow: [33, 39], redBright: [91, 39], yellowBright: [93, 39], dim: [2, 22] }

/**
 * The colour of each state in listr2's style tables (LISTR_DEFAULT_RENDERER_STYLE, LISTR_LOGGER_STYLE), as
 * listr2 8 has them: loaded with colour off, listr2 holds the same function (String) for every state, which
 * does not tell them apart.
 */
const STATE_COLORS: Readonly<Record<string, string>> = {
  PENDING: 'yellow', STARTED: 'yellow', SKIPPED: 'yellow', SKIPPED_WITH_COLLAPSE: 'yellow', SKIPPED_WITHOUT_COLLAPSE: 'yellow',
  COMPLETED: 'green', COMPLETED_WITH_FAILED_SUBTASKS: 'yellow', COMPLETED_WITH_SISTER_TASKS_FAILED: 'red',
  FAILED: 'red', FAILED_WITH_SUBTASKS: 'red', RETRY: 'yellowBright', PAUSED: 'yellowBright',
  ROLLBACK: 'redBright', ROLLING_BACK: 'redBright', ROLLED_BACK: 'redBright', WAITING: 'dim',
}

type Paint = (s?: string) => string

/**
 * The colours of this run. listr2 decides once, when loaded (colorette: from that moment's environment
 * and whether fd 1 was a terminal), which in a process serving many runs would be the first run's choice
 * or the server's own: each reporter paints as its run decided, in listr2's shared palette (read when it
 * draws) and in the style tables it is given.
 */
function runColors(lib: Lib, color: boolean): (style: { color?: object }) => Record<string, Paint> {
  const paint = (name: string | undefined): Paint => {
    const code = name === undefined ? undefined : SGR[name]
    return (s = '') => (color && code ? `\u001b[${code[0]}m${s}\u001b[${code[1]}m` : s)
  }
  for (const name of Object.keys(SGR)) (lib.color as unknown as Record<string, Paint>)[name] = paint(name)
  return (style) => Object.fromEntries(Object.keys(style.color ?? {}).map((k) => [k, paint(STATE_COLORS[k])]))
}

/** listr2's default renderer, drawing coalesced frames; the last frame is always drawn by `end`. */
function throttledRenderer(lib: Lib): typeof lib.DefaultRenderer {
  return class ThrottledRenderer extends lib.DefaultRenderer {
    private timer: NodeJS.Timeout | undefined

    override update(): void {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        super.update()
      }, FRAME_MS)
    }

    override end(): void {
      clearTimeout(this.timer)
      this.timer = undefined
      super.end()
    }
  }
}

interface Outcome {
  kind: 'done' | 'skip' | 'fail'
  title: string
}

interface HostLine {
  host: string
  outcome?: Outcome
  /** Set once listr2 runs the host's subtask; events that came earlier are applied then. */
  wrapper?: Wrapper
  resolve?: () => void
  reject?: (err: Error) => void
}

interface Block {
  name: string
  handler: boolean
  /** The task's module: `debug` messages are shown without -v. */
  module?: string
  lines: Map<string, HostLine>
  statuses: HostStatus[]
  startedAt: number
  /** When the last host reported: the task's time, whenever listr2 gets to draw it. */
  endedAt?: number
  root?: Wrapper
  /** Planned changes and diffs, printed under the task once listr2 has drawn it. */
  notes: string[]
}

export class ListrReporter implements Reporter {
  static async create(opts: ReporterOptions): Promise<ListrReporter> {
    return new ListrReporter(await import('listr2'), opts)
  }

  private readonly sink: Sink
  private readonly run = new RunTracker()
  private readonly listrOptions: Record<string, unknown>
  /** Listr runs and PLAY headers, in event order: each waits for the one before it to finish drawing. */
  private chain: Promise<void> = Promise.resolve()
  private block: Block | undefined

  constructor(private readonly lib: Lib, private readonly opts: ReporterOptions) {
    this.sink = createSink(opts)
    const out = new lib.ProcessOutput(this.sink.stream as NodeJS.WriteStream, this.sink.errStream as NodeJS.WriteStream)
    const colors = runColors(lib, opts.color)
    this.listrOptions = {
      concurrent: false,
      exitOnError: false,
      // The CLI owns SIGINT (a graceful stop, then exit 130); listr2's handler would exit on its own.
      registerSignalListeners: false,
      renderer: throttledRenderer(lib),
      rendererOptions: {
        logger: new lib.ListrLogger({ processOutput: out, useIcons: true, toStderr: [] }),
        collapseSubtasks: opts.verbosity === 0,
        // Wrapped at the terminal's width, never cut: a failure's message often ends with the command
        // that fixes it (a split brain's rejoin).
        formatOutput: 'wrap',
        color: colors(lib.LISTR_DEFAULT_RENDERER_STYLE),
      },
      fallbackRenderer: 'simple',
      fallbackRendererOptions: {
        logger: new lib.ListrLogger({ processOutput: out, useIcons: true }),
        color: colors(lib.LISTR_LOGGER_STYLE),
      },
    }
  }

  onEvent(event: EngineEvent): void {
    // Host output is data: no escape sequence in it reaches the terminal.
    const e = terminalSafeEvent(event)
    this.run.onEvent(e)
    switch (e.type) {
      case 'play:start':
        this.closeBlock()
        this.enqueue(async () => this.sink.out('', banner(`PLAY [${e.name}]`, this.sink.style)))
        break
      case 'task:start': {
        this.closeBlock()
        const block: Block = { name: e.name, handler: !!e.handler, module: e.module, lines: new Map(), statuses: [], startedAt: performance.now(), notes: [] }
        for (const host of e.hosts) block.lines.set(host, { host })
        this.block = block
        this.enqueue(() => this.draw(block))
        break
      }
      case 'host:start': {
        const line = this.line(e.host)
        if (line?.wrapper && e.item !== undefined) line.wrapper.title = this.sink.scrub(`${e.host}  item=${e.item}`)
        break
      }
      case 'host:result': {
        const line = this.line(e.host)
        if (!line || !this.block) break
        this.block.statuses.push(e.status)
        if (this.block.statuses.length >= this.block.lines.size) this.block.endedAt = performance.now()
        this.settle(line, this.outcome(e))
        this.block.notes.push(...this.notes(e, this.block.module))
        if (this.block.root) this.block.root.title = this.blockTitle(this.block)
        break
      }
      case 'include':
        this.block?.notes.push(this.sink.style.status('included', includedLine(e)))
        break
      case 'task:end':
        this.closeBlock()
        break
      case 'warning':
        this.sink.err(this.sink.style.yellow(warningText(e.message, e.host)))
        break
    }
  }

  async finish(): Promise<void> {
    this.closeBlock('interrupted')
    await this.chain
    this.sink.out(...this.run.closingLines(this.sink.style))
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.sink.err(`progress display failed: ${String(err)}`))
  }

  /** Runs the Listr of one engine task; resolves when every host line has settled and been drawn. */
  private async draw(block: Block): Promise<void> {
    const hosts = [...block.lines.values()].map((line) => ({
      title: this.sink.scrub(line.host),
      task: (_ctx: unknown, t: Wrapper) =>
        new Promise<void>((resolve, reject) => {
          Object.assign(line, { wrapper: t, resolve, reject })
          if (line.outcome) this.apply(line)
        }),
    }))
    const list = new this.lib.Listr(
      [{
        title: this.blockTitle(block),
        task: (_ctx: unknown, t: Wrapper & { newListr: (tasks: unknown, o: object) => unknown }) => {
          block.root = t
          t.title = this.blockTitle(block)
          return t.newListr(hosts, { concurrent: true, exitOnError: false })
        },
      }] as never,
      this.listrOptions as never,
    )
    await list.run()
    this.sink.out(...block.notes)
  }

  /**
   * What is printed under the task once it is drawn, for one host: its messages (a `debug` task's always,
   * every module's at -v, as the plain output shows them), then what --check/-v and --diff add: its
   * planned changes and its files' diffs. Printed as lines of their own, so the terminal wraps them whole.
   */
  private notes(e: HostResultEvent, module: string | undefined): string[] {
    const { style } = this.sink
    const entries = entriesOf(e.status, e.result, e.item)
    const shown = (this.opts.verbosity > 0 || module === 'debug') && (e.status === 'ok' || e.status === 'changed')
    const messages = shown ? entries.flatMap((entry) => {
      const lines = messageLines(entry.result)
      return lines.length === 0 ? [] : withMessage(`[${e.host}]${entry.item === undefined ? '' : ` (item=${entry.item})`}`, lines)
    }) : []
    const changes = this.opts.verbosity > 0 || this.opts.check ? (e.changes ?? []) : []
    const diffs = (e.diff ?? this.opts.diff) ? entries.flatMap((entry) => diffLines(entry.result, style)) : []
    if (changes.length === 0 && diffs.length === 0) return messages
    return [...messages, style.bold(`[${e.host}]`), ...changes.map((c) => `  - ${c}`), ...diffs]
  }

  /** A task's header line: its name, then the counts so far, then its time once every host reported. */
  private blockTitle(b: Block): string {
    const { style } = this.sink
    const head = style.bold(`${b.handler ? 'RUNNING HANDLER' : 'TASK'} [${b.name}]`)
    const counts = new Map<HostStatus, number>()
    for (const s of b.statuses) counts.set(s, (counts.get(s) ?? 0) + 1)
    const parts = [...counts].map(([s, n]) => style.status(s, `${s}=${n}`))
    const tail = b.endedAt !== undefined ? style.dim(formatDuration(b.endedAt - b.startedAt)) : `${b.statuses.length}/${b.lines.size}`
    return this.sink.scrub([head, ...parts, tail].join('  '))
  }

  private outcome(e: HostResultEvent): Outcome {
    const { style } = this.sink
    const items = Array.isArray(e.result.results) ? ` (${e.result.results.length} items)` : ''
    const head = `${e.host}  ${style.status(e.status, e.status)}${items}  ${style.dim(formatDuration(e.durationMs))}`
    if (e.status === 'skipped') return { kind: 'skip', title: head }
    if (e.status === 'ignored') return { kind: 'done', title: `${head}: ${describeFailure(e.result).head}` }
    if (e.status !== 'failed' && e.status !== 'unreachable') return { kind: 'done', title: head }
    const { head: msg, more, excerpt } = describeFailure(e.result)
    return { kind: 'fail', title: [`${head}: ${msg}`, ...[...more, ...excerpt.slice(-EXCERPT_LINES)].map((l) => `  ${l}`)].join('\n') }
  }

  private line(host: string): HostLine | undefined {
    if (!this.block) return undefined
    let line = this.block.lines.get(host)
    // A host missing from task:start (it should not happen) still gets its line rather than vanishing.
    if (!line && !this.block.root) this.block.lines.set(host, (line = { host }))
    return line
  }

  private settle(line: HostLine, outcome: Outcome): void {
    if (line.outcome) return
    line.outcome = { kind: outcome.kind, title: this.sink.scrub(outcome.title) }
    if (line.wrapper) this.apply(line)
  }

  private apply(line: HostLine): void {
    const { wrapper, outcome } = line
    if (!wrapper || !outcome) return
    if (outcome.kind === 'fail') return line.reject?.(new Error(outcome.title))
    if (outcome.kind === 'skip') wrapper.skip(outcome.title)
    else wrapper.title = outcome.title
    line.resolve?.()
  }

  /** Ends the current task's block: hosts that never reported are shown as such, not left spinning. */
  private closeBlock(reason = 'no result'): void {
    if (!this.block) return
    for (const line of this.block.lines.values()) this.settle(line, { kind: 'skip', title: `${line.host}  ${reason}` })
    this.block = undefined
  }
}
