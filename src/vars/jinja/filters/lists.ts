// List filters: Jinja2's (first, last, length, join, sort, unique, min, max, sum, map, select, reject,
// selectattr, rejectattr, list, reverse, batch, slice, groupby, dictsort, items) and Ansible's set and
// combination filters (union, intersect, difference, symmetric_difference, flatten, zip, product...).
import { Undefined, undefinedError } from '../errors.js'
import { binary } from '../operators.js'
import { pyRandom } from '../py-random.js'
import { arg, type CallContext, type Callable } from '../types.js'
import { isInt, isMapping, isTuple, iterate, num, pyCompare, pyEquals, pyStr, truthy, tuple, typeName, ValueError } from '../values.js'

type Filters = Record<string, Callable>

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v)

function seq(name: string, v: unknown): unknown[] {
  if (v instanceof Undefined) throw undefinedError(v)
  return iterate(v, name)
}

/** Jinja2's make_attrgetter: `a.b.0` paths, optional lowercasing, a default for missing values. */
function getter(ctx: CallContext, attribute: unknown, ignoreCase: boolean, fallback?: unknown): (item: unknown) => unknown {
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
function multiGetter(ctx: CallContext, attribute: unknown, ignoreCase: boolean): (item: unknown) => unknown {
  if (typeof attribute !== 'string' || !attribute.includes(',')) return getter(ctx, attribute, ignoreCase)
  const getters = attribute.split(',').map((a) => getter(ctx, a, ignoreCase))
  return (item) => getters.map((g) => g(item))
}

function sorted(items: unknown[], key: (v: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((v) => ({ v, k: key(v) }))
  keyed.sort((a, b) => (reverse ? pyCompare(b.k, a.k) : pyCompare(a.k, b.k)))
  return keyed.map((x) => x.v)
}

/** A hash key for Python's set membership, or undefined for unhashable values (lists, dicts). */
function hashKey(v: unknown): string | undefined {
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
function unique(ctx: CallContext, items: unknown[], caseSensitive: unknown, attribute: unknown): unknown[] {
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

const has = (items: unknown[], x: unknown): boolean => items.some((y) => pyEquals(x, y))

function flatten(items: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = []
  for (const e of items) {
    if (skipNulls && (e === null || e === 'None' || e === 'null')) continue
    if (Array.isArray(e)) {
      if (levels === undefined) out.push(...flatten(e, undefined, skipNulls))
      else if (levels >= 1) out.push(...flatten(e, levels - 1, skipNulls))
      else out.push(e)
    } else out.push(e)
  }
  return out
}

function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  if (Object.keys(x).length === 0 || pyEquals(x, y)) return { ...y }
  if (Object.keys(y).length === 0) return x
  const out = { ...x }
  if (!recursive && listMerge === 'replace') return Object.assign(out, y)
  for (const [k, yv] of Object.entries(y)) {
    if (!Object.hasOwn(out, k)) {
      out[k] = yv
      continue
    }
    const xv = out[k]
    if (isMapping(xv) && isMapping(yv)) out[k] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv
    else if (Array.isArray(xv) && Array.isArray(yv)) {
      const only = (a: unknown[], b: unknown[]): unknown[] => a.filter((z) => !has(b, z))
      out[k] = { replace: yv, append: [...xv, ...yv], prepend: [...yv, ...xv], append_rp: [...only(xv, yv), ...yv], prepend_rp: [...yv, ...only(xv, yv)], keep: xv }[listMerge] ?? yv
    } else out[k] = yv
  }
  return out
}

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

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]])
}

function permutations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]]
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1).map((p) => [x, ...p]))
}

function combinations(items: unknown[], r: number): unknown[][] {
  if (r === 0) return [[]]
  return items.flatMap((x, i) => combinations(items.slice(i + 1), r - 1).map((c) => [x, ...c]))
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

const tuples = (rows: unknown[][]): unknown[] => rows.map((r) => tuple(r))

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
  union: { params: ['b'], fn: (c, v, [b]) => unique(c, [...seq('union', v), ...seq('union', b)], true, undefined) },
  intersect: { params: ['b'], fn: (c, v, [b]) => unique(c, seq('intersect', v).filter((x) => has(seq('intersect', b), x)), true, undefined) },
  difference: { params: ['b'], fn: (c, v, [b]) => unique(c, seq('difference', v).filter((x) => !has(seq('difference', b), x)), true, undefined) },
  symmetric_difference: {
    params: ['b'],
    fn: (c, v, [b]) => {
      const a = seq('symmetric_difference', v)
      const bb = seq('symmetric_difference', b)
      const both = unique(c, a.filter((x) => has(bb, x)), true, undefined)
      return unique(c, [...a, ...bb], true, undefined).filter((x) => !has(both, x))
    },
  },
  flatten: {
    params: ['levels', 'skip_nulls'],
    fn: (_c, v, [levels, skipNulls]) => flatten(seq('flatten', v), levels === undefined || levels === null ? undefined : num(levels), truthy(arg(skipNulls, true))),
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
  dictsort: {
    params: ['case_sensitive', 'by', 'reverse'],
    fn: (_c, v, [cs, by, reverse]) => {
      if (!isMapping(v)) throw new ValueError(`dictsort expects a dict, got ${typeName(v)}`)
      const b = arg(by, 'key')
      if (b !== 'key' && b !== 'value') throw new ValueError('You can only sort by either "key" or "value"')
      const pos = b === 'key' ? 0 : 1
      const pairs = Object.entries(v).map((p) => tuple(p))
      return sorted(pairs, (p) => (truthy(cs) ? (p as unknown[])[pos] : lower((p as unknown[])[pos])), truthy(reverse))
    },
  },
  items: {
    params: [],
    fn: (_c, v) => {
      if (v instanceof Undefined) return []
      if (!isMapping(v)) throw new ValueError(`Can only get item pairs from a mapping, not ${typeName(v)}`)
      return Object.entries(v).map((p) => tuple(p))
    },
  },
  dict2items: {
    params: ['key_name', 'value_name'],
    fn: (_c, v, [k, val]) => {
      if (!isMapping(v)) throw new ValueError(`dict2items requires a dictionary, got <class '${typeName(v)}'> instead.`)
      return Object.entries(v).map(([key, value]) => ({ [pyStr(arg(k, 'key'))]: key, [pyStr(arg(val, 'value'))]: value }))
    },
  },
  items2dict: {
    params: ['key_name', 'value_name'],
    fn: (_c, v, [k, val]) => {
      if (!Array.isArray(v)) throw new ValueError(`items2dict requires a list, got <class '${typeName(v)}'> instead.`)
      const kn = pyStr(arg(k, 'key'))
      const vn = pyStr(arg(val, 'value'))
      const out: Record<string, unknown> = {}
      for (const item of v) {
        if (!isMapping(item) || !Object.hasOwn(item, kn) || !Object.hasOwn(item, vn)) {
          throw new ValueError(`items2dict requires each dictionary in the list to contain the keys '${kn}' and '${vn}'`)
        }
        out[pyStr(item[kn])] = item[vn]
      }
      return out
    },
  },
  combine: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kw) => {
      const { recursive = false, list_merge: listMerge = 'replace', ...rest } = kw
      if (Object.keys(rest).length > 0) throw new ValueError("'recursive' and 'list_merge' are the only valid keyword arguments")
      const dicts = flatten([v, ...args], 1, false)
      for (const d of dicts) if (!isMapping(d)) throw new ValueError(`failed to combine variables, expected dicts but got a '${typeName(d)}'`)
      if (dicts.length === 0) return {}
      let result = dicts[dicts.length - 1] as Record<string, unknown>
      for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i] as Record<string, unknown>, result, truthy(recursive), pyStr(listMerge))
      return result
    },
  },
  zip: { params: [], variadic: true, fn: (_c, v, args) => zip([v, ...args].map((x) => seq('zip', x)), false, null) },
  zip_longest: { params: [], variadic: true, anyKwargs: true, fn: (_c, v, args, kw) => zip([v, ...args].map((x) => seq('zip_longest', x)), true, kw.fillvalue ?? null) },
  product: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kw) => {
      const lists = [v, ...args].map((x) => seq('product', x))
      const repeat = num(kw.repeat ?? 1)
      return tuples(product(Array.from({ length: repeat }, () => lists).flat()))
    },
  },
  permutations: {
    params: ['r'],
    fn: (_c, v, [r]) => {
      const items = seq('permutations', v)
      return tuples(permutations(items, r === undefined || r === null ? items.length : num(r)))
    },
  },
  combinations: { params: ['r'], fn: (_c, v, [r]) => tuples(combinations(seq('combinations', v), num(r))) },
  subelements: {
    params: ['subelements', 'skip_missing'],
    fn: (_c, v, [sub, skipMissing]) => {
      const elements = isMapping(v) ? Object.values(v) : Array.isArray(v) ? v : undefined
      if (!elements) throw new ValueError('obj must be a list of dicts or a nested dict')
      const path = Array.isArray(sub) ? sub.map(pyStr) : typeof sub === 'string' ? sub.split('.') : undefined
      if (!path) throw new ValueError('subelements must be a list or a string')
      const out: unknown[] = []
      for (const element of elements) {
        let values: unknown = element
        for (const p of path) {
          if (!isMapping(values)) throw new ValueError(`the key ${p} should point to a dictionary, got '${pyStr(values)}'`)
          if (!Object.hasOwn(values, p)) {
            if (truthy(skipMissing)) {
              values = []
              break
            }
            throw new ValueError(`could not find '${p}' key in iterated item ${pyStr(values)}`)
          }
          values = values[p]
        }
        if (!Array.isArray(values)) throw new ValueError(`the key '${path[path.length - 1]}' should point to a list, got ${pyStr(values)}`)
        for (const x of values) out.push(tuple([element, x]))
      }
      return out
    },
  },
  extract: {
    params: ['container', 'morekeys'],
    fn: (c, v, [container, morekeys]) => {
      const keys = morekeys === undefined || morekeys === null ? [v] : Array.isArray(morekeys) ? [v, ...morekeys] : [v, morekeys]
      let value = container
      for (const k of keys) {
        value = c.attribute(value, k as string | number)
        if (value instanceof Undefined) return value
      }
      return value
    },
  },
  rekey_on_member: {
    params: ['key', 'duplicates'],
    fn: (_c, v, [key, duplicates]) => {
      const dup = arg(duplicates, 'error')
      if (dup !== 'error' && dup !== 'overwrite') throw new ValueError(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(dup)}`)
      const items = isMapping(v) ? Object.values(v) : Array.isArray(v) ? v : undefined
      if (!items) throw new ValueError('Type is not a valid list, set, or dict')
      const out: Record<string, unknown> = {}
      for (const item of items) {
        if (!isMapping(item)) throw new ValueError('List item is not a valid dict')
        if (!Object.hasOwn(item, pyStr(key))) throw new ValueError(`Key ${pyStr(key)} was not found`)
        const k = pyStr(item[pyStr(key)])
        if (truthy(out[k]) && dup === 'error') throw new ValueError(`Key ${k} is not unique, cannot correctly turn into dict`)
        out[k] = item
      }
      return out
    },
  },
  attr: { params: ['name'], fn: () => new Undefined('attribute of a value (the attr filter reads Python attributes, data has none)', 0) },
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

function zip(lists: unknown[][], longest: boolean, fill: unknown): unknown[] {
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length))
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))))
}
