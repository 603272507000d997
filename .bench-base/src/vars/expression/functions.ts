// The Jinja filters (`x | length`) and tests (`x is failed`) conditions may use: the small set a playbook
// needs. The parser rejects any other name, so a typo fails before any host is contacted.
import { truthy } from '../truthy.js'

/** A value problem found while evaluating (wrong type); the evaluator adds the position. */
export class ValueError extends Error {}

interface Arity {
  min: number
  max: number
}

interface FilterDef extends Arity {
  fn: (value: unknown, args: unknown[]) => unknown
}

interface TestDef extends Arity {
  fn: (value: unknown, args: unknown[]) => boolean
}

/** Python's str() for the values YAML produces. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return String(v)
  return JSON.stringify(v)
}

export function typeName(v: unknown): string {
  if (v === null) return 'None'
  if (Array.isArray(v)) return 'list'
  if (typeof v === 'object') return 'dict'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  return typeof v === 'string' ? 'str' : typeof v === 'boolean' ? 'bool' : typeof v
}

function sized(name: string, v: unknown): string | unknown[] {
  if (typeof v === 'string' || Array.isArray(v)) return v
  throw new ValueError(`${name} expects a list or a string, got ${typeName(v)}`)
}

function toNumber(v: unknown, parse: (s: string) => number): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  const n = typeof v === 'string' ? parse(v.trim()) : NaN
  return Number.isNaN(n) ? 0 : n // Jinja's int/float fall back to 0
}

function result(name: string, v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new ValueError(`the '${name}' test expects a registered task result, got ${typeName(v)}`)
}

function regex(pattern: unknown, anchored: boolean): RegExp {
  try {
    return new RegExp(anchored ? `^(?:${pyStr(pattern)})` : pyStr(pattern))
  } catch (err) {
    throw new ValueError(`invalid regular expression: ${(err as Error).message}`)
  }
}

const lengthOf = (v: unknown): number =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).length : sized('length', v).length

/** `default` is handled by the evaluator: it is the one filter that accepts an undefined value. */
export const FILTERS: Record<string, FilterDef> = {
  default: { min: 0, max: 2, fn: (v) => v },
  d: { min: 0, max: 2, fn: (v) => v },
  length: { min: 0, max: 0, fn: lengthOf },
  count: { min: 0, max: 0, fn: lengthOf },
  int: { min: 0, max: 0, fn: (v) => Math.trunc(toNumber(v, (s) => (/^[+-]?\d+(\.\d*)?$/.test(s) ? Number(s) : NaN))) },
  float: { min: 0, max: 0, fn: (v) => toNumber(v, (s) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN)) },
  // Ansible's bool: yes/on/true/1 (any case) are true, everything else false.
  bool: { min: 0, max: 0, fn: (v) => (typeof v === 'boolean' ? v : ['yes', 'on', 'true', '1', 'y'].includes(pyStr(v).toLowerCase())) },
  string: { min: 0, max: 0, fn: (v) => pyStr(v) },
  lower: { min: 0, max: 0, fn: (v) => pyStr(v).toLowerCase() },
  upper: { min: 0, max: 0, fn: (v) => pyStr(v).toUpperCase() },
  trim: { min: 0, max: 0, fn: (v) => pyStr(v).trim() },
  first: { min: 0, max: 0, fn: (v) => sized('first', v)[0] ?? null },
  last: {
    min: 0,
    max: 0,
    fn: (v) => {
      const s = sized('last', v)
      return s[s.length - 1] ?? null
    },
  },
  join: {
    min: 0,
    max: 1,
    fn: (v, [sep]) => {
      if (!Array.isArray(v)) throw new ValueError(`join expects a list, got ${typeName(v)}`)
      return v.map(pyStr).join(sep === undefined ? '' : pyStr(sep))
    },
  },
}

/** `defined`/`undefined` are handled by the evaluator: they are the tests that accept an undefined value. */
export const TESTS: Record<string, TestDef> = {
  defined: { min: 0, max: 0, fn: () => true },
  undefined: { min: 0, max: 0, fn: () => false },
  none: { min: 0, max: 0, fn: (v) => v === null },
  succeeded: { min: 0, max: 0, fn: (v) => !truthy(result('succeeded', v).failed) },
  success: { min: 0, max: 0, fn: (v) => !truthy(result('success', v).failed) },
  failed: { min: 0, max: 0, fn: (v) => truthy(result('failed', v).failed) },
  failure: { min: 0, max: 0, fn: (v) => truthy(result('failure', v).failed) },
  changed: { min: 0, max: 0, fn: (v) => truthy(result('changed', v).changed) },
  skipped: { min: 0, max: 0, fn: (v) => truthy(result('skipped', v).skipped) },
  match: { min: 1, max: 1, fn: (v, [re]) => regex(re, true).test(pyStr(v)) },
  search: { min: 1, max: 1, fn: (v, [re]) => regex(re, false).test(pyStr(v)) },
}
