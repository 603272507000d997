// Reads the keywords of one YAML mapping (a play, a task, a block): checks each value's type, reports a
// bad one at the value's position, and remembers where every keyword (and list item) is written.
import type { SourceLocation } from '../errors.js'
import { isYamlMapping, locOf, keyLocOf } from '../yaml-source.js'
import { isUnsafe } from '../vars/unsafe.js'
import { isVault } from '../vars/vault.js'
import type { Problems } from './problems.js'
import type { Condition, KeywordTemplate, Templatable, Vars } from './types.js'

export type Mapping = Record<string, unknown>

export function isMapping(v: unknown): v is Mapping {
  return isYamlMapping(v)
}

/** A string that will be rendered as a Jinja2 template (it holds `{{`, `{%` or `{#`), as Ansible decides. */
export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%') || v.includes('{#'))
}

/** Ansible's YAML 1.1 booleans, which YAML 1.2 reads as strings. */
export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (typeof v !== 'string') return undefined
  const s = v.toLowerCase()
  if (['yes', 'true', 'on', 'y'].includes(s)) return true
  if (['no', 'false', 'off', 'n'].includes(s)) return false
  return undefined
}

/** A number, or a string that is exactly a number. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v)
  return undefined
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing'
  if (Array.isArray(v)) return 'a list'
  if (isUnsafe(v)) return `the !unsafe string ${JSON.stringify(v.text)}`
  if (isVault(v)) return 'a !vault value'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`
  return `${typeof v} ${String(v)}`
}

/** What a numeric keyword must be. */
export interface NumberRule {
  integer?: boolean
  min?: number
  positive?: boolean
}

export class KeywordReader {
  /** Value positions: `key`, and `key.N` for list items. */
  readonly locs = new Map<string, SourceLocation>()

  constructor(
    readonly node: Mapping,
    readonly problems: Problems,
    readonly fallback: SourceLocation,
  ) {
    for (const key of Object.keys(node)) this.locs.set(key, this.loc(key))
  }

  has(key: string): boolean {
    return key in this.node && this.node[key] !== undefined
  }
  loc(key: string): SourceLocation {
    return locOf(this.node, key) ?? this.fallback
  }
  keyLoc(key: string): SourceLocation {
    return keyLocOf(this.node, key) ?? this.fallback
  }
  bad(key: string, expected: string): undefined {
    this.problems.add(`${key} must be ${expected}, got ${describe(this.node[key])}`, this.loc(key))
    return undefined
  }

  string(key: string): string | undefined {
    const v = this.node[key]
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    if (typeof v === 'number') return String(v)
    return this.bad(key, 'a string')
  }

  bool(key: string): boolean | undefined {
    const v = this.node[key]
    if (v === undefined || v === null) return undefined
    return toBool(v) ?? this.bad(key, 'true or false')
  }

  number(key: string, rule: NumberRule = {}): number | undefined {
    const v = this.node[key]
    if (v === undefined || v === null) return undefined
    const n = toNumber(v)
    const what = `${rule.positive ? 'a positive' : rule.min === 0 ? 'a non-negative' : 'a'} ${rule.integer ? 'integer' : 'number'}`
    if (n === undefined || (rule.integer && !Number.isInteger(n))) return this.bad(key, what)
    if ((rule.positive && n <= 0) || (rule.min !== undefined && n < rule.min)) return this.bad(key, what)
    return n
  }

  /** A keyword's template, kept for the engine to evaluate (`retries: "{{ n }}"`). */
  template(key: string): KeywordTemplate | undefined {
    const v = this.node[key]
    return isTemplated(v) ? { template: v as string, loc: this.loc(key) } : undefined
  }

  /** true/false, or a template giving one. */
  templatedBool(key: string): Templatable<boolean> | undefined {
    return this.template(key) ?? this.bool(key)
  }

  /** A number (as `number` checks it), or a template giving one. */
  templatedNumber(key: string, rule: NumberRule = {}): Templatable<number> | undefined {
    return this.template(key) ?? this.number(key, rule)
  }

  mapping(key: string): Mapping | undefined {
    const v = this.node[key]
    if (v === undefined || v === null) return undefined
    return isMapping(v) ? v : this.bad(key, 'a mapping')
  }

  vars(key = 'vars'): Vars {
    return this.mapping(key) ?? {}
  }

  /** A string or a list of strings; `commas` also splits "a,b" like Ansible's tags. */
  strings(key: string, commas = false): string[] {
    const v = this.node[key]
    if (v === undefined || v === null) return []
    const items = Array.isArray(v) ? v : [v]
    const out: string[] = []
    items.forEach((item, i) => {
      const loc = Array.isArray(v) ? (locOf(v, i) ?? this.loc(key)) : this.loc(key)
      if (typeof item !== 'string' && typeof item !== 'number') {
        this.problems.add(`${key} must be a string or a list of strings, got ${describe(item)}`, loc)
        return
      }
      const parts = commas ? String(item).split(',').map((s) => s.trim()).filter(Boolean) : [String(item)]
      for (const part of parts) {
        this.locs.set(`${key}.${out.length}`, loc)
        out.push(part)
      }
    })
    return out
  }

  /** `when`-style conditions: an expression, a boolean, or a list of them. */
  conditions(key: string): Condition[] | undefined {
    const v = this.node[key]
    if (v === undefined || v === null) return undefined
    const items = Array.isArray(v) ? v : [v]
    const out: Condition[] = []
    items.forEach((item, i) => {
      const loc = Array.isArray(v) ? (locOf(v, i) ?? this.loc(key)) : this.loc(key)
      if (typeof item === 'boolean' || typeof item === 'number') item = String(item)
      if (typeof item !== 'string' || item.trim() === '') {
        this.problems.add(`${key} must be an expression or a list of expressions, got ${describe(item)}`, loc)
        return
      }
      this.locs.set(`${key}.${out.length}`, loc)
      out.push({ expr: item, loc })
    })
    return out
  }

  /** `environment`: a mapping of names to scalar values (numbers and booleans become strings). */
  environment(key = 'environment'): Record<string, string> | undefined {
    const m = this.mapping(key)
    if (!m) return undefined
    const out: Record<string, string> = {}
    for (const [name, value] of Object.entries(m)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value)
      else this.problems.add(`environment variable ${name} must be a string, got ${describe(value)}`, locOf(m, name) ?? this.loc(key))
    }
    return out
  }

  /** locOf for the node being built: `key.index`, then `key`, then the node. */
  locator(): (key: string, index?: number) => SourceLocation {
    const locs = this.locs
    const fallback = this.fallback
    return (key, index) => (index !== undefined ? locs.get(`${key}.${index}`) : undefined) ?? locs.get(key) ?? fallback
  }
}
