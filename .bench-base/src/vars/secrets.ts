// Which variable values are secret, and how they are removed from any text pgha prints or logs.
import { isTemplated, renderString } from './template.js'

type Vars = Record<string, unknown>

/** Connection and become passwords: secret whatever their value looks like. */
const ALWAYS = ['ansible_become_password', 'ansible_become_pass', 'ansible_password', 'ansible_ssh_pass']
const SECRET_NAME = /pass(word)?|secret|token/i
/** Values of variables only guessed secret by their name must be this long: scrubbing `8` or `on` everywhere would garble output. */
const MIN_GUESSED_LENGTH = 4
export const MASK = '********'

function read(vars: Vars, name: string): unknown {
  try {
    return vars[name] // a variable whose template failed is a throwing getter: nothing to scrub
  } catch {
    return undefined
  }
}

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
  const listed = read(vars, 'secret_vars')
  const explicit = new Set([...ALWAYS, ...secretNames, ...(Array.isArray(listed) ? listed.map(String) : [])])
  const found = new Set<string>()
  for (const name of Object.keys(vars)) {
    const named = explicit.has(name)
    if (!named && (name === 'secret_vars' || !SECRET_NAME.test(name))) continue
    const values: string[] = []
    leaves(read(vars, name), vars, values)
    for (const s of values) if (s.length >= (named ? 1 : MIN_GUESSED_LENGTH)) found.add(s)
  }
  return [...found].sort((a, b) => b.length - a.length)
}

// Keyed by content, not identity: callers append no_log values to their lists as a run goes on.
const patterns = new Map<string, RegExp | null>()

function patternOf(secrets: readonly string[]): RegExp | null {
  const key = secrets.join('\0')
  let re = patterns.get(key)
  if (re === undefined) {
    const sorted = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
    re = sorted.length ? new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null
    if (patterns.size > 1000) patterns.clear()
    patterns.set(key, re)
  }
  return re
}

/** `db_password=...`, `ansible_become_pass: ...`, `"api_token": "..."`: an assignment to a secret-named variable. */
const SECRET_ASSIGNMENT = new RegExp(
  `((?:^|[^\\w])[\\w.-]*(?:${SECRET_NAME.source})[\\w.-]*["']?[ \\t]*[=:][ \\t]*)("[^"\\n]*"|'[^'\\n]*'|[^\\s,}\\]]+)`,
  'gi',
)

/**
 * Masks the values assigned to secret-named variables in a text, for input errors printed before any
 * variable is known (an inventory or -e line quoted under its error).
 */
export function maskSecretAssignments(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, (_m, head: string) => head + MASK)
}

/** Replaces every occurrence of every secret with `********`. */
export function scrub(text: string, secrets: readonly string[]): string {
  const re = patternOf(secrets)
  return re ? text.replace(re, MASK) : text
}
