// The secret values of a set of variables: the strings scrubbed from anything printed for a host.
import type { Vars } from '../inventory/types.js'
import { isTemplated, renderString } from '../vars/index.js'
import { ALWAYS_SECRET, isSecretName, listedSecretNames, MIN_GUESSED_LENGTH, readVar } from './names.js'
import { revealedVaultValues } from './vault.js'

export { MIN_GUESSED_LENGTH } from './names.js'

function leaves(v: unknown, vars: Vars, out: string[]): void {
  if (typeof v === 'string') {
    if (!isTemplated(v)) return void out.push(v)
    try {
      out.push(renderString(v, vars, 'secret'))
    } catch {
      // An unresolvable template is not a secret value yet.
    }
  } else if (typeof v === 'number') out.push(String(v))
  else if (Array.isArray(v)) for (const x of v) leaves(x, vars, out)
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) leaves(x, vars, out)
}

/** Variables pgha defines that hold other hosts' variables or inventory structure, never a secret of their own. */
const NOT_SEARCHED = new Set(['hostvars', 'groups', 'group_names', 'ansible_play_hosts', 'ansible_play_hosts_all', 'play_hosts'])

/** How deep a mapping is searched for secret-named keys (data nested deeper is not configuration). */
const MAX_DEPTH = 16

/**
 * The secret leaves nested under a variable that is not itself secret: `repmgr: {password: X}` makes X
 * secret, as a key named like a secret does at any depth.
 */
function nested(v: unknown, vars: Vars, out: string[], depth: number, seen: Set<object>): void {
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH || seen.has(v)) return
  seen.add(v)
  if (Array.isArray(v)) return void v.forEach((x) => nested(x, vars, out, depth + 1, seen))
  for (const key of Object.keys(v)) {
    const value = readVar(v as Vars, key)
    if (isSecretName(key)) leaves(value, vars, out)
    else nested(value, vars, out, depth + 1, seen)
  }
}

/**
 * The strings to scrub from output for a host: values of connection passwords, of every variable named
 * like a password, secret or token (at any depth of a mapping), of the names in the `secret_vars` list,
 * of `secretNames`, and every value decrypted from Ansible Vault so far.
 * Longest first, so a secret containing another is masked whole.
 */
export function secretValues(vars: Vars, secretNames: Set<string> = new Set()): string[] {
  const explicit = new Set([...ALWAYS_SECRET, ...secretNames, ...listedSecretNames(vars)])
  const found = new Set<string>(revealedVaultValues())
  const seen = new Set<object>()
  for (const name of Object.keys(vars)) {
    const named = explicit.has(name)
    const values: string[] = []
    if (named || isSecretName(name)) leaves(readVar(vars, name), vars, values)
    else if (!NOT_SEARCHED.has(name)) nested(readVar(vars, name), vars, values, 1, seen)
    for (const s of values) if (s.length >= (named ? 1 : MIN_GUESSED_LENGTH)) found.add(s)
  }
  return [...found].sort((a, b) => b.length - a.length)
}
