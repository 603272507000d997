// ANSI styling, switched off as a whole when colors are not wanted, and the color of each host status
// (Ansible's: ok green, changed yellow, failed red, skipped cyan).
import type { HostStatus } from '../engine/events.js'

export type Paint = (s: string) => string

export interface Style {
  green: Paint
  yellow: Paint
  red: Paint
  cyan: Paint
  bold: Paint
  dim: Paint
  status(status: HostStatus | 'ignoring', s: string): string
}

const sgr = (open: number, close: number): Paint => (s) => `\u001b[${open}m${s}\u001b[${close}m`
const plain: Paint = (s) => s

export function createStyle(color: boolean): Style {
  const p = (open: number, close: number): Paint => (color ? sgr(open, close) : plain)
  const s = { green: p(32, 39), yellow: p(33, 39), red: p(31, 39), cyan: p(36, 39), bold: p(1, 22), dim: p(2, 22) }
  const byStatus: Record<HostStatus | 'ignoring', Paint> = {
    ok: s.green,
    changed: s.yellow,
    failed: s.red,
    unreachable: s.red,
    skipped: s.cyan,
    included: s.cyan,
    ignored: s.red,
    ignoring: s.cyan,
  }
  return { ...s, status: (status, text) => byStatus[status](text) }
}

/** Colors when the stream is a terminal and the user did not set NO_COLOR (https://no-color.org). */
export function defaultColor(stream: NodeJS.WritableStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return (stream as NodeJS.WriteStream).isTTY === true
}
