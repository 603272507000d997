// Dict filters: dictsort, items, dict2items, items2dict, combine (with recursive and list_merge as Ansible's
// merge_hash), subelements, extract, rekey_on_member.
import { Undefined } from '../errors.js'
import { arg, type Callable } from '../types.js'
import { isMapping, pyEquals, pyStr, truthy, tuple, typeName, ValueError } from '../values.js'
import { has, lower, sorted } from './items.js'
import { flatten } from './sets.js'

type Filters = Record<string, Callable>

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

export const DICT_FILTERS: Filters = {
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
}
