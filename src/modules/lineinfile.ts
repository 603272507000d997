// lineinfile: makes sure one line is in a text file (or is not), replacing the last line that matches regexp,
// with Ansible's insertafter/insertbefore/backrefs semantics.
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, bool, writeParams } from './lib/params.js'
import { editRead, planEdit, splitLines } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { hostPathParam, singleLineParam } from './lib/value-kinds.js'
import { pyExpand } from './lib/py-regex.js'

const params = z
  .object({
    path: hostPathParam().describe('The file to edit.'),
    line: singleLineParam().optional().describe('The line to insert or replace with (required with state=present); one line: a line break is refused.'),
    regexp: z.string().optional().describe('Regular expression for the line to replace (present: the last match, or the first with firstmatch) or remove (absent: every match).'),
    search_string: z.string().optional().describe('Literal text (not a regexp) a line must contain to be replaced or removed, as regexp matches; exclusive with regexp and backrefs.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the line should be there.'),
    insertafter: z.string().optional().describe('Insert after the last line matching this regexp, or EOF (default).'),
    insertbefore: z.string().optional().describe('Insert before the last line matching this regexp, or BOF.'),
    firstmatch: bool(false, 'Use the first line matching insertafter/insertbefore instead of the last.'),
    backrefs: bool(false, 'Expand \\1 and \\g<name> in line from regexp; when regexp does not match, change nothing.'),
    create: bool(false, 'Create the file when it is missing (state=present).'),
    ...attrParams,
    ...writeParams,
  })
  .strict()
  .refine((p) => p.state === 'absent' || p.line !== undefined, { message: 'line is required with state=present' })
  .refine((p) => p.state === 'absent' || p.regexp !== undefined || !p.backrefs, { message: 'backrefs requires regexp' })
  .refine((p) => p.regexp === undefined || p.search_string === undefined, { message: 'regexp and search_string are exclusive' })
  .refine((p) => p.search_string === undefined || !p.backrefs, { message: 'backrefs and search_string are exclusive' })
  .refine((p) => p.insertafter === undefined || p.insertbefore === undefined, { message: 'insertafter and insertbefore are exclusive' })
  .refine((p) => p.state === 'present' || p.line !== undefined || p.regexp !== undefined || p.search_string !== undefined, { message: 'one of line, search_string, or regexp is required with state=absent' })

type Params = z.output<typeof params>

const bare = (l: string): string => l.replace(/\r?\n$/, '')

/** The line index `hit` picks: the last, or with firstmatch the first (-1: none). */
function pick(lines: string[], hit: (l: string) => boolean, first: boolean): number {
  let at = -1
  for (let i = 0; i < lines.length && !(first && at !== -1); i++) if (hit(lines[i])) at = i
  return at
}

/**
 * The file's text after ensuring the line is present, step by step as Ansible lineinfile's present(): a regexp
 * or search_string match is replaced (firstmatch: the first, else the last); only when neither matched does an
 * exact copy of line count as present, or insertafter/insertbefore place it.
 */
export function present(text: string, p: Params): string {
  const lines = splitLines(text)
  const line = p.line!
  const add = line + '\n'
  const re = p.regexp !== undefined ? new RegExp(p.regexp) : undefined
  const search = p.search_string
  let found = re ? pick(lines, (l) => re.test(bare(l)), p.firstmatch) : search !== undefined ? pick(lines, (l) => l.includes(search), p.firstmatch) : -1
  if (found !== -1) {
    lines[found] = (p.backrefs && re ? pyExpand(line, re.exec(bare(lines[found]))!) : line) + '\n'
    return lines.join('')
  }
  const anchor = p.insertafter ?? p.insertbefore
  const insRe = anchor !== undefined && anchor !== 'EOF' && anchor !== 'BOF' ? new RegExp(anchor) : undefined
  let insertAt = -1
  for (let i = 0; i < lines.length; i++) {
    if (bare(lines[i]) === line) found = i
    else if (insRe?.test(bare(lines[i]))) {
      insertAt = p.insertafter !== undefined ? i + 1 : i
      if (p.firstmatch) break
    }
  }
  // An exact copy counts as present wherever it is; Ansible still rewrites its line ending to \n.
  if (found !== -1) {
    lines[found] = add
    return lines.join('')
  }
  if (p.backrefs) return text
  if (anchor === 'BOF') lines.unshift(add)
  else if (anchor === 'EOF' || insertAt === -1) {
    if (lines.length > 0 && !/[\r\n]$/.test(lines[lines.length - 1])) lines.push('\n')
    lines.push(add)
  } else if (p.insertafter !== undefined) {
    if (insertAt === lines.length ? bare(lines[insertAt - 1]) !== line : bare(lines[insertAt]) !== line) lines.splice(insertAt, 0, add)
  } else lines.splice(insertAt, 0, add)
  return lines.join('')
}

/** The file's text without the matching lines (Ansible lineinfile's absent()). */
export function absent(text: string, p: Params): string {
  const re = p.regexp !== undefined ? new RegExp(p.regexp) : undefined
  const search = p.search_string
  return splitLines(text)
    .filter((l) => !(re ? re.test(bare(l)) : search !== undefined ? l.includes(search) : bare(l) === p.line))
    .join('')
}

export default defineModule({
  name: 'lineinfile',
  aliases: { value: 'line', dest: 'path', destfile: 'path', name: 'path', regex: 'regexp' },
  description: 'Ensure a line is present in (or absent from) a text file',
  params,
  reads: (p) => [editRead(p.path)],
  plan: (ctx, p) =>
    planEdit(ctx, { ...p, present: p.state === 'present' }, (text) => (p.state === 'present' ? present(text, p) : absent(text, p))),
  apply: applyFileOps,
})
