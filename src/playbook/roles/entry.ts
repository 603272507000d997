// One entry of a play's `roles:` or of a role's `dependencies`: a role's name, or a mapping with `role:`
// (or `name:`, or a galaxy `src:`), the keywords Ansible takes on a role, and every other key a role
// parameter.
import type { SourceLocation } from '../../errors.js'
import { copyLoc } from '../../yaml-source.js'
import { nothingInherited } from '../inherit.js'
import { SETTING_KEYWORDS, UNSUPPORTED, readSettings } from '../keywords.js'
import type { Problems } from '../problems.js'
import { KeywordReader, describe, isMapping, isTemplated } from '../reader.js'
import type { Vars } from '../types.js'
import type { RoleUse } from './load.js'

/** Keys of a `roles:` entry or a dependency that are keywords; every other key is a role parameter. */
const ENTRY_KEYWORDS = new Set(['role', 'name', 'vars', 'when', 'tags', 'collections', ...SETTING_KEYWORDS])
/** Keywords Ansible takes on a role that pgha does not: refused rather than read as parameters. */
const ENTRY_UNSUPPORTED = new Set([
  'port', 'module_defaults', 'diff', 'throttle', 'timeout',
  'become_flags', 'become_exe', 'delegate_facts', 'ignore_unreachable',
])

/** A `roles:` entry or a dependency: a name, or a mapping with `role:` (or `name:`), keywords and parameters. */
export function readRoleEntry(entry: unknown, at: SourceLocation, problems: Problems, what: string): RoleUse | undefined {
  const use = (name: string, loc: SourceLocation, rest: Partial<RoleUse> = {}): RoleUse => ({
    name, loc, params: {}, vars: {}, from: {}, fromInclude: false, keywords: nothingInherited(), validate: true, ...rest,
  })
  if (typeof entry === 'string' || typeof entry === 'number') {
    const name = String(entry)
    if (name.includes(',')) problems.add(`old-style role requirement '${name}' in ${what}: write the role's name (or {role: NAME, param: value})`, at)
    else if (isTemplated(name)) problems.add(`${what} must name its role literally; use include_role for a templated name`, at)
    else return use(name, at)
    return undefined
  }
  if (!isMapping(entry)) {
    problems.add(`${what} must be a role's name or a mapping with role:, got ${describe(entry)}`, at)
    return undefined
  }
  const r = new KeywordReader(entry, problems, at)
  const key = ['role', 'name', 'src'].find((k) => r.has(k))
  const raw = key === undefined ? undefined : entry[key]
  const name = key === 'src' && typeof raw === 'string' ? nameFromSource(raw) : typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined
  if (name === undefined || name.trim() === '') {
    problems.add(`${what} needs the role's name (role: NAME), got ${describe(raw)}`, key ? r.loc(key) : at)
    return undefined
  }
  if (isTemplated(name)) {
    problems.add(`${what} must name its role literally; use include_role for a templated name`, r.loc(key!))
    return undefined
  }
  const params: Vars = {}
  for (const k of Object.keys(entry)) {
    if (ENTRY_UNSUPPORTED.has(k)) problems.add(UNSUPPORTED[k] ?? `'${k}' on a role is not supported by pgha`, r.keyLoc(k))
    else if (!ENTRY_KEYWORDS.has(k) && k !== 'src' && k !== 'version' && k !== 'scm') params[k] = entry[k]
  }
  copyLoc(entry, params)
  return use(name, r.loc(key!), {
    params,
    vars: r.vars(),
    keywords: { when: r.conditions('when') ?? [], tags: r.strings('tags', true), vars: {}, settings: readSettings(r) },
  })
}

/** A galaxy requirement's role name: `src: geerlingguy.postgresql` or `src: https://.../ansible-role-x.git`. */
function nameFromSource(src: string): string {
  const last = src.split(',')[0].replace(/\/$/, '').split('/').pop() ?? src
  return last.replace(/\.git$/, '').replace(/^ansible-role-/, '')
}
