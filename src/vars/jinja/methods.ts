// Methods of values a template may call: Python's str, list and dict methods, loop.cycle(), a cycler's. Those that
// change a list or dict (append, update...) change only one the template made (values.ts madeHere).
import { Cycler, CYCLER_METHODS } from './cycler.js'
import { strFormat } from './format.js'
import { isLoop, loopState } from './loop.js'
import { splitlines } from './filters/strings.js'
import { pyCapitalize, pyRsplit, pySplit, pyStrip, pyTitle } from './strings.js'
import { arg, type Callable } from './types.js'
import { isMadeHere, isMapping, isTuple, iterate, madeHere, num, pyEquals, pyStr, tuple, typeName, ValueError } from './values.js'

export type MethodTable = Record<string, Callable>

const s = (v: unknown): string => v as string
const optStr = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : pyStr(v))

function prefixes(name: string, p: unknown): string[] {
  if (typeof p === 'string') return [p]
  if (isTuple(p) && p.every((x) => typeof x === 'string')) return p as string[]
  throw new ValueError(`${name} first arg must be str or a tuple of str, not ${typeName(p)}`)
}

/** Python's start/end arguments of find, count, startswith... */
function window(str: string, start: unknown, end: unknown): [string, number] {
  const n = str.length
  const norm = (i: unknown, d: number): number => {
    if (i === undefined || i === null) return d
    const x = num(i)
    return x < 0 ? Math.max(0, n + x) : Math.min(x, n)
  }
  const a = norm(start, 0)
  return [str.slice(a, Math.max(a, norm(end, n))), a]
}

function find(str: string, sub: unknown, start: unknown, end: unknown, last: boolean): number {
  const [w, a] = window(str, start, end)
  const i = last ? w.lastIndexOf(pyStr(sub)) : w.indexOf(pyStr(sub))
  return i < 0 ? -1 : i + a
}

const pad = (str: string, width: unknown, fill: unknown, side: 'left' | 'right' | 'center'): string => {
  const w = num(width)
  const f = pyStr(arg(fill, ' '))
  if (str.length >= w) return str
  const total = w - str.length
  if (side === 'right') return str + f.repeat(total)
  if (side === 'left') return f.repeat(total) + str
  const left = Math.floor(total / 2) + (total & w & 1)
  return f.repeat(left) + str + f.repeat(total - left)
}

const m = (params: string[], fn: (self: unknown, a: unknown[], kw: Record<string, unknown>) => unknown, extra: Partial<Callable> = {}): Callable => ({
  params,
  fn: (_c, self, a, kw) => fn(self, a, kw),
  ...extra,
})

/** A method changing its list or dict in place; it returns None unless `fn` returns something. */
const change = <T>(name: string, params: string[], fn: (self: T, a: unknown[], kw: Record<string, unknown>) => unknown, extra: Partial<Callable> = {}): Callable =>
  m(params, (self, a, kw) => {
    if (!isMadeHere(self)) throw new ValueError(`pgha lets ${name}() change only a list or dict the template made ([...], {...} or x.copy()), not a variable's value`)
    const out = fn(self as T, a, kw)
    return out === undefined ? null : out
  }, extra)

/** Python's index argument of insert/pop: negative from the end. */
const at = (l: unknown[], i: unknown, clamp: boolean): number => {
  const n = num(i)
  const j = n < 0 ? l.length + n : n
  return clamp ? Math.max(0, Math.min(j, l.length)) : j
}

const STR: MethodTable = {
  split: m(['sep', 'maxsplit'], (v, [sep, max]) => pySplit(s(v), optStr(sep), num(arg(max, -1)))),
  rsplit: m(['sep', 'maxsplit'], (v, [sep, max]) => pyRsplit(s(v), optStr(sep), num(arg(max, -1)))),
  splitlines: m(['keepends'], (v, [keep]) => splitlines(s(v), keep === true)),
  strip: m(['chars'], (v, [chars]) => pyStrip(s(v), optStr(chars), 'both')),
  lstrip: m(['chars'], (v, [chars]) => pyStrip(s(v), optStr(chars), 'left')),
  rstrip: m(['chars'], (v, [chars]) => pyStrip(s(v), optStr(chars), 'right')),
  lower: m([], (v) => s(v).toLowerCase()),
  upper: m([], (v) => s(v).toUpperCase()),
  casefold: m([], (v) => s(v).toLowerCase()),
  swapcase: m([], (v) => [...s(v)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')),
  capitalize: m([], (v) => pyCapitalize(s(v))),
  title: m([], (v) => pyTitle(s(v))),
  startswith: m(['prefix', 'start', 'end'], (v, [p, a, b]) => prefixes('startswith', p).some((x) => window(s(v), a, b)[0].startsWith(x))),
  endswith: m(['suffix', 'start', 'end'], (v, [p, a, b]) => prefixes('endswith', p).some((x) => window(s(v), a, b)[0].endsWith(x))),
  replace: m(['old', 'new', 'count'], (v, [o, n, c]) => {
    const limit = c === undefined ? -1 : num(c)
    const parts = s(v).split(pyStr(o))
    if (limit < 0 || parts.length - 1 <= limit) return parts.join(pyStr(n))
    return parts.slice(0, limit + 1).join(pyStr(n)) + pyStr(o) + parts.slice(limit + 1).join(pyStr(o))
  }),
  join: m(['iterable'], (v, [items]) =>
    iterate(items).map((x, i) => {
      if (typeof x !== 'string') throw new ValueError(`sequence item ${i}: expected str instance, ${typeName(x)} found`)
      return x
    }).join(s(v)),
  ),
  format: m([], (v, a, kw) => strFormat(s(v), a, kw), { variadic: true, anyKwargs: true }),
  find: m(['sub', 'start', 'end'], (v, [sub, a, b]) => find(s(v), sub, a, b, false)),
  rfind: m(['sub', 'start', 'end'], (v, [sub, a, b]) => find(s(v), sub, a, b, true)),
  index: m(['sub', 'start', 'end'], (v, [sub, a, b]) => {
    const i = find(s(v), sub, a, b, false)
    if (i < 0) throw new ValueError('substring not found')
    return i
  }),
  rindex: m(['sub', 'start', 'end'], (v, [sub, a, b]) => {
    const i = find(s(v), sub, a, b, true)
    if (i < 0) throw new ValueError('substring not found')
    return i
  }),
  count: m(['sub', 'start', 'end'], (v, [sub, a, b]) => {
    const w = window(s(v), a, b)[0]
    const x = pyStr(sub)
    return x === '' ? w.length + 1 : w.split(x).length - 1
  }),
  isdigit: m([], (v) => /^\d+$/.test(s(v))),
  isdecimal: m([], (v) => /^\d+$/.test(s(v))),
  isnumeric: m([], (v) => /^\p{N}+$/u.test(s(v))),
  isalpha: m([], (v) => /^\p{L}+$/u.test(s(v))),
  isalnum: m([], (v) => /^[\p{L}\p{N}]+$/u.test(s(v))),
  isspace: m([], (v) => /^\s+$/.test(s(v))),
  islower: m([], (v) => s(v) !== s(v).toUpperCase() && s(v) === s(v).toLowerCase()),
  isupper: m([], (v) => s(v) !== s(v).toLowerCase() && s(v) === s(v).toUpperCase()),
  isidentifier: m([], (v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s(v))),
  zfill: m(['width'], (v, [w]) => {
    const str = s(v)
    const sign = /^[+-]/.test(str) ? str[0] : ''
    return sign + str.slice(sign.length).padStart(num(w) - sign.length, '0')
  }),
  ljust: m(['width', 'fillchar'], (v, [w, f]) => pad(s(v), w, f, 'right')),
  rjust: m(['width', 'fillchar'], (v, [w, f]) => pad(s(v), w, f, 'left')),
  center: m(['width', 'fillchar'], (v, [w, f]) => pad(s(v), w, f, 'center')),
  partition: m(['sep'], (v, [sep]) => {
    const i = s(v).indexOf(pyStr(sep))
    return tuple(i < 0 ? [s(v), '', ''] : [s(v).slice(0, i), pyStr(sep), s(v).slice(i + pyStr(sep).length)])
  }),
  rpartition: m(['sep'], (v, [sep]) => {
    const i = s(v).lastIndexOf(pyStr(sep))
    return tuple(i < 0 ? ['', '', s(v)] : [s(v).slice(0, i), pyStr(sep), s(v).slice(i + pyStr(sep).length)])
  }),
  removeprefix: m(['prefix'], (v, [p]) => (s(v).startsWith(pyStr(p)) ? s(v).slice(pyStr(p).length) : s(v))),
  removesuffix: m(['suffix'], (v, [p]) => (pyStr(p) !== '' && s(v).endsWith(pyStr(p)) ? s(v).slice(0, -pyStr(p).length) : s(v))),
}

const LIST: MethodTable = {
  index: m(['value', 'start', 'end'], (v, [x]) => {
    const i = (v as unknown[]).findIndex((y) => pyEquals(x, y))
    if (i < 0) throw new ValueError(`${pyStr(x)} is not in list`)
    return i
  }),
  count: m(['value'], (v, [x]) => (v as unknown[]).filter((y) => pyEquals(x, y)).length),
  copy: m([], (v) => madeHere([...(v as unknown[])])),
  append: change<unknown[]>('append', ['object'], (l, [x]) => void l.push(x)),
  extend: change<unknown[]>('extend', ['iterable'], (l, [x]) => void l.push(...iterate(x))),
  insert: change<unknown[]>('insert', ['index', 'object'], (l, [i, x]) => void l.splice(at(l, i, true), 0, x)),
  pop: change<unknown[]>('pop', ['index'], (l, [i]) => {
    const j = at(l, arg(i, -1), false)
    if (l.length === 0 || j < 0 || j >= l.length) throw new ValueError(l.length === 0 ? 'pop from empty list' : 'pop index out of range')
    return l.splice(j, 1)[0]
  }),
  remove: change<unknown[]>('remove', ['value'], (l, [x]) => {
    const i = l.findIndex((y) => pyEquals(x, y))
    if (i < 0) throw new ValueError('list.remove(x): x not in list')
    l.splice(i, 1)
  }),
  clear: change<unknown[]>('clear', [], (l) => void l.splice(0)),
  reverse: change<unknown[]>('reverse', [], (l) => void l.reverse()),
}

const DICT: MethodTable = {
  items: m([], (v) => Object.entries(v as object).map((p) => tuple(p))),
  keys: m([], (v) => Object.keys(v as object)),
  values: m([], (v) => Object.values(v as object)),
  get: m(['key', 'default'], (v, [k, d]) => {
    const key = pyStr(k)
    const o = v as Record<string, unknown>
    return Object.hasOwn(o, key) && o[key] !== undefined ? o[key] : arg(d, null)
  }),
  copy: m([], (v) => madeHere({ ...(v as object) })),
  update: change<Record<string, unknown>>('update', [], (d, a, kw) => {
    for (const other of a) Object.assign(d, isMapping(other) ? other : Object.fromEntries(iterate(other).map((p) => iterate(p).map((x, i) => (i === 0 ? pyStr(x) : x)))))
    Object.assign(d, kw)
  }, { variadic: true, anyKwargs: true }),
  setdefault: change<Record<string, unknown>>('setdefault', ['key', 'default'], (d, [k, x]) => {
    const key = pyStr(k)
    if (!Object.hasOwn(d, key)) d[key] = arg(x, null)
    return d[key]
  }),
  pop: change<Record<string, unknown>>('pop', ['key', 'default'], (d, [k, x]) => {
    const key = pyStr(k)
    if (!Object.hasOwn(d, key)) {
      if (x === undefined) throw new ValueError(`KeyError: ${pyStr(k)}`)
      return x
    }
    const v = d[key]
    delete d[key]
    return v
  }),
  clear: change<Record<string, unknown>>('clear', [], (d) => {
    for (const k of Object.keys(d)) delete d[k]
  }),
}

const LOOP: MethodTable = {
  cycle: m([], (v, a) => {
    if (a.length === 0) throw new ValueError('no items for cycling given')
    return a[num((v as { index0: number }).index0) % a.length]
  }, { variadic: true }),
  // true when the arguments differ from those of the loop's previous call (and on the first call)
  changed: m([], (v, a) => {
    const state = loopState(v as object)
    if (state.lastChanged && pyEquals(state.lastChanged.value, a)) return false
    state.lastChanged = { value: a }
    return true
  }, { variadic: true }),
}

const CHANGING = ['append', 'extend', 'insert', 'pop', 'remove', 'clear', 'reverse', 'update', 'setdefault']
const CHANGING_CALL = new RegExp(`\\.\\s*(${CHANGING.join('|')})\\s*\\(`)

/**
 * The text may call a method that changes a value: only then does rendering mark the lists and dicts it
 * makes (values.ts madeHere), which costs a little on every literal.
 */
export const mayChange = (text: string): boolean => CHANGING_CALL.test(text)

export const METHODS: Record<string, MethodTable> = { str: STR, list: LIST, dict: DICT, loop: LOOP, cycler: CYCLER_METHODS }

/** The methods of a value's type. */
export function methodsOf(v: unknown): MethodTable | undefined {
  if (typeof v === 'string') return STR
  if (typeof v !== 'object' || v === null) return undefined
  if (Array.isArray(v)) return LIST
  if (isLoop(v)) return LOOP
  if (v instanceof Cycler) return CYCLER_METHODS
  return isMapping(v) ? DICT : undefined
}
