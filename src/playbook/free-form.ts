// Ansible's free-form module arguments: `copy: src=a dest=/b mode=0644`, and for command-like modules
// `command: echo {{ x }} creates=/tmp/a`, where the key=value pairs the module declares are taken out and
// the rest is the command. Splitting respects quotes and {{ ... }} so templated text stays one piece.
import { MASK } from '../secrets/mask-text.js'
import { SECRET_ARGS } from '../secrets/names.js'

interface Token {
  raw: string
  start: number
}

/** Splits on whitespace outside quotes and outside {{ }} / {% %}. */
export function splitArgs(text: string): Token[] {
  const tokens: Token[] = []
  let start = -1
  let quote = ''
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (start < 0) {
      if (/\s/.test(c)) continue
      start = i
    }
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if ((c === '{' || c === '}') && text[i + 1] === c) {
      depth += c === '{' ? 1 : -1
      i++
    } else if (depth === 0 && (c === '"' || c === "'")) {
      quote = c
    } else if (depth === 0 && /\s/.test(c)) {
      tokens.push({ raw: text.slice(start, i), start })
      start = -1
    }
  }
  if (start >= 0) tokens.push({ raw: text.slice(start), start })
  return tokens
}

/** Removes one pair of matching outer quotes, like Ansible's unquote. */
export function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s
}

export interface FreeForm {
  args: Record<string, unknown>
  /** Offset of each argument's value, and of its name, in the text (for error positions). */
  offsets: Map<string, number>
  keyOffsets: Map<string, number>
  /** Words that are not key=value (only for modules without free-form text). */
  stray: Token[]
}

// Ansible's parse_kv: the key is whatever precedes the first `=` that is not the word's first character
// nor escaped (`daemon-reload=true`, `a.b=1`), not only an identifier.
const KEY_VALUE = /^([^]+?)(?<!\\)=/

/**
 * Parses free-form text. With `rawKey` (command-like modules), only pairs whose key is in `knownKeys` are
 * arguments and the remaining text, untouched, becomes `args[rawKey]`; otherwise every word must be key=value.
 */
export function parseFreeForm(text: string, opts: { rawKey?: string; knownKeys?: ReadonlySet<string> } = {}): FreeForm {
  const args: Record<string, unknown> = {}
  const offsets = new Map<string, number>()
  const keyOffsets = new Map<string, number>()
  const stray: Token[] = []
  const removed: [number, number][] = []
  for (const token of splitArgs(text)) {
    const m = KEY_VALUE.exec(token.raw)
    const isArg = m && (!opts.rawKey || (m[1] !== opts.rawKey && opts.knownKeys?.has(m[1])))
    if (m && isArg) {
      const raw = token.raw.slice(m[0].length)
      const value = unquote(raw)
      args[m[1]] = value
      offsets.set(m[1], token.start + m[0].length + (value === raw ? 0 : 1))
      keyOffsets.set(m[1], token.start)
      removed.push([token.start, token.start + token.raw.length])
    } else if (!opts.rawKey) {
      stray.push(token)
    }
  }
  if (opts.rawKey) {
    let rest = ''
    let from = 0
    for (const [s, e] of removed) {
      let cut = s
      while (cut > from && /[ \t]/.test(text[cut - 1])) cut-- // take the separating blank with the pair
      rest += text.slice(from, cut)
      from = e
    }
    rest = (rest + text.slice(from)).trim()
    if (rest !== '') {
      args[opts.rawKey] = rest
      offsets.set(opts.rawKey, text.length - text.trimStart().length)
    }
  }
  return { args, offsets, keyOffsets, stray }
}

/** A short `key=value` summary of arguments for unnamed tasks. */
export function summarizeArgs(args: Record<string, unknown>, rawKey?: string, secretArgs: readonly string[] = [], max = 60): string {
  const parts: string[] = []
  if (rawKey && typeof args[rawKey] === 'string') parts.push(args[rawKey] as string)
  for (const [k, v] of Object.entries(args)) {
    if (k === rawKey) continue
    // A password argument is masked here already: cut short, the title would hold only part of it, which no scrub finds.
    parts.push(`${k}=${SECRET_ARGS.includes(k) || secretArgs.includes(k) ? MASK : typeof v === 'string' ? v : JSON.stringify(v)}`)
  }
  const text = parts.join(' ').replace(/\s+/g, ' ')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
