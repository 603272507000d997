// The only way templates' raw values and expressions read data: own properties of plain data, list and
// string indexes (negative from the end). Nothing on a prototype is reachable, so `a.constructor`,
// `a.__proto__` or `x.toString` are simply missing.
export const MISSING: unique symbol = Symbol('missing')
export type Missing = typeof MISSING

const REFUSED = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__lookupGetter__'])

/** Names never readable, whatever the object: the ways out of plain data into JavaScript internals. */
export function isRefusedKey(key: string): boolean {
  return REFUSED.has(key)
}

function index(length: number, key: string | number): number | undefined {
  const n = typeof key === 'number' ? key : /^-?\d+$/.test(key) ? Number(key) : NaN
  if (!Number.isInteger(n)) return undefined
  const i = n < 0 ? length + n : n
  return i >= 0 && i < length ? i : undefined
}

/** `obj.key` / `obj[key]`, or MISSING (also for a key holding `undefined`). */
export function getAttr(obj: unknown, key: string | number): unknown {
  if (obj === null || obj === undefined) return MISSING
  if (typeof key === 'string' && REFUSED.has(key)) return MISSING
  if (typeof obj === 'string' || Array.isArray(obj)) {
    const i = index(obj.length, key)
    return i === undefined ? MISSING : obj[i]
  }
  if (typeof obj !== 'object') return MISSING
  const k = String(key)
  if (!Object.prototype.hasOwnProperty.call(obj, k)) return MISSING
  const v = (obj as Record<string, unknown>)[k]
  return v === undefined ? MISSING : v
}

/** Follows `parts` from `root`; MISSING as soon as one step is missing. */
export function getPath(root: unknown, parts: readonly (string | number)[]): unknown {
  let cur = root
  for (const p of parts) {
    cur = getAttr(cur, p)
    if (cur === MISSING) return MISSING
  }
  return cur
}
