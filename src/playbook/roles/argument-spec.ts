// meta/argument_specs.yml (or `argument_specs` in meta/main.yml): what a role's entry points take. The spec
// is read when the role loads, every mistake in it reported where it is written; values are checked with
// Ansible's conversions (`"5432"` is an int, `yes` a bool, `a,b` a list) by validateArguments, which the
// pre-flight check runs for every use of the role before any host is contacted.
import type { SourceLocation } from '../../errors.js'
import { keyLocOf, locOf } from '../../yaml-source.js'
import type { Problems } from '../problems.js'
import { KeywordReader, describe, isMapping, isTemplated } from '../reader.js'
import { closest, didYouMean, meant } from '../suggest.js'
import type { Vars } from '../types.js'

const TYPES = ['str', 'int', 'float', 'bool', 'list', 'dict', 'path', 'raw'] as const
export type OptionType = (typeof TYPES)[number]

export interface OptionSpec {
  type: OptionType
  required: boolean
  choices?: unknown[]
  /** Absent when the spec gives no default. */
  default?: { value: unknown }
  elements?: OptionType
  options?: ArgumentSpec
  /** The value is a secret: errors never show it. */
  noLog: boolean
  /** Where the option is named in the spec. */
  loc: SourceLocation
}

/** An entry point's options, by name. */
export type ArgumentSpec = Record<string, OptionSpec>

/** Entry points (`main`, or a tasks_from name) and their options. */
export type ArgumentSpecs = Record<string, ArgumentSpec>

const DOC_KEYS = ['description', 'version_added', 'author', 'notes', 'seealso', 'short_description']
const ENTRY_KEYS = new Set(['options', ...DOC_KEYS])
const OPTION_KEYS = new Set(['type', 'required', 'choices', 'default', 'elements', 'options', 'no_log', ...DOC_KEYS])
/** Keys Ansible's argument specs have that pgha does not check: refused rather than ignored. */
const UNCHECKED = new Set(['aliases', 'mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by', 'apply_defaults', 'fallback', 'removed_in_version', 'removed_at_date', 'deprecated_aliases'])

/** Reads the `argument_specs` mapping of a role's meta file. */
export function readArgumentSpecs(value: unknown, at: SourceLocation, problems: Problems): ArgumentSpecs {
  if (value === null || value === undefined) return {}
  if (!isMapping(value)) {
    problems.add(`argument_specs must be a mapping of entry points (main: {options: ...}), got ${describe(value)}`, at)
    return {}
  }
  const out: ArgumentSpecs = {}
  for (const [entry, spec] of Object.entries(value)) {
    const loc = locOf(value, entry) ?? at
    if (!isMapping(spec)) {
      problems.add(`argument_specs entry point '${entry}' must be a mapping with options, got ${describe(spec)}`, loc)
      continue
    }
    const r = new KeywordReader(spec, problems, loc)
    for (const key of Object.keys(spec)) if (!ENTRY_KEYS.has(key)) problems.add(`unknown key '${key}' in argument_specs entry point '${entry}'${didYouMean(key, ENTRY_KEYS)}`, r.keyLoc(key))
    out[entry] = readOptions(r.mapping('options') ?? {}, r.loc('options'), problems)
  }
  return out
}

/** An entry point's `options` mapping, as the validate_argument_spec module takes it (argument_spec). */
export function readOptions(options: Vars, at: SourceLocation, problems: Problems): ArgumentSpec {
  const out: ArgumentSpec = {}
  for (const [name, raw] of Object.entries(options)) {
    const loc = locOf(options, name) ?? at
    if (!isMapping(raw)) {
      problems.add(`option '${name}' must be a mapping (type, required, choices, default, ...), got ${describe(raw)}`, loc)
      continue
    }
    const r = new KeywordReader(raw, problems, loc)
    const nameLoc = keyLocOf(options, name) ?? loc
    for (const key of Object.keys(raw)) {
      if (OPTION_KEYS.has(key)) continue
      const why = UNCHECKED.has(key) ? `'${key}' in argument_specs is not supported by pgha` : `unknown key '${key}' in option '${name}'${didYouMean(key, OPTION_KEYS)}`
      problems.add(why, r.keyLoc(key))
    }
    const type = readType(r, 'type') ?? 'str'
    const spec: OptionSpec = { type, required: r.bool('required') ?? false, noLog: r.bool('no_log') ?? false, loc: nameLoc }
    if (r.has('elements')) spec.elements = readType(r, 'elements')
    if (r.has('options')) spec.options = readOptions(r.mapping('options') ?? {}, r.loc('options'), problems)
    if (r.has('choices')) {
      const choices = raw.choices
      if (Array.isArray(choices)) spec.choices = choices
      else r.bad('choices', 'a list')
    }
    if ('default' in raw) {
      spec.default = { value: raw.default }
      if (spec.required) problems.add(`option '${name}' is required and has a default; give it one or the other`, r.keyLoc('default'))
      for (const p of checkValue(raw.default, spec, `the default of option '${name}'`, locOf(raw, 'default') ?? loc)) problems.add(p.message, p.loc)
    }
    out[name] = spec
  }
  return out
}

function readType(r: KeywordReader, key: string): OptionType | undefined {
  const t = r.string(key)
  if (t === undefined) return undefined
  if ((TYPES as readonly string[]).includes(t)) return t as OptionType
  r.problems.add(`${key} '${t}' is not one pgha checks; use one of ${TYPES.join(', ')}${didYouMean(t, TYPES)}`, r.loc(key))
  return undefined
}

export interface ArgumentProblem {
  message: string
  loc: SourceLocation
}

/** Where a value came from: its position, when it was written in YAML. */
export type Locate = (name: string) => SourceLocation | undefined

/**
 * Checks the values a role's tasks would see against an entry point's spec. `values` holds every
 * variable the role sees (its parameters included); `runtime` names variables set only once tasks run
 * (register, set_fact), which cannot be missing yet; a templated value is checked once it is rendered.
 */
export function validateArguments(spec: ArgumentSpec, values: Vars, what: string, at: SourceLocation, locate: Locate, runtime: ReadonlySet<string> = new Set()): ArgumentProblem[] {
  const out: ArgumentProblem[] = []
  for (const [name, option] of Object.entries(spec)) {
    let value: unknown
    try {
      value = values[name]
    } catch {
      continue // a variable that cannot be rendered before the play runs is checked when it is used
    }
    if (value === undefined || value === null) {
      if (option.required && !runtime.has(name)) out.push({ message: `${what} requires argument '${name}' (argument_specs at ${where(option.loc)})`, loc: at })
      continue
    }
    out.push(...checkValue(value, option, `argument '${name}' of ${what}`, locate(name) ?? at))
  }
  return out
}

function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`
}

/** The value's problems against one option, after Ansible's conversions. */
function checkValue(value: unknown, option: OptionSpec, what: string, loc: SourceLocation): ArgumentProblem[] {
  if (containsTemplate(value)) return []
  const shown = (v: unknown): string => (option.noLog ? 'a value (not shown: no_log)' : describe(v))
  const converted = convert(value, option.type)
  if (!converted.ok) return [{ message: `${what}: expected ${TYPE_NAMES[option.type]}, got ${shown(value)}`, loc }]
  const out: ArgumentProblem[] = []
  const items = option.type === 'list' ? (converted.value as unknown[]) : [converted.value]
  if (option.type === 'list' && option.elements) {
    items.forEach((item, i) => {
      const itemLoc = locOf(value, i) ?? loc
      const el = convert(item, option.elements!)
      if (!el.ok) out.push({ message: `${what}, item ${i + 1}: expected ${TYPE_NAMES[option.elements!]}, got ${shown(item)}`, loc: itemLoc })
      else if (option.options && option.elements === 'dict') out.push(...checkOptions(el.value as Vars, option.options, `${what}, item ${i + 1}`, itemLoc))
    })
  } else if (option.type === 'dict' && option.options) {
    out.push(...checkOptions(converted.value as Vars, option.options, what, loc))
  }
  if (option.choices) {
    for (const item of items) {
      if (option.choices.some((c) => c === item || String(c) === String(item))) continue
      const names = option.choices.map(String)
      // A suggestion only when it narrows the choices down.
      const near = typeof item === 'string' ? closest(item, names).map((c) => c.name) : []
      const hint = near.length < names.length ? meant(near) : ''
      out.push({ message: `${what}: expected one of ${names.map((n) => `'${n}'`).join(', ')}, got ${shown(item)}${option.noLog ? '' : hint}`, loc })
    }
  }
  return out
}

/** Suboptions of a dict: each checked, required ones present, no others. */
function checkOptions(value: Vars, spec: ArgumentSpec, what: string, loc: SourceLocation): ArgumentProblem[] {
  const out: ArgumentProblem[] = []
  for (const key of Object.keys(value)) {
    if (!(key in spec)) out.push({ message: `${what} has no suboption '${key}'${didYouMean(key, Object.keys(spec))}`, loc: locOf(value, key) ?? loc })
  }
  for (const [name, option] of Object.entries(spec)) {
    const v = value[name] ?? option.default?.value
    if (v === undefined || v === null) {
      if (option.required) out.push({ message: `${what} requires suboption '${name}'`, loc })
      continue
    }
    out.push(...checkValue(v, option, `${what}, suboption '${name}'`, locOf(value, name) ?? loc))
  }
  return out
}

const TYPE_NAMES: Record<OptionType, string> = {
  str: 'a string', path: 'a path (a string)', int: 'an integer', float: 'a number', bool: 'a boolean',
  list: 'a list', dict: 'a mapping', raw: 'any value',
}

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't'])
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f'])

/**
 * Ansible's type conversions (module_utils/common/validation.py), on values as YAML gives them; Python's
 * quirks included, so a role Ansible accepts is accepted: a bool is an int, anything becomes a str.
 */
function convert(value: unknown, type: OptionType): { ok: true; value: unknown } | { ok: false } {
  const ok = (v: unknown) => ({ ok: true as const, value: v })
  switch (type) {
    case 'raw':
    case 'str':
    case 'path':
      return ok(value)
    case 'int':
      if (typeof value === 'boolean') return ok(value ? 1 : 0)
      if (typeof value === 'number' && Number.isInteger(value)) return ok(value)
      return typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? ok(Number(value)) : { ok: false }
    case 'float':
      if (typeof value === 'number' || typeof value === 'boolean') return ok(Number(value))
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? ok(Number(value)) : { ok: false }
    case 'bool': {
      if (typeof value === 'boolean') return ok(value)
      const s = String(value).toLowerCase()
      if ((typeof value === 'string' || typeof value === 'number') && TRUE.has(s)) return ok(true)
      if ((typeof value === 'string' || typeof value === 'number') && FALSE.has(s)) return ok(false)
      return { ok: false }
    }
    case 'list':
      if (Array.isArray(value)) return ok(value)
      if (typeof value === 'string') return ok(value.split(','))
      return typeof value === 'number' || typeof value === 'boolean' ? ok([String(value)]) : { ok: false }
    case 'dict':
      if (isMapping(value)) return ok(value)
      return typeof value === 'string' ? dictFromString(value) : { ok: false }
  }
}

/** `{"a": 1}` or `a=1, b=2`, as Ansible's check_type_dict reads a string. */
function dictFromString(text: string): { ok: true; value: Vars } | { ok: false } {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(t)
      return isMapping(v) ? { ok: true, value: v } : { ok: false }
    } catch {
      return { ok: false }
    }
  }
  const pairs = t.split(/[\s,]+/).filter(Boolean)
  if (pairs.length === 0 || !pairs.every((p) => /^[^=]+=/.test(p))) return { ok: false }
  return { ok: true, value: Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])) }
}

function containsTemplate(v: unknown): boolean {
  if (isTemplated(v)) return true
  if (Array.isArray(v)) return v.some(containsTemplate)
  if (isMapping(v)) return Object.values(v).some(containsTemplate)
  return false
}
