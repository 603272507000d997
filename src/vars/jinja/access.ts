// How templates read data: `a.b` and `a[b]` as Jinja2 reads them, but only own properties of plain data,
// list and string items, and the methods pgha lists. Nothing on a prototype is reachable, so
// `a.constructor` or `a.__proto__` are simply undefined; unsafe text reads as its plain string.
import { isUnsafe } from '../unsafe.js'
import { Cycler } from './cycler.js'
import { methodsOf } from './methods.js'
import { Macro, TemplateModule } from './macros.js'
import { Namespace } from './namespace.js'
import { methodDef } from './names.js'
import { isInt, isMapping, num } from './values.js'

type Vars = Record<string, unknown>

/** A method of a value, read but not called (`{{ d.items }}`): prints as Python shows it. */
export class BoundMethod {
  constructor(
    readonly self: unknown,
    readonly name: string,
  ) {}
  toString(): string {
    return `<built-in method ${this.name} of ${typeof this.self === 'string' ? 'str' : Array.isArray(this.self) ? 'list' : 'dict'} object>`
  }
}

export const MISSING = Symbol('missing')

/** An own property of data; unsafe text reads as its plain string. */
export function readOwn(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return MISSING
  const v = (obj as Vars)[key]
  if (v === undefined || !Object.hasOwn(obj, key)) return MISSING
  return typeof v === 'object' && isUnsafe(v) ? v.text : v
}

function index(seq: string | unknown[], key: unknown): unknown {
  if (!isInt(key) && typeof key !== 'boolean') return MISSING
  const n = num(key)
  const i = n < 0 ? seq.length + n : n
  if (i < 0 || i >= seq.length) return MISSING
  const v = seq[i]
  return isUnsafe(v) ? v.text : v
}

/** Jinja2's getattr (`a.b`): a method of the value first, then an item. */
export function getAttribute(obj: unknown, name: string): unknown {
  if (obj instanceof Namespace || obj instanceof TemplateModule || obj instanceof Macro || obj instanceof Cycler) return Object.hasOwn(obj.attrs, name) ? obj.attrs[name] : MISSING
  if (methodDef(methodsOf(obj), name)) return new BoundMethod(obj, name)
  return isMapping(obj) ? readOwn(obj, name) : MISSING
}

/** Jinja2's getitem (`a[b]`): an item first, then an attribute. */
export function getItem(obj: unknown, key: unknown): unknown {
  if (typeof obj === 'string' || Array.isArray(obj)) {
    const v = index(obj, key)
    return v === MISSING && typeof key === 'string' ? getAttribute(obj, key) : v
  }
  if (isMapping(obj)) {
    const k = typeof key === 'string' ? key : isInt(key) ? String(key) : undefined
    const v = k === undefined ? MISSING : readOwn(obj, k)
    return v === MISSING && typeof key === 'string' ? getAttribute(obj, key) : v
  }
  return obj instanceof Namespace && typeof key === 'string' ? getAttribute(obj, key) : MISSING
}

/** Python's seq[start:stop:step]. */
export function pySlice<T>(items: T[], start: number | undefined, stop: number | undefined, step: number): T[] {
  const n = items.length
  const norm = (i: number, lo: number, hi: number): number => (i < 0 ? Math.max(i + n, lo) : Math.min(i, hi))
  const out: T[] = []
  if (step > 0) {
    const s = start === undefined ? 0 : norm(start, 0, n)
    const e = stop === undefined ? n : norm(stop, 0, n)
    for (let i = s; i < e; i += step) out.push(items[i])
  } else {
    const s = start === undefined ? n - 1 : norm(start, -1, n - 1)
    const e = stop === undefined ? -1 : norm(stop, -1, n - 1)
    for (let i = s; i > e; i += step) out.push(items[i])
  }
  return out
}
