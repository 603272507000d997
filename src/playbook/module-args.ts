// Checks a task's arguments against its module's zod schema at load time. Templated values are only
// checked after rendering (at run time); literal ones are checked now, after the conversions Ansible users
// rely on (`yes`/`no` for booleans, "5432" for numbers, 0644 for a string mode).
import type { z } from 'zod'
import type { SourceLocation } from '../errors.js'
import { locOf } from '../yaml-source.js'
import type { ModuleDef } from '../modules/index.js'
import { clashMessage, resolveAliases } from '../modules/aliases.js'
import type { Problems } from './problems.js'
import { describe, isMapping, isTemplated, toBool, toNumber } from './reader.js'
import { closest, didYouMean } from './suggest.js'
import { isUnsafe } from '../vars/unsafe.js'
import { isVault } from '../vars/vault.js'
import { onNewRun } from '../run-state.js'

/** The parts of zod's internal definition the walk needs. */
interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  in?: z.ZodType
  out?: z.ZodType
  innerType?: z.ZodType
  options?: z.ZodType[]
  left?: z.ZodType
  right?: z.ZodType
  getter?: () => z.ZodType
}

export interface SchemaShape {
  /** Declared parameters (empty when the schema is not an object). */
  fields: Map<string, z.ZodType>
  /** Undeclared keys are accepted too (records, loose objects, catchall). */
  open: boolean
  /** A single plain object, so per-parameter checks are exact. */
  exact: boolean
}

const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def

const shapes = new WeakMap<z.ZodType, SchemaShape>()

/** Walks wrappers (pipe, lazy, default, ...) to the parameters a module declares; once per schema. */
export function schemaShape(schema: z.ZodType): SchemaShape {
  let shape = shapes.get(schema)
  if (!shape) shapes.set(schema, (shape = walkShape(schema)))
  return shape
}

function walkShape(schema: z.ZodType): SchemaShape {
  const def = defOf(schema)
  switch (def.type) {
    case 'object':
      return {
        fields: new Map(Object.entries(def.shape ?? {})),
        open: def.catchall !== undefined && defOf(def.catchall).type !== 'never',
        exact: true,
      }
    case 'pipe':
      return schemaShape(defOf(def.in!).type === 'transform' ? def.out! : def.in!)
    case 'lazy':
      return schemaShape(def.getter!())
    case 'union':
    case 'intersection': {
      const parts = (def.options ?? [def.left!, def.right!]).map(schemaShape)
      const fields = new Map(parts.flatMap((p) => [...p.fields]))
      const open = def.type === 'union' ? parts.some((p) => p.open) : parts.every((p) => p.open)
      return { fields, open, exact: false }
    }
    case 'record':
    case 'any':
    case 'unknown':
      return { fields: new Map(), open: true, exact: false }
    default:
      return def.innerType ? schemaShape(def.innerType) : { fields: new Map(), open: true, exact: false }
  }
}

/** True when the value (or anything inside it) is rendered at run time (`!unsafe` and `!vault` values are read then). */
export function hasTemplate(v: unknown): boolean {
  if (isTemplated(v) || isUnsafe(v) || isVault(v)) return true
  if (Array.isArray(v)) return v.some(hasTemplate)
  if (isMapping(v)) return Object.values(v).some(hasTemplate)
  return false
}

/**
 * coerceValue's answers for text, numbers and booleans, per parameter schema: the same few values
 * (`present`, `root`, `"0644"`) are coerced for every task and host, and the answer depends on nothing else.
 */
let coercedScalars = new WeakMap<z.ZodType, Map<unknown, unknown>>()
// The values are rendered arguments, passwords among them, and the schemas live as long as the process.
onNewRun(() => (coercedScalars = new WeakMap()))

/** The value, or its boolean/number/string reading when that is what the parameter's schema accepts. */
export function coerceValue(schema: z.ZodType, value: unknown): unknown {
  if (value === undefined) return value
  // A Map takes -0 for 0: it is coerced afresh.
  if ((typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') || Object.is(value, -0)) return coerceAny(schema, value)
  let known = coercedScalars.get(schema)
  if (!known) coercedScalars.set(schema, (known = new Map()))
  if (known.has(value)) return known.get(value)
  const out = coerceAny(schema, value)
  if (known.size < 1000) known.set(value, out)
  return out
}

function coerceAny(schema: z.ZodType, value: unknown): unknown {
  if (schema.safeParse(value).success) return value
  const candidates = [toBool(value), toNumber(value), typeof value === 'number' ? String(value) : undefined]
  for (const c of candidates) if (c !== undefined && schema.safeParse(c).success) return c
  return value
}

/**
 * Renames aliases to their parameters, then applies coerceValue to every declared parameter (the engine
 * calls it again after rendering). A parameter given under two names keeps the alias, which the schema
 * refuses; the loader reports it first (checkModuleArgs). A declared parameter written empty (`pkg:`,
 * None) that its schema does not take is left out: Ansible's argument spec reads None as not given.
 */
export function coerceArgs(def: ModuleDef, given: Record<string, unknown>): Record<string, unknown> {
  const { fields } = schemaShape(def.params)
  const resolved = resolveAliases(def, given)
  const args = resolved.clashes.length > 0 ? given : resolved.args
  const out: Record<string, unknown> = { ...args }
  for (const [key, value] of Object.entries(args)) {
    const field = fields.get(key)
    if (field && value === null && !field.safeParse(null).success) delete out[key]
    else if (field && !hasTemplate(value)) out[key] = coerceValue(field, value)
  }
  return out
}

export interface ArgLocations {
  /** Where an argument's value is written. */
  value(key: string): SourceLocation
  /** Where an argument's name is written. */
  key(key: string): SourceLocation
  /** The module key of the task (for missing parameters and whole-schema problems). */
  module: SourceLocation
}

interface Issue {
  code: string
  path: PropertyKey[]
  message: string
  expected?: string
  values?: unknown[]
}

/** Reports every problem with literal arguments; returns the arguments with literal values coerced. */
export function checkModuleArgs(
  def: ModuleDef,
  raw: Record<string, unknown>,
  locations: ArgLocations,
  problems: Problems,
): Record<string, unknown> {
  const shape = schemaShape(def.params)
  const { writtenAs, clashes } = resolveAliases(def, raw)
  for (const names of clashes) problems.add(clashMessage(def, names), locations.key(names[names.length - 1]))
  if (clashes.length > 0) return raw
  const args = coerceArgs(def, raw)
  // Errors point at what the task wrote: the alias, when it used one.
  const written = (key: string): string => writtenAs.get(key) ?? key
  const at: ArgLocations = { value: (k) => locations.value(written(k)), key: (k) => locations.key(written(k)), module: locations.module }
  const before = problems.errors.length + problems.lacking.length
  const name = `module '${def.name}'`
  // A misspelt parameter is reported once, as misspelt, not again as the missing one it was meant to be.
  const meant = new Set<string>()
  if (!shape.open) {
    for (const key of Object.keys(args)) {
      if (shape.fields.has(key)) continue
      const near = closest(key, shape.fields.keys())
      if (near.length === 1) meant.add(near[0].name)
      // A misspelling is an input error; a parameter pgha lacks is reported as lacking (see Problems.lacks).
      const message = `${name} has no parameter '${key}'${didYouMean(key, shape.fields.keys())}`
      if (near.length > 0) problems.add(message, at.key(key))
      else problems.lacks(message, at.key(key))
    }
  }
  if (shape.exact) {
    for (const [key, field] of shape.fields) {
      if (!(key in args)) {
        if (!meant.has(key) && !optional(field)) problems.add(`${name} requires parameter '${key}'`, at.module)
      } else if (!hasTemplate(args[key])) {
        const r = field.safeParse(args[key])
        if (!r.success) reportIssue(r.error.issues[0] as Issue, [key], args, at, problems, name)
      }
    }
  }
  // Cross-parameter rules (refinements, unions) can only be checked when nothing is left to render.
  if (problems.errors.length + problems.lacking.length === before && !hasTemplate(args)) {
    const r = def.params.safeParse(args)
    if (!r.success) for (const issue of r.error.issues) reportIssue(issue as Issue, [], args, at, problems, name)
  }
  return args
}

/** Whether a parameter may be left out (its schema takes undefined), asked once per schema: tasks leave out most of a module's parameters. */
const optionalFields = new WeakMap<z.ZodType, boolean>()

function optional(field: z.ZodType): boolean {
  let known = optionalFields.get(field)
  if (known === undefined) optionalFields.set(field, (known = field.safeParse(undefined).success))
  return known
}

function reportIssue(issue: Issue, prefix: PropertyKey[], args: Record<string, unknown>, at: ArgLocations, problems: Problems, name: string): void {
  const path = [...prefix, ...issue.path]
  const top = path[0] === undefined ? undefined : String(path[0])
  if (top === undefined) {
    problems.add(`invalid arguments for ${name}: ${lowerFirst(issue.message)}`, at.module)
    return
  }
  const value = valueAt(args, path)
  if (value === undefined && issue.code === 'invalid_type') {
    problems.add(`${name} requires parameter '${path.join('.')}'`, path.length > 1 ? at.value(top) : at.module)
    return
  }
  let what = issue.code === 'invalid_type' && issue.expected ? `expected ${issue.expected}, got ${describe(value)}` : lowerFirst(issue.message)
  if (issue.code === 'invalid_value' && issue.values && typeof value === 'string') {
    const options = issue.values.map(String)
    what = `expected one of ${options.map((o) => `'${o}'`).join(', ')}, got '${value}'${didYouMean(value, options)}`
  }
  problems.add(`parameter '${path.join('.')}' of ${name}: ${what}`, locAt(args, path, at))
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined
  return v
}

/** The deepest written position along the path (nested values keep the positions YAML gave them). */
function locAt(args: Record<string, unknown>, path: PropertyKey[], at: ArgLocations): SourceLocation {
  let loc = at.value(String(path[0]))
  let container: unknown = args[String(path[0])]
  for (const p of path.slice(1)) {
    const key = typeof p === 'number' ? p : String(p)
    loc = locOf(container, key) ?? loc
    container = valueAt(container, [key])
  }
  return loc
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)
