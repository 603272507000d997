// Texts every human-readable reporter shows the same way: durations, a failure's message with its rc and
// the end of its stderr, and a module message.
import type { EngineEvent, HostStatus } from '../engine/events.js'
import type { TaskResult } from '../modules/types.js'
import { unifiedDiff } from './diff.js'
import type { Style } from './style.js'

/** Lines of stderr (or stdout) shown under a failure: the end is where the cause usually is. */
const EXCERPT_LINES = 10
const EXCERPT_WIDTH = 300

/** `0.42s`, `12.30s`, `2m03.45s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 60) return `${s.toFixed(2)}s`
  const m = Math.floor(s / 60)
  return `${m}m${(s - m * 60).toFixed(2).padStart(5, '0')}s`
}

export interface FailureText {
  /** The message's first line, with ` (rc=N)` when the command's exit code is known. */
  head: string
  /** The message's other lines, whole: a failure's message is what the user must read. */
  more: string[]
  /** The last lines of stderr, or of stdout when stderr is empty and the message has one line. */
  excerpt: string[]
}

export function describeFailure(result: TaskResult): FailureText {
  const rc = typeof result.rc === 'number' ? ` (rc=${result.rc})` : ''
  const message = typeof result.msg === 'string' ? lines(result.msg.trim(), undefined) : []
  const msg = (message[0] ?? firstLine(result.msg)) || (typeof result.rc === 'number' ? 'non-zero return code' : 'failed')
  const more = message.slice(1)
  const stream = lines(result.stderr, result.stderr_lines)
  const excerpt = (stream.length > 0 ? stream : more.length > 0 ? [] : lines(result.stdout, result.stdout_lines))
    .slice(-EXCERPT_LINES)
    .map((l) => (l.length > EXCERPT_WIDTH ? `${l.slice(0, EXCERPT_WIDTH)}…` : l))
  return { head: `${msg}${rc}`, more, excerpt }
}

/** The message a module returned, whole (debug output is often several lines), or [] when none. */
export function messageLines(result: TaskResult): string[] {
  const msg = result.msg
  if (msg === undefined || msg === null || msg === '') return []
  const text = typeof msg === 'string' ? msg.replace(/\n+$/, '') : JSON.stringify(msg, null, 2)
  return text.split('\n')
}

/** `HEAD => message` on one line, or `HEAD =>` with the message's lines indented under it; HEAD alone without one. */
export function withMessage(head: string, lines: string[]): string[] {
  if (lines.length === 0) return [head]
  return lines.length === 1 ? [`${head} => ${lines[0]}`] : [`${head} =>`, ...lines.map((l) => `    ${l}`)]
}

function firstLine(s: unknown): string {
  if (typeof s !== 'string') return s === undefined || s === null ? '' : JSON.stringify(s)
  const text = s.trim()
  const nl = text.indexOf('\n')
  return nl < 0 ? text : `${text.slice(0, nl)} …`
}

function lines(text: unknown, given: unknown): string[] {
  if (Array.isArray(given) && given.length > 0) return given.map(String).filter((l) => l.trim() !== '')
  if (typeof text !== 'string' || text.trim() === '') return []
  return text.split('\n').filter((l) => l.trim() !== '')
}

/** One line's worth of a host's result: the whole task, or one item of a loop. */
export interface ResultEntry {
  status: HostStatus
  result: TaskResult
  item?: string
}

/** A loop's items (from `result.results`) as entries of their own, else the result itself. */
export function entriesOf(status: HostStatus, result: TaskResult, item?: string): ResultEntry[] {
  const items = result.results
  if (!Array.isArray(items) || items.length === 0) return [{ status, result, item }]
  return items.map((r: TaskResult) => ({ status: itemStatus(r, status), result: r, item: labelOf(r) }))
}

function itemStatus(r: TaskResult, task: HostStatus): HostStatus {
  if (r.failed) return task === 'ignored' || task === 'unreachable' ? task : 'failed'
  if (r.skipped) return 'skipped'
  if (task === 'included') return task
  return r.changed ? 'changed' : 'ok'
}

/** Ansible's line for a task file an include brought in: `included: FILE for h1, h2 => (item=x)`. */
export function includedLine(e: Extract<EngineEvent, { type: 'include' }>): string {
  return `included: ${e.file} for ${e.hosts.join(', ')}${e.item === undefined ? '' : ` => (item=${e.item})`}`
}

function labelOf(r: TaskResult): string | undefined {
  if (typeof r._label === 'string') return r._label
  if (r.item === undefined) return undefined
  return typeof r.item === 'string' ? r.item : JSON.stringify(r.item)
}

/** `[WARNING]: [node1] message`, as every reporter writes warnings (to stderr). */
export function warningText(message: string, host?: string): string {
  return `[WARNING]: ${host ? `[${host}] ` : ''}${message}`
}

/** The unified diffs of a result's file changes, colored like `git diff`. */
export function diffLines(result: TaskResult, style: Style): string[] {
  const out: string[] = []
  for (const d of result.diff ?? []) {
    const text = unifiedDiff(d.before, d.after, d.path ?? '')
    for (const l of text ? text.split('\n') : []) {
      out.push(l.startsWith('@@') ? style.cyan(l) : l.startsWith('+') ? style.green(l) : l.startsWith('-') ? style.red(l) : l)
    }
  }
  return out
}
