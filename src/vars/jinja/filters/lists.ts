// Jinja2's list filters: first, last, length, join, sort, unique, min, max, sum, map, select, reject,
// selectattr, rejectattr, list, reverse, batch, slice, groupby, and Ansible's random and shuffle.
import { Undefined, undefinedError } from '../errors.js'
import { binary } from '../operators.js'
import { pyRandom } from '../py-random.js'
import { arg, type CallContext, type Callable } from '../types.js'
import { isInt, isMapping, num, pyCompare, pyEquals, pyStr, truthy, tuple, typeName, ValueError } from '../values.js'
import { getter, multiGetter, seq, sorted, unique } from './items.js'

type Filters = Record<string, Callable>

function selectOrReject(ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>, reject: boolean, attr: boolean): unknown[] {
  const items = seq(attr ? 'selectattr' : 'select', value)
  const off = attr ? 1 : 0
  const pick = attr ? getterLoose(ctx, args[0]) : (x: unknown) => x
  const name = args[off]
  const rest = args.slice(off + 1)
  const pass = (x: unknown): boolean => {
    const v = pick(x)
    if (name === undefined) {
      if (v instanceof Undefined) throw undefinedError(v)
      return truthy(v)
    }
    return ctx.test(pyStr(name), v, rest, kwargs)
  }
  return items.filter((x) => pass(x) !== reject)
}

/** An attribute getter that keeps undefined values, so `selectattr('x', 'defined')` can see them. */
const getterLoose = (ctx: CallContext, attribute: unknown) => (item: unknown) => {
  let v = item
  for (const p of pyStr(attribute).split('.')) v = v instanceof Undefined ? v : ctx.attribute(v, /^\d+$/.test(p) ? Number(p) : p)
  return v
}

function mapFilter(ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown[] {
  if (!truthy(value)) return []
  const items = seq('map', value)
  if (args.length === 0 && 'attribute' in kwargs) {
    const g = getter(ctx, kwargs.attribute, false, kwargs.default)
    return items.map(g)
  }
  if (args.length === 0) throw new ValueError('map requires a filter argument')
  const [name, ...rest] = args
  return items.map((x) => ctx.filter(pyStr(name), x, rest, kwargs))
}

function first(v: unknown, last: boolean): unknown {
  const items = seq(last ? 'last' : 'first', v)
  if (items.length === 0) return new Undefined(`No ${last ? 'last' : 'first'} item, sequence was empty.`, 0)
  return last ? items[items.length - 1] : items[0]
}

function minMax(ctx: CallContext, v: unknown, caseSensitive: unknown, attribute: unknown, max: boolean): unknown {
  const items = seq(max ? 'max' : 'min', v)
  if (items.length === 0) return new Undefined('No aggregated item, sequence was empty.', 0)
  const key = getter(ctx, attribute, !truthy(caseSensitive))
  let best = items[0]
  let bestKey = key(best)
  for (const x of items.slice(1)) {
    const k = key(x)
    if (max ? pyCompare(k, bestKey) > 0 : pyCompare(k, bestKey) < 0) [best, bestKey] = [x, k]
  }
  return best
}

function length(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return [...(v as string)].length
  if (isMapping(v)) return Object.keys(v).length
  throw new ValueError(`object of type '${typeName(v)}' has no len()`)
}

export const LIST_FILTERS: Filters = {
  length: { params: [], fn: (_c, v) => length(v) },
  count: { params: [], fn: (_c, v) => length(v) },
  first: { params: [], fn: (_c, v) => first(v, false) },
  last: { params: [], fn: (_c, v) => first(v, true) },
  list: { params: [], fn: (_c, v) => [...seq('list', v)] },
  join: {
    params: ['d', 'attribute'],
    fn: (c, v, [d, attribute]) => {
      const items = seq('join', v)
      const pick = attribute === undefined || attribute === null ? (x: unknown) => x : getter(c, attribute, false)
      return items.map((x) => pyStr(pick(x))).join(pyStr(arg(d, '')))
    },
  },
  reverse: {
    params: [],
    fn: (_c, v) => (typeof v === 'string' ? [...v].reverse().join('') : [...seq('reverse', v)].reverse()),
  },
  sort: {
    params: ['reverse', 'case_sensitive', 'attribute'],
    fn: (c, v, [reverse, cs, attribute]) => sorted(seq('sort', v), multiGetter(c, attribute, !truthy(cs)), truthy(reverse)),
  },
  unique: { params: ['case_sensitive', 'attribute'], fn: (c, v, [cs, attribute]) => unique(c, seq('unique', v), cs, attribute) },
  min: { params: ['case_sensitive', 'attribute'], fn: (c, v, [cs, attribute]) => minMax(c, v, cs, attribute, false) },
  max: { params: ['case_sensitive', 'attribute'], fn: (c, v, [cs, attribute]) => minMax(c, v, cs, attribute, true) },
  sum: {
    params: ['attribute', 'start'],
    fn: (c, v, [attribute, start]) => {
      const pick = attribute === undefined || attribute === null ? (x: unknown) => x : getter(c, attribute, false)
      const s = arg(start, 0)
      if (typeof s === 'string') throw new ValueError("sum() can't sum strings [use ''.join(seq) instead]")
      return seq('sum', v).reduce((acc, x) => binary('+', acc, pick(x)), s)
    },
  },
  map: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => mapFilter(c, v, args, kw) },
  select: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, false, false) },
  reject: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, true, false) },
  selectattr: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, false, true) },
  rejectattr: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, true, true) },
  batch: {
    params: ['linecount', 'fill_with'],
    fn: (_c, v, [linecount, fill]) => {
      const n = num(linecount)
      const out: unknown[][] = []
      for (const x of seq('batch', v)) {
        if (out.length === 0 || out[out.length - 1].length === n) out.push([])
        out[out.length - 1].push(x)
      }
      const last = out[out.length - 1]
      if (last && fill !== undefined && fill !== null) while (last.length < n) last.push(fill)
      return out
    },
  },
  slice: {
    params: ['slices', 'fill_with'],
    fn: (_c, v, [slices, fill]) => {
      const items = seq('slice', v)
      const n = num(slices)
      const per = Math.floor(items.length / n)
      const extra = items.length % n
      const out: unknown[][] = []
      let offset = 0
      for (let i = 0; i < n; i++) {
        const start = offset + i * per
        if (i < extra) offset++
        const part = items.slice(start, offset + (i + 1) * per)
        if (fill !== undefined && fill !== null && i >= extra) part.push(fill)
        out.push(part)
      }
      return out
    },
  },
  groupby: {
    params: ['attribute', 'default', 'case_sensitive'],
    fn: (c, v, [attribute, fallback, cs]) => {
      const key = getter(c, attribute, !truthy(cs), fallback)
      const real = getter(c, attribute, false, fallback)
      const groups: { k: unknown; items: unknown[] }[] = []
      for (const x of sorted(seq('groupby', v), key, false)) {
        const k = key(x)
        const g = groups[groups.length - 1]
        if (g && pyEquals(g.k, k)) g.items.push(x)
        else groups.push({ k, items: [x] })
      }
      return groups.map((g) => tuple([real(g.items[0]), g.items]))
    },
  },
  attr: { params: ['name'], fn: (_c, _v, [name]) => new Undefined(`attribute '${pyStr(name)}' (the attr filter reads Python attributes, data has none)`, 0) },
  shuffle: {
    params: ['seed'],
    fn: (_c, v, [seed]) => {
      const items = [...seq('shuffle', v)]
      pyRandom(truthy(seed) ? seed : undefined).shuffle(items)
      return items
    },
  },
  random: {
    params: ['start', 'step', 'seed'],
    fn: (_c, v, [start, step, seed]) => {
      const r = pyRandom(seed === undefined || seed === null ? undefined : seed)
      if (isInt(v)) return r.randrange(truthy(start) ? num(start) : 0, v, truthy(step) ? num(step) : 1)
      if (truthy(start) || truthy(step)) throw new ValueError('start and step can only be used with integer values')
      const items = seq('random', v)
      return items[r.randbelow(items.length)]
    },
  },
}
