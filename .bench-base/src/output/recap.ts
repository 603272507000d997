// The recap: counts per host and the PLAY RECAP text shared by the plain and listr reporters. The engine
// sends its counts with run:end (the same ones its exit code comes from), and those are printed; the
// counts kept here from host:result events stand in when a run ends without run:end (the engine threw).
// The engine emits one host:result per task and host (a loop's items are in `result.results`), so each
// event counts once, as Ansible does: ok includes changed and ignored failures.
import type { EngineEvent, HostStatus, RecapCounts } from '../engine/events.js'
import { formatDuration } from './describe.js'
import type { Paint, Style } from './style.js'

export interface RecapRow extends RecapCounts {
  rescued: number
}

export type Recap = Record<string, RecapRow>

const zero = (): RecapRow => ({ ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 })

/** What one task's outcome on one host adds to that host's counts. */
const ADDS: Record<HostStatus, (keyof RecapCounts)[]> = {
  ok: ['ok'],
  changed: ['ok', 'changed'],
  ignored: ['ok', 'ignored'],
  failed: ['failed'],
  skipped: ['skipped'],
  unreachable: ['unreachable'],
}

export class RecapCounter {
  private readonly rows = new Map<string, RecapRow>()
  private engineRecap: Record<string, RecapCounts> | undefined

  onEvent(e: EngineEvent): void {
    if (e.type === 'run:start' || e.type === 'play:start') for (const h of e.hosts) this.row(h)
    else if (e.type === 'host:result') for (const k of ADDS[e.status]) this.row(e.host)[k]++
    else if (e.type === 'host:rescued') {
      const row = this.row(e.host)
      row.failed = Math.max(0, row.failed - 1)
      row.rescued++
    } else if (e.type === 'run:end') this.engineRecap = e.recap
  }

  /** Per host, in the order hosts were first seen. */
  result(): Recap {
    const out: Recap = {}
    for (const [host, row] of this.rows) out[host] = { ...row, ...this.engineRecap?.[host] }
    for (const [host, counts] of Object.entries(this.engineRecap ?? {})) out[host] ??= { ...zero(), ...counts }
    return out
  }

  private row(host: string): RecapRow {
    let r = this.rows.get(host)
    if (!r) this.rows.set(host, (r = zero()))
    return r
  }
}

const FIELDS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const
type Field = (typeof FIELDS)[number]

/** `PLAY RECAP ***` then one aligned line per host, then `elapsed 1.23s`. */
export function formatRecap(recap: Recap, elapsedMs: number, style: Style, note?: string): string[] {
  const hosts = Object.keys(recap)
  const hostWidth = Math.max(0, ...hosts.map((h) => h.length))
  const widths = FIELDS.map((f) => Math.max(0, ...hosts.map((h) => `${f}=${recap[h][f]}`.length)))
  const lines = ['', banner('PLAY RECAP', style)]
  for (const host of hosts) {
    const row = recap[host]
    const cells = FIELDS.map((f, i) => pad(`${f}=${row[f]}`, widths[i], cellPaint(f, row[f], style)))
    lines.push(`${pad(host, hostWidth, hostPaint(row, style))} : ${cells.join(' ').trimEnd()}`)
  }
  lines.push('', `elapsed ${formatDuration(elapsedMs)}${note ? ` ${note}` : ''}`)
  return lines
}

/** `NAME [title] ****` padded with stars to 80 columns, like Ansible's banners. */
export function banner(title: string, style: Style): string {
  return style.bold(`${title} ${'*'.repeat(Math.max(3, 79 - title.length))}`)
}

/** Pads by the visible width, so colored cells stay aligned. */
function pad(text: string, width: number, paint: Paint): string {
  return paint(text) + ' '.repeat(Math.max(0, width - text.length))
}

function cellPaint(field: Field, value: number, style: Style): Paint {
  if (value === 0) return (s) => s
  switch (field) {
    case 'ok': return style.green
    case 'changed': return style.yellow
    case 'skipped': case 'rescued': case 'ignored': return style.cyan
    default: return style.red
  }
}

function hostPaint(row: RecapRow, style: Style): Paint {
  if (row.failed > 0 || row.unreachable > 0) return style.red
  return row.changed > 0 ? style.yellow : style.green
}
