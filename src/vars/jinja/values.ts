// Python's value model over the values YAML and hosts give pgha: ints are JavaScript integers, floats are
// non-integral numbers or a PyFloat box (so `4/2` is `2.0`), tuples are arrays marked as tuples, dicts are
// plain objects, None is null. Printing, truthiness, equality and ordering follow Python.
import { isUnsafe } from '../unsafe.js'

type Dict = Record<string, unknown>

/** A float whose value is integral (2.0), which a JavaScript number cannot tell from the int 2. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * The text a string-typed filter (to_json, to_yaml, string...) output as the whole template: Ansible keeps
 * it as text instead of reading it back as a list or dict.
 */
export class NativeText {
  constructor(readonly text: string) {}
}

/** A value problem (Python's TypeError/ValueError); the evaluator adds where it happened. */
export class ValueError extends Error {}

const tuples = new WeakSet<readonly unknown[]>()

/** Marks an array as a Python tuple (it prints `(1, 2)`); it stays an array for everything else. */
export function tuple<T extends unknown[]>(items: T): T {
  tuples.add(items)
  return items
}

export const isTuple = (v: unknown): v is unknown[] => Array.isArray(v) && tuples.has(v)

const made = new WeakSet<object>()

/**
 * Marks a list or dict the template made itself (a literal, a copy()): the only values a method may change
 * (`{% do l.append(x) %}`). Ansible hands each template copies of the variables; pgha shares them, so
 * changing one would change it for every later task and host.
 */
export function madeHere<T extends object>(v: T): T {
  made.add(v)
  return v
}

export const isMadeHere = (v: unknown): boolean => typeof v === 'object' && v !== null && made.has(v)

/** A value as it is now: what `{{ x }}` printed stays printed when the template changes x after. */
export function snapshot(v: unknown): unknown {
  if (!isMadeHere(v)) return v
  if (Array.isArray(v)) return madeHere(v.map(snapshot))
  return madeHere(Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, snapshot(x)])))
}

/** A float from a JavaScript number: integral values are boxed so they print with `.0`. */
export function float(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n
}

export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
/** Python's numbers.Number: int, float and bool. */
export const isNumber = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat

/** The numeric value of a number (a bool is 0 or 1). */
export function num(v: unknown): number {
  if (v instanceof PyFloat) return v.value
  if (typeof v === 'boolean') return v ? 1 : 0
  return v as number
}

/** A plain mapping: an object of data (not an array, box or marker). */
export function isMapping(v: unknown): v is Dict {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

export const isString = (v: unknown): v is string => typeof v === 'string'

/** Python's type name, as error messages and `type_debug` show it. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'string' || isUnsafe(v)) return 'str'
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list'
  if (isMapping(v)) return 'dict'
  return 'object'
}

/** Python's bool(). */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined) return false
  if (v instanceof PyFloat) return v.value !== 0
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return isUnsafe(v) ? v.text !== '' : Object.keys(v).length > 0
  return Boolean(v)
}

/** Python's repr() of a float. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const [mantissa, expText] = n.toExponential().split('e')
  const exp = Number(expText)
  const sign = mantissa.startsWith('-') ? '-' : ''
  const digits = mantissa.replace(/^-/, '').replace('.', '')
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0')
    const frac = digits.slice(exp + 1)
    return `${sign}${int}.${frac === '' ? '0' : frac}`
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : `${Math.abs(exp)}`
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`
}

const REPR_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** Python's repr() of a str. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const code = ch.codePointAt(0) as number
    if (REPR_ESCAPES[ch]) out += REPR_ESCAPES[ch]
    else if (ch === quote) out += '\\' + ch
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0')
    else if (code >= 0x80 && code < 0xa0) out += '\\x' + code.toString(16).padStart(2, '0')
    else if (code === 0xad || (code >= 0xd800 && code <= 0xdfff)) out += '\\u' + code.toString(16).padStart(4, '0')
    else out += ch
  }
  return out + quote
}

/** Python's repr(): how values print inside lists and dicts. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v)
  if (isUnsafe(v)) return strRepr(v.text)
  if (Array.isArray(v)) {
    const items = v.map(pyRepr)
    if (!isTuple(v)) return `[${items.join(', ')}]`
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
  }
  if (isMapping(v)) return `{${Object.entries(v).map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ')}}`
  return pyStr(v)
}

/** Python's str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v)
  if (v instanceof PyFloat) return floatRepr(v.value)
  if (isUnsafe(v)) return v.text
  if (v instanceof NativeText) return v.text
  if (Array.isArray(v) || isMapping(v)) return pyRepr(v)
  return String(v)
}

/** Python's ==. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (isNumber(a) && isNumber(b)) return num(a) === num(b)
  if (isUnsafe(a) || isUnsafe(b)) return pyEquals(isUnsafe(a) ? a.text : a, isUnsafe(b) ? b.text : b)
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return (a === null || a === undefined) && (b === null || b === undefined)
}

/** Python's ordering: negative, zero or positive; a ValueError for types Python cannot order. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (isNumber(a) && isNumber(b)) {
    const x = num(a)
    const y = num(b)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op)
    }
    return a.length - b.length
  }
  throw new ValueError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`)
}

/** Python's `in`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ValueError(`'in <string>' requires string as left operand, not ${typeName(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item))
  if (isMapping(container)) return (typeof item === 'string' || isInt(item)) && Object.hasOwn(container, String(item))
  throw new ValueError(`argument of type '${typeName(container)}' is not iterable`)
}

/** The items `for` and list-taking filters iterate: a list's items, a dict's keys, a string's characters. */
export function iterate(v: unknown, what = 'value'): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isMapping(v)) return Object.keys(v)
  throw new ValueError(`'${typeName(v)}' object is not iterable${what === 'value' ? '' : ` (${what})`}`)
}

/** Deep copy of a rendered value into plain data: PyFloat boxes become numbers, unsafe marks plain text. */
export function toPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (v instanceof PyFloat) return v.value
  if (isUnsafe(v)) return v.text
  if (Array.isArray(v)) return v.some(needsPlain) ? v.map(toPlain) : v
  if (isMapping(v)) {
    if (!Object.values(v).some(needsPlain)) return v
    const out: Dict = {}
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x)
    return out
  }
  return v
}

/** Frozen views (hostvars, groups) are pgha's own and hold plain data; walking hostvars would read every host. */
function needsPlain(v: unknown): boolean {
  if (v instanceof PyFloat || isUnsafe(v)) return true
  if (v !== null && typeof v === 'object' && Object.isFrozen(v)) return false
  if (Array.isArray(v)) return v.some(needsPlain)
  if (isMapping(v)) return Object.values(v).some(needsPlain)
  return false
}
