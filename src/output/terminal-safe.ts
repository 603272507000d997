// Text from hosts is data, and the controller's terminal must not obey it: an escape sequence in a
// command's output could recolor, hide or rewrite what pgha shows, set the window title, or (OSC 52)
// write to the clipboard. Before any reporter prints, control characters other than newline and tab are
// shown as visible escapes (`\x1b[31m`), and so are the bidirectional overrides that reorder a line
// on screen. JSON output keeps the data exact: its own escapes (\u001b) are already inert, and the C1
// controls and overrides JSON leaves raw are written as \u escapes.
import type { EngineEvent } from '../engine/events.js'

/**
 * C0 but tab, newline and the carriage return of a CRLF line end (a lone one would let a line overwrite
 * itself), DEL, C1, and the bidi embeddings, overrides and isolates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this file's purpose
const UNSAFE = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g')
/** What JSON.stringify leaves raw of those (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const hex = (c: string): string => {
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** The text with every unsafe character shown as an escape. */
export function terminalSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, hex) : text
}

/** JSON text (from JSON.stringify) with the characters it leaves raw written as \u escapes: the same JSON value. */
export function jsonTerminalSafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A value with every string in it made terminal-safe; the same object when nothing needed it. */
export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T
  if (Array.isArray(value)) {
    const items = value.map(terminalSafeValue)
    return (items.some((x, i) => x !== value[i]) ? items : value) as T
  }
  if (value === null || typeof value !== 'object') return value
  let changed = false
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const safe = terminalSafeValue(v)
    changed ||= safe !== v
    out[k] = safe
  }
  return (changed ? out : value) as T
}

/** An engine event as a human-readable reporter may print it: host names, task names, results, items, warnings. */
export function terminalSafeEvent(e: EngineEvent): EngineEvent {
  return terminalSafeValue(e)
}
