// DIR/<host>/_render.txt: every file of the host with its mode and owner and the tasks that write it, then
// the notes. No timestamp, so rendering twice gives identical trees and a diff shows only real changes.
import { formatLoc, type SourceLocation } from '../errors.js'
import type { FileStep, HostRender, RenderNote, RenderResult } from './types.js'
import { shownPath } from '../shown-path.js'

export const LISTING = '_render.txt'

export function listing(result: RenderResult, h: HostRender): string {
  const out = [
    `pgha render: the files ${h.host} would get from ${shownPath(result.playbook)} with the inventory ${shownPath(result.inventory)}.`,
    'Nothing was contacted. Each file is here at its absolute path on the host.',
    'A file marked "edited" already exists on the host: only the lines the playbook manages are shown,',
    'where it would put them in an empty file.',
    '',
    `Files (${h.files.length})`,
  ]
  for (const f of h.files) {
    const attrs = [f.mode && `mode ${f.mode}`, f.owner && `owner ${f.owner}`, f.group && `group ${f.group}`, f.partial && 'edited'].filter(Boolean)
    out.push(`  ${f.path}${attrs.length ? `  (${attrs.join(', ')})` : ''}`)
    for (const [s, count] of collapse(f.steps)) out.push(`      ${s.module.padEnd(11)} ${at(s.loc)}  ${s.task}${count > 1 ? ` (x${count})` : ''}`)
  }
  out.push('', `Notes (${h.notes.length})`)
  for (const n of h.notes) out.push(`  ${noteLine(n)}`)
  return `${out.join('\n')}\n`
}

export function noteLine(n: RenderNote): string {
  return [n.error ? 'ERROR' : '', n.loc ? at(n.loc) : '', n.task ? `${n.task}:` : '', n.message].filter(Boolean).join(' ')
}

/** Consecutive steps of one task (a loop) shown once with a count. */
function collapse(steps: FileStep[]): [FileStep, number][] {
  const out: [FileStep, number][] = []
  for (const s of steps) {
    const last = out.at(-1)
    if (last && last[0].task === s.task && formatLoc(last[0].loc) === formatLoc(s.loc)) last[1]++
    else out.push([s, 1])
  }
  return out
}

const at = (loc: SourceLocation): string => formatLoc({ ...loc, file: shownPath(loc.file) })

