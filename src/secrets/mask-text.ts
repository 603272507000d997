// Masking secrets in text pgha prints or logs: by value (every known secret string of a host) and, for
// input errors printed before any variable is known, by name (an assignment to a secret-named variable).
import { SECRET_WORD } from './names.js'

export const MASK = '********'

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
  `((?:^|[^\\w])[\\w.-]*(?:${SECRET_WORD.source})[\\w.-]*["']?[ \\t]*[=:][ \\t]*)("[^"\\n]*"|'[^'\\n]*'|[^\\s,}\\]]+)`,
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
