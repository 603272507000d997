// replace: replaces every match of a Python regular expression in a file (multiline: ^ and $ at each
// line), optionally only in the section after `after` and before `before`, as Ansible's replace does.
// Planned from the file's text, so check mode and --diff are exact.
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, writeParams } from './lib/params.js'
import { editRead, planEdit } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { pyRegExp, pySubn } from './lib/py-regex.js'
import { hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    path: hostPathParam().describe('The file to change.'),
    regexp: z.string().describe('Python regular expression; every match is replaced. ^ and $ match at each line.'),
    replace: z.string().default('').describe('The replacement, with \\1 and \\g<name> backreferences; empty removes the matches.'),
    after: z.string().optional().describe('Replace only after the first match of this regular expression (it may span lines).'),
    before: z.string().optional().describe('Replace only before the first match of this regular expression that follows after.'),
    ...attrParams,
    ...writeParams,
  })
  .strict()

type Params = z.output<typeof params>

/** The file's text after the replacements, and how many were made (Ansible replace's main). */
export function replaced(text: string, p: Params): { text: string; count: number; msg?: string } {
  let pattern = ''
  if (p.after && p.before) pattern = `${p.after}(?P<subsection>.*?)${p.before}`
  else if (p.after) pattern = `${p.after}(?P<subsection>.*)`
  else if (p.before) pattern = `(?P<subsection>.*)${p.before}`
  let start = 0
  let end = text.length
  if (pattern) {
    const m = pyRegExp(pattern, 'sd').exec(text)
    if (!m) return { text, count: 0, msg: `Pattern for before/after params did not match the given file: ${pattern}` }
    ;[start, end] = m.indices!.groups!.subsection!
  }
  const section = text.slice(start, end)
  const r = pySubn(pyRegExp(p.regexp, 'gm'), p.replace, section)
  if (r.count === 0 || r.text === section) return { text, count: 0 }
  return { text: text.slice(0, start) + r.text + text.slice(end), count: r.count }
}

export default defineModule({
  name: 'replace',
  description: 'Replace every match of a regular expression in a file',
  params,
  aliases: { dest: 'path', destfile: 'path', name: 'path' },
  reads: (p) => [editRead(p.path)],
  async plan(ctx, p) {
    let msg = ''
    const changes = await planEdit(ctx, { ...p, create: false, present: true }, (text) => {
      const r = replaced(text, p)
      msg = r.msg ?? (r.count > 0 ? `${r.count} replacements made` : '')
      return r.text
    })
    return { changes, result: { msg } }
  },
  apply: applyFileOps,
})
