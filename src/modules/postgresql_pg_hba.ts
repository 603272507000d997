// postgresql_pg_hba: rules of a pg_hba.conf file, one or a list (`rules`), present or absent, with
// Ansible's identity of a rule (source, database, user: lib/pg-hba.ts) and one line per database and user
// of comma lists. The file is edited as lineinfile edits (lib/text-edit.ts): exact check mode and diff,
// backup, create, owner/group/mode. Reload PostgreSQL afterwards for the rules to apply, as with Ansible.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { defineModule } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { editRead, planEdit } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { absolutePathParam, singleLineParam } from './lib/value-kinds.js'
import { HBA_METHODS, HBA_TYPES, hbaName, parseHba, renderHba, ruleKey, sourceText, withoutRule, withRule, type HbaLine, type HbaRule } from './lib/pg-hba.js'

const ADDRESS = /^[A-Za-z0-9_.:/%-]+$/

/** The parameters of one rule, as given on the task or in an item of `rules`. */
const ruleFields = {
  contype: z.enum(HBA_TYPES).optional().describe('Type of the rule (local, host, hostssl...); without it (and without rules) the module only reads the file.'),
  databases: singleLineParam().optional().describe("Databases, comma separated: one line each (default all)."),
  users: singleLineParam().optional().describe('Users, comma separated: one line each (default all).'),
  address: z.string().regex(ADDRESS, 'an address is an IP address, a CIDR, a host name or all/samehost/samenet').optional().describe('Source address, CIDR, host name or all/samehost/samenet; not for local (default samehost; aliases source, src).'),
  netmask: z.string().optional().describe('Netmask of address (written as a prefix length).'),
  method: z.enum(HBA_METHODS).optional().describe('Authentication method (default md5).'),
  options: singleLineParam().optional().describe('Options of the method (ldapserver=... for ldap).'),
  comment: singleLineParam().optional().describe('Comment written behind the rule.'),
  state: z.enum(['present', 'absent']).optional().describe('present adds or updates the rules, absent removes them (default present).'),
}

const DEFAULTS = { databases: 'all', users: 'all', address: 'samehost', method: 'md5', state: 'present' } as const

const ruleItem = z
  .object({ ...ruleFields, source: ruleFields.address, src: ruleFields.address })
  .strict()
  .transform(({ source, src, ...r }, c) => {
    const given = [r.address, source, src].filter((v) => v !== undefined)
    if (given.length > 1) c.addIssue({ code: 'custom', message: 'address, source and src are one parameter: give one' })
    return { ...r, address: given[0] }
  })

const params = z
  .object({
    dest: absolutePathParam().describe('The pg_hba.conf file.'),
    ...ruleFields,
    rules: z.array(ruleItem).optional().describe('Several rules, each with the parameters of one (contype, databases, users, address, netmask, method, options, comment, state).'),
    rules_behavior: z.enum(['conflict', 'combine']).default('conflict').describe('conflict: rules and the rule parameters of the task exclude each other; combine: the task\'s are defaults of each rule.'),
    overwrite: bool(false, 'Remove every other rule of the file (comments stay).'),
    create: bool(false, 'Create the file when it is missing.'),
    backup: bool(false, 'Keep a timestamped copy of the file before changing it.'),
    ...attrParams,
  })
  .strict()
  .superRefine((p, c) => {
    const used = (Object.keys(ruleFields) as (keyof typeof ruleFields)[]).filter((k) => p[k] !== undefined)
    if (p.rules && p.rules_behavior === 'conflict' && used.length > 0) {
      c.addIssue({ code: 'custom', message: `with rules, ${used.join(', ')} ${used.length > 1 ? 'are' : 'is'} given twice: set rules_behavior: combine to use them as defaults, or move them into the rules` })
    }
  })

type Params = z.output<typeof params>
type RuleParams = Partial<Record<keyof typeof ruleFields, string>>

export default defineModule({
  name: 'postgresql_pg_hba',
  aliases: { source: 'address', src: 'address' },
  description: 'Add, change or remove rules in a pg_hba.conf file.',
  params,
  reads: (p) => [editRead(p.dest)],
  async plan(ctx, p) {
    let after: HbaLine[] = []
    const changes = await planEdit(ctx, { ...p, path: p.dest, present: true }, (text) => {
      after = editHba(parseHba(text), p)
      return renderHba(after)
    })
    return { changes, result: { pg_hba: after.flatMap((l) => (l.rule ? [l.rule] : [])) } }
  },
  apply: applyFileOps,
})

/** The rules the task asks for, one per database and user. */
export function wantedRules(p: Params): (HbaRule & { state: string })[] {
  const items: RuleParams[] = p.rules ? p.rules.map((r) => (p.rules_behavior === 'combine' ? { ...defined(p), ...defined(r) } : r)) : [p]
  return items.flatMap((item) => {
    const r = { ...DEFAULTS, ...defined(item) }
    if (r.contype === undefined) return []
    if (r.contype === 'local' && item.address !== undefined) throw new PghaError('task', 'a local rule has no address')
    const src = r.contype === 'local' ? undefined : sourceText(r.address, r.netmask)
    return r.databases.split(',').flatMap((db) =>
      r.users.split(',').map((usr) => ({ type: r.contype!, db: hbaName(db.trim()), usr: hbaName(usr.trim()), src, method: r.method, options: r.options, comment: r.comment, state: r.state })),
    )
  })
}

function defined(r: object): RuleParams {
  const keys = Object.keys(ruleFields)
  return Object.fromEntries(Object.entries(r).filter(([k, v]) => keys.includes(k) && v !== undefined)) as RuleParams
}

export function editHba(lines: HbaLine[], p: Params): HbaLine[] {
  const wanted = wantedRules(p)
  // overwrite keeps the rules it would write again where they are, so a converged file stays unchanged.
  const keep = new Set(wanted.filter((r) => r.state === 'present').map(ruleKey))
  let out = p.overwrite ? lines.filter((l) => !l.rule || keep.has(ruleKey(l.rule))) : lines
  for (const { state, ...rule } of wanted) out = state === 'present' ? withRule(out, rule) : withoutRule(out, rule)
  return out
}
