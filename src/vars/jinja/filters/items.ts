// What list filters share: Jinja2's attribute getters (`attribute='a.b'`, case folding), Python's sorted()
// and set membership by hash, and the iteration of a filter's input.
import { Undefined, undefinedError } from '../errors.js'
import type { CallContext } from '../types.js'
import { isInt, isMapping, isTuple, iterate, num, pyCompare, pyEquals, pyStr, truthy, ValueError } from '../values.js'

export const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v)

export function seq(name: string, v: unknown): unknown[] {
  if (v instanceof Undefined) throw undefinedError(v)
  return iterate(v, name)
}

/** Jinja2's make_attrgetter: `a.b.0` paths, optional lowercasing, a default for missing values. */
export function getter(ctx: CallContext, attribute: unknown, ignoreCase: boolean, fallback?: unknown): (item: unknown) => unknown {
  const parts = attribute === undefined || attribute === null ? [] : isInt(attribute) ? [attribute] : pyStr(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
  return (item) => {
    let v = item
    for (const p of parts) {
      v = ctx.attribute(v, p)
      if (fallback !== undefined && fallback !== null && v instanceof Undefined) v = fallback
    }
    if (v instanceof Undefined) throw undefinedError(v)
    return ignoreCase ? lower(v) : v
  }
}

/** Jinja2's make_multi_attrgetter: `age,name` gives a tuple of keys. */
export function multiGetter(ctx: CallContext, attribute: unknown, ignoreCase: boolean): (item: unknown) => unknown {
  if (typeof attribute !== 'string' || !attribute.includes(',')) return getter(ctx, attribute, ignoreCase)
  const getters = attribute.split(',').map((a) => getter(ctx, a, ignoreCase))
  return (item) => getters.map((g) => g(item))
}

export function sorted(items: unknown[], key: (v: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((v) => ({ v, k: key(v) }))
  keyed.sort((a, b) => (reverse ? pyCompare(b.k, a.k) : pyCompare(a.k, b.k)))
  return keyed.map((x) => x.v)
}

/** A hash key for Python's set membership, or undefined for unhashable values (lists, dicts). */
export function hashKey(v: unknown): string | undefined {
  if (v === null) return 'None'
  if (typeof v === 'string') return 's' + v
  if (typeof v === 'boolean' || typeof v === 'number' || (typeof v === 'object' && 'value' in (v as object) && !Array.isArray(v) && !isMapping(v))) return 'n' + num(v)
  if (isTuple(v)) {
    const parts = v.map(hashKey)
    return parts.includes(undefined) ? undefined : `t(${parts.join(',')})`
  }
  return undefined
}

/** Ansible's unique: Jinja2's (case-insensitive by default, hashable items), else equality-based. */
export function unique(ctx: CallContext, items: unknown[], caseSensitive: unknown, attribute: unknown): unknown[] {
  const key = getter(ctx, attribute, !truthy(caseSensitive))
  const seen = new Set<string>()
  const out: unknown[] = []
  for (const item of items) {
    const h = hashKey(key(item))
    if (h === undefined) {
      if (caseSensitive === false || (attribute !== undefined && attribute !== null)) throw new ValueError("Jinja2's unique filter failed: unhashable item")
      return items.reduce<unknown[]>((acc, x) => (acc.some((y) => pyEquals(x, y)) ? acc : [...acc, x]), [])
    }
    if (!seen.has(h)) {
      seen.add(h)
      out.push(item)
    }
  }
  return out
}

export const has = (items: unknown[], x: unknown): boolean => items.some((y) => pyEquals(x, y))
