// How `pgha status` prints: an aligned table with one line per node, then one warning line per problem
// (the same `[WARNING]:` lines as a run), or one JSON document.
import { warningText } from '../output/index.js'
import type { NodeRow, StatusReport } from './types.js'

export const COLUMNS = ['NODE', 'ROLE (repmgr)', 'ROLE (pg)', 'UPSTREAM', 'TIMELINE', 'REPLICATION', 'LAG BYTES', 'LAG S', 'REPMGRD'] as const

/** The cells of one row, in COLUMNS order; `-` where there is nothing to show. */
export function cells(r: NodeRow): string[] {
  const dash = (v: string | number | null): string => (v === null ? '-' : String(v))
  const repmgr = r.repmgrActive === false ? `${r.repmgrRole} (inactive)` : r.repmgrRole
  const repmgrd = r.repmgrd === null ? '?' : r.repmgrd ? 'running' : 'not running'
  const seconds = r.lagSeconds === null ? '-' : r.lagSeconds.toFixed(1)
  return [r.node, repmgr, r.pgRole, dash(r.upstream), dash(r.timeline), dash(r.replication), dash(r.lagBytes), seconds, repmgrd]
}

/** Columns padded to their widest cell; the last one is not padded, so lines carry no trailing blanks. */
export function formatTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)))
  return rows.map((row) => row.map((cell, col) => (col < row.length - 1 ? cell.padEnd(widths[col]) : cell)).join('  '))
}

/** The table, a blank line, then the warnings or a one-line verdict. */
export function renderText(report: StatusReport): string {
  const table = formatTable([[...COLUMNS], ...report.nodes.map(cells)])
  const verdict = report.healthy
    ? ['healthy: one primary, every standby streaming from it, repmgr in agreement']
    : report.problems.map((p) => warningText(p.message))
  return `${[...table, '', ...verdict].join('\n')}\n`
}

/** The --output json document: {nodes, problems, healthy}. */
export function renderJson(report: StatusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
