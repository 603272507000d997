// Ansible's set and combination filters: union, intersect, difference, symmetric_difference (order kept,
// as for lists Ansible does), flatten, zip, zip_longest, product, permutations, combinations.
import type { Callable } from '../types.js'
import { num, truthy, tuple } from '../values.js'
import { arg } from '../types.js'
import { has, seq, unique } from './items.js'

type Filters = Record<string, Callable>

export function flatten(items: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
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

const tuples = (rows: unknown[][]): unknown[] => rows.map((r) => tuple(r))

function zip(lists: unknown[][], longest: boolean, fill: unknown): unknown[] {
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length))
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))))
}

export const SET_FILTERS: Filters = {
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
}
