// The secret values of a set of variables: the strings scrubbed from anything printed for a host.
import type { Vars } from '../inventory/types.js'
import { isTemplated, renderString } from '../vars/index.js'
import { ALWAYS_SECRET, isSecretName, listedSecretNames, readVar } from './names.js'

/** Values only guessed secret (by a variable's name, or as a no_log task's output) must be this long: scrubbing `8` or `on` everywhere would garble output. */
export const MIN_GUESSED_LENGTH = 4

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

/**
 * The strings to scrub from output for a host: values of connection passwords, of every variable named
 * like a password, secret or token, of the names in the `secret_vars` list, and of `secretNames`.
 * Longest first, so a secret containing another is masked whole.
 */
export function secretValues(vars: Vars, secretNames: Set<string> = new Set()): string[] {
  const explicit = new Set([...ALWAYS_SECRET, ...secretNames, ...listedSecretNames(vars)])
  const found = new Set<string>()
  for (const name of Object.keys(vars)) {
    const named = explicit.has(name)
    if (!named && !isSecretName(name)) continue
    const values: string[] = []
    leaves(readVar(vars, name), vars, values)
    for (const s of values) if (s.length >= (named ? 1 : MIN_GUESSED_LENGTH)) found.add(s)
  }
  return [...found].sort((a, b) => b.length - a.length)
}
