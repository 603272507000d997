// ini_file (community.general): one option of one section of an INI-style file, edited line by line as
// community.general's do_ini does it (comments and order kept, a commented-out `#option = x` reused, a
// missing section appended at the end, a missing final newline added), so the file it writes is the same
// bytes as Ansible's. Sections, options and values are single lines: a value never becomes another line.
import { z } from 'zod'
import { defineModule } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { editRead, planEdit } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { hostPathParam, singleLineParam } from './lib/value-kinds.js'
import { stringList } from './lib/list-param.js'

const params = z
  .object({
    path: hostPathParam().describe('The INI file; created when missing (unless create is false).'),
    section: z.preprocess((v) => (v === null ? undefined : v), singleLineParam().optional()).describe('The section; none (or null): the options before the first section.'),
    option: singleLineParam().optional().describe('The option; without it, state absent removes the whole section.'),
    value: z.union([singleLineParam(), z.number().transform(String), z.boolean().transform((b) => (b ? 'True' : 'False'))]).optional().describe('The value of the option (as values: [value]).'),
    values: stringList().optional().describe('The values of the option, one line each (exclusive decides what happens to others).'),
    state: z.enum(['present', 'absent']).default('present').describe('present: the option has the value(s); absent: the option (or the value(s), or the section) is removed.'),
    exclusive: bool(true, 'present: the given values replace every other line of the option; absent: every line of the option goes, whatever its value.'),
    no_extra_spaces: bool(false, "Write option=value, without spaces around '='."),
    create: bool(true, 'Create the file when it is missing (false: fail).'),
    allow_no_value: bool(false, "Allow an option without a value (a line with the option alone, no '=')."),
    backup: bool(false, 'Keep a timestamped copy of the file before changing it.'),
    ...attrParams,
  })
  .strict()
  .refine((p) => p.value === undefined || p.values === undefined, { message: 'parameters are mutually exclusive: value|values' })
  .refine((p) => (p.values ?? []).every((v) => !/[\r\n]/.test(v)), { message: 'values must be single lines' })
  .refine((p) => p.state === 'absent' || p.allow_no_value || p.value !== undefined || (p.values?.length ?? 0) > 0, {
    message: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False.",
  })

type Params = z.output<typeof params>

/** The section community.general puts around the lines before the first section, named so no file has it. */
const FAKE_SECTION = 'ad01e11446efb704fcdbdb21f2c43757423d91c5'

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** Python's re.match of the module's patterns, on a line without its newline (Python's `$` allows one). */
const optionRe = (option: string, commented: boolean): RegExp => new RegExp(`^${commented ? '[#;]?' : ''}( |\\t)*(${escape(option)})( |\\t)*(=|$)( |\\t)*([^\\n]*)`)
const bare = (line: string): string => (line.endsWith('\n') ? line.slice(0, -1) : line)
const BLANK_OR_COMMENT = /^[ \t]*([#;][^\n]*)?$/

/** The file's text after the edit and whether do_ini counts it as changed (it writes only then). */
export function iniEdit(text: string, p: Params): { text: string; changed: boolean } {
  const option = p.option
  const values: string[] = []
  for (const v of p.value !== undefined ? [p.value] : (p.values ?? [])) if (!values.includes(v)) values.push(v)
  const matchOpt = (line: string) => (option === undefined ? null : optionRe(option, true).exec(bare(line)))
  const matchActive = (line: string) => (option === undefined ? null : optionRe(option, false).exec(bare(line)))
  const assignment = (o: string, v: string) => (p.no_extra_spaces ? `${o}=${v}\n` : `${o} = ${v}\n`)

  // Python reads the file with universal newlines and without a UTF-8 BOM, keeping each line's '\n'.
  const lines: string[] = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? []
  let changed = false
  if (lines.length === 0) lines.push('\n')
  if (!lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n'
    changed = true
  }
  lines.unshift(`[${FAKE_SECTION}]`)
  lines.push('[')
  const section = p.section ? p.section : FAKE_SECTION

  let within = false
  let start = 0
  let end = 0
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith(`[${section}]`)) {
      within = true
      start = i
    } else if (lines[i].startsWith('[') && within) {
      end = i
      break
    }
  }
  const before = lines.slice(0, start)
  let sectionLines = lines.slice(start, end)
  const after = lines.slice(end)
  let touched = sectionLines.map(() => false)
  const update = (i: number, line: string) => {
    if (sectionLines[i] !== line) changed = true
    sectionLines[i] = line
    touched[i] = true
  }
  let noValuePresent = false

  if (p.state === 'present' && option !== undefined) {
    for (let i = 0; i < sectionLines.length; i++) {
      const m = matchOpt(sectionLines[i])
      if (!m) continue
      if (values.length > 0 && values.includes(m[6])) {
        const matched = m[6]
        if (!matched && p.allow_no_value) {
          update(i, `${option}\n`)
          noValuePresent = true
        } else update(i, assignment(option, matched))
        values.splice(values.indexOf(matched), 1)
      } else if (values.length === 0 && p.allow_no_value) {
        update(i, `${option}\n`)
        noValuePresent = true
        break
      }
    }
  }
  if (p.state === 'present' && p.exclusive && !p.allow_no_value) {
    if (values.length > 0) {
      for (let i = 0; i < sectionLines.length; i++) {
        if (touched[i] || !matchOpt(sectionLines[i])) continue
        update(i, assignment(option!, values.shift()!))
        if (values.length === 0) break
      }
    }
    for (let i = sectionLines.length - 1; i > 0; i--) {
      if (!touched[i] && matchOpt(sectionLines[i])) {
        sectionLines.splice(i, 1)
        touched.splice(i, 1)
        changed = true
      }
    }
  }
  if (p.state === 'present') {
    // After the section's last line that is neither blank nor a comment.
    for (let i = sectionLines.length; i > 0; i--) {
      if (BLANK_OR_COMMENT.test(bare(sectionLines[i - 1]))) continue
      if (option !== undefined && values.length > 0) {
        sectionLines.splice(i, 0, ...values.map((v) => assignment(option, v)))
        changed = true
      } else if (option !== undefined && values.length === 0 && p.allow_no_value && !noValuePresent) {
        sectionLines.splice(i, 0, `${option}\n`)
        changed = true
      }
      break
    }
  }
  if (p.state === 'absent') {
    if (option !== undefined) {
      const kept = sectionLines.filter((l) => {
        const m = matchActive(l)
        return !(m && (p.exclusive || values.includes(m[6])))
      })
      if ((p.exclusive || values.length > 0) && kept.length !== sectionLines.length) {
        sectionLines = kept
        touched = kept.map(() => false)
        changed = true
      }
    } else if (sectionLines.length > 0) {
      sectionLines = []
      changed = true
    }
  }

  const out = [...before, ...sectionLines, ...after].slice(1, -1)
  if (!within && p.state === 'present') {
    out.push(`[${section}]\n`)
    if (option !== undefined && values.length > 0) out.push(...values.map((v) => assignment(option, v)))
    else if (option !== undefined && p.allow_no_value) out.push(`${option}\n`)
    changed = true
  }
  return { text: out.join(''), changed }
}

export default defineModule({
  name: 'ini_file',
  aliases: { dest: 'path' },
  description: 'Set or remove one option (or a section) of an INI-style file, line by line as community.general does',
  params,
  reads: (p) => [editRead(p.path)],
  plan: (ctx, p) =>
    planEdit(ctx, { ...p, present: p.state === 'present' }, (text) => {
      const r = iniEdit(text, p)
      // do_ini writes only what it counts as a change: a CRLF file it leaves alone keeps its line ends.
      return r.changed ? r.text : text
    }),
  apply: applyFileOps,
})
