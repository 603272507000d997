// pam_limits (community.general): one limit of /etc/security/limits.conf (or dest), edited line by line as
// community.general's module does it (the limit's line replaced in place, or appended; use_max and use_min
// keep the larger or smaller value; a comment carried over as that module carries it), so the file is the
// same bytes as Ansible's. The domain is one word and the value a limit: neither becomes another field or line.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { editRead, planEdit } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { hostPathParam, singleLineParam } from './lib/value-kinds.js'

const ITEMS = ['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins', 'priority', 'locks',
  'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot'] as const
const UNLIMITED = ['unlimited', 'infinity', '-1']

const params = z
  .object({
    domain: z.string().regex(/^\S+$/, 'domain is one word (a user, @group, a uid range or *)').describe('Who the limit is for: a user, @group, a uid range or *.'),
    limit_type: z.enum(['soft', 'hard', '-']).describe('soft, hard or - (both).'),
    limit_item: z.enum(ITEMS).describe('The limit: nofile, nproc, core, memlock, ...'),
    value: z.union([z.string(), z.number().int().transform(String)]).describe("The limit's value: a number, or unlimited, infinity or -1 (none); -20 to 19 for nice and priority."),
    use_max: bool(false, 'Keep the larger of the value and the one in the file.'),
    use_min: bool(false, 'Keep the smaller of the value and the one in the file.'),
    backup: bool(false, 'Keep a timestamped copy of the file before changing it.'),
    dest: hostPathParam().default('/etc/security/limits.conf').describe('The limits file.'),
    comment: singleLineParam().default('').describe('A comment written after the limit.'),
  })
  .strict()
  .superRefine((p, ctx) => {
    const problem = invalidValue(p.limit_item, p.value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] })
  })
  .refine((p) => !(p.use_max && p.use_min), { message: 'Cannot use use_min and use_max at the same time.' })

type Params = z.output<typeof params>

/** The module's own check of a value, for the one given and for those already in the file. */
function invalidValue(item: string, value: string): string | undefined {
  if (item === 'nice' || item === 'priority') {
    const n = /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN
    return n >= -20 && n <= 19 ? undefined : `Value of '${value}' for item '${item}' is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`
  }
  return UNLIMITED.includes(value) || /^\d+$/.test(value) ? undefined
    : `Value of '${value}' for item '${item}' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`
}

/** The file's text with the limit set, as community.general's pam_limits writes it. */
export function limitsEdit(text: string, p: Params, file: string): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? []
  let comment = p.comment
  let found = false
  let value = p.value
  const limitLine = (v: string) => `${p.domain}\t${p.limit_type}\t${p.limit_item}\t${v}${comment ? `\t#${comment}` : ''}\n`
  const out = lines.map((line) => {
    if (line.startsWith('#')) return line
    const squeezed = line.replace(/\s+/g, ' ').trim()
    if (!squeezed) return line
    const fields = squeezed.split('#', 1)[0].trimEnd().split(' ')
    const hash = line.indexOf('#')
    // An empty comment takes the last one read, trailing newline included, as the module does.
    if (!comment) comment = hash < 0 ? '' : line.slice(hash + 1)
    if (fields.length !== 4) return line
    const [domain, type, item, actual] = fields
    const bad = invalidValue(item, actual)
    if (bad) throw new PghaError('task', `Invalid configuration found in '${file}'. ${bad}`)
    if (domain !== p.domain || type !== p.limit_type || item !== p.limit_item) return line
    found = true
    if (p.value === actual) return line
    // As the module: `nice` and `priority` are never unlimited (it compares the type, so no item is exempt).
    const actualUnlimited = UNLIMITED.includes(actual)
    const valueUnlimited = UNLIMITED.includes(p.value)
    if (p.use_max) value = actualUnlimited ? actual : valueUnlimited ? p.value : String(Math.max(Number(p.value), Number(actual)))
    if (p.use_min) value = actualUnlimited && valueUnlimited ? actual : actualUnlimited ? p.value : valueUnlimited ? actual : String(Math.min(Number(p.value), Number(actual)))
    return value !== actual ? limitLine(value) : line
  })
  if (!found) out.push(limitLine(value))
  return out.join('')
}

export default defineModule({
  name: 'pam_limits',
  description: 'Set one limit of /etc/security/limits.conf (or another limits file), as community.general does',
  params,
  reads: (p) => [editRead(p.dest)],
  plan: (ctx, p) => planEdit(ctx, { path: p.dest, create: true, present: true, backup: p.backup }, (text) => limitsEdit(text, p, p.dest)),
  apply: applyFileOps,
})
