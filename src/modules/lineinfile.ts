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
    regexp: z.string().optional().describe('Regular expression for the line to replace (present: the last match) or remove (absent: every match).'),
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
  .refine((p) => p.insertafter === undefined || p.insertbefore === undefined, { message: 'insertafter and insertbefore are exclusive' })
  .refine((p) => p.state === 'present' || p.line !== undefined || p.regexp !== undefined, { message: 'state=absent needs line or regexp' })

type Params = z.output<typeof params>

const bare = (l: string): string => l.replace(/\r?\n$/, '')

/** The file's text after ensuring the line is present (Ansible lineinfile's present()). */
export function present(text: string, p: Params): string {
  const lines = splitLines(text)
  const line = p.line!
  const re = p.regexp !== undefined ? new RegExp(p.regexp) : undefined
  const anchor = p.insertafter ?? p.insertbefore
  const insRe = anchor !== undefined && anchor !== 'EOF' && anchor !== 'BOF' ? new RegExp(anchor) : undefined
  let found = -1
  let match: RegExpExecArray | null = null
  let insertAt = -1
  for (let i = 0; i < lines.length; i++) {
    const cur = bare(lines[i])
    const m = re ? re.exec(cur) : cur === line ? ([cur] as unknown as RegExpExecArray) : null
    if (m) {
      found = i
      match = m
    } else if (insRe?.test(cur) && !(p.firstmatch && insertAt !== -1)) {
      insertAt = p.insertafter !== undefined ? i + 1 : i
    }
  }
  if (found !== -1) {
    const next = (p.backrefs && match ? pyExpand(line, match) : line) + '\n'
    if (lines[found] !== next) lines[found] = next
    return lines.join('')
  }
  if (p.backrefs) return text
  const add = line + '\n'
  if (anchor === 'BOF') lines.unshift(add)
  else if (anchor === 'EOF' || insertAt === -1 || p.insertafter !== undefined) {
    if (insertAt === -1 || anchor === 'EOF') {
      if (lines.length > 0 && !lines[lines.length - 1].endsWith('\n')) lines[lines.length - 1] += '\n'
      lines.push(add)
    } else if (insertAt === lines.length ? bare(lines[insertAt - 1]) !== line : bare(lines[insertAt]) !== line) {
      if (insertAt === lines.length && !lines[insertAt - 1].endsWith('\n')) lines[insertAt - 1] += '\n'
      lines.splice(insertAt, 0, add)
    }
  } else lines.splice(insertAt, 0, add)
  return lines.join('')
}

/** The file's text without the matching lines (Ansible lineinfile's absent()). */
export function absent(text: string, p: Params): string {
  const re = p.regexp !== undefined ? new RegExp(p.regexp) : undefined
  return splitLines(text)
    .filter((l) => !(re ? re.test(bare(l)) : bare(l) === p.line))
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
