// Masking secrets in text pgha prints or logs: by value (every known secret string of a host) and, for
// input errors printed before any variable is known, by name (an assignment to a secret-named variable).
import { secretForms } from './forms.js'
import { SECRET_WORD } from './names.js'
import { onNewRun } from '../run-state.js'

export const MASK = '********'

// Keyed by content, not identity: callers append no_log values to their lists as a run goes on.
const patterns = new Map<string, RegExp | null>()
// Each pattern spells out a run's secrets: they go with the run.
onNewRun(() => patterns.clear())

function patternOf(secrets: readonly string[]): RegExp | null {
  const key = secrets.join('\0')
  let re = patterns.get(key)
  if (re === undefined) {
    const forms = new Set(secrets.filter((s) => s.length > 0).flatMap(secretForms))
    const sorted = [...forms].sort((a, b) => b.length - a.length)
    re = sorted.length ? new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null
    if (patterns.size > 1000) patterns.clear()
    patterns.set(key, re)
  }
  return re
}

/**
 * `db_password=`, `ansible_become_pass: `, `"api_token": `: the start of an assignment to a secret-named
 * variable. sudoers' `NOPASSWD:` and `PASSWD:` tags are keywords, not names: a sudoers rule quoted in an
 * error stays readable; so is PostgreSQL's `password_encryption = scram-sha-256`, a method, not a secret. A colon is YAML's separator only before a blank or the line's end, or JSON's after
 * a quoted name: `prod-secrets.yml:1:18:` is the location of an error in a file so named, which stays
 * readable with the message after it.
 */
const SECRET_ASSIGNMENT = new RegExp(
  `(?:^|[^\\w])(?!(?:no)?passwd:|password_encryption\\b)[\\w.-]*(?:${SECRET_WORD.source})[\\w.-]*(?:["'][ \\t]*:|[ \\t]*:(?=\\s|$)|["']?[ \\t]*=)[ \\t]*`,
  'gi',
)

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '[': ']', '{': '}' }

/**
 * Where an assigned value ends on its line. A quoted or bracketed value ends at its closing character,
 * or with the line when it is left open (an input error is often exactly that); `key: value` (YAML) runs
 * to the end of the line, since a plain YAML scalar may hold spaces; `key=value` (INI, -e) to the next
 * blank, comma or closing bracket.
 */
function valueEnd(text: string, start: number, separator: string): number {
  const newline = text.indexOf('\n', start)
  const lineEnd = newline < 0 ? text.length : newline
  const open = text[start]
  const close = CLOSING[open]
  if (close) {
    let depth = 0
    for (let i = start + 1; i < lineEnd; i++) {
      if (text[i] === '\\' && open === '"') i++
      else if (text[i] === open && open !== close) depth++
      else if (text[i] === close && depth-- === 0) return i + 1
    }
    return lineEnd
  }
  if (separator === ':') return start + text.slice(start, lineEnd).trimEnd().length
  const stop = /[\s,}\]]/.exec(text.slice(start, lineEnd))
  return stop ? start + stop.index : lineEnd
}

/**
 * Masks the values assigned to secret-named variables in a text, for input errors printed before any
 * variable is known (an inventory or -e line quoted under its error).
 */
export function maskSecretAssignments(text: string): string {
  let out = ''
  let pos = 0
  for (const m of text.matchAll(SECRET_ASSIGNMENT)) {
    const start = m.index + m[0].length
    if (start < pos) continue // inside a value already masked
    const end = valueEnd(text, start, m[0].trimEnd().slice(-1))
    if (end === start) continue
    out += text.slice(pos, start) + MASK
    pos = end
  }
  return out + text.slice(pos)
}

/** Replaces every occurrence of every secret with `********`. */
export function scrub(text: string, secrets: readonly string[]): string {
  const re = patternOf(secrets)
  return re ? text.replace(re, MASK) : text
}
