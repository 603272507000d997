// The lookups behind Ansible's `with_*` loops, with the results Ansible's own plugins give (items flattens
// one level, list does not, nested and together flatten each combination, subelements pairs records with
// the entries of one of their lists): items, list, dict, indexed_items, together, nested, cartesian,
// subelements, sequence, and community.general's flattened (every level). Templates may call them too (`query('subelements', users, 'keys')`), as in Ansible.
import { percentFormat } from './format.js'
import type { CallContext } from './types.js'
import { isMapping, pyRepr, pyStr, truthy, tuple, typeName, ValueError } from './values.js'

type Lookup = (ctx: CallContext, terms: unknown[], kw: Record<string, unknown>) => unknown[]

/** What Python's `for x in v` gives for a lookup's terms: a dict's keys, anything else not iterable as itself. */
function each(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (isMapping(v)) return Object.keys(v)
  return [v]
}

/** LookupBase._flatten: one level of lists (and tuples) spread into their parent. */
function flatten(terms: unknown): unknown[] {
  const out: unknown[] = []
  for (const t of each(terms)) {
    if (Array.isArray(t)) out.push(...t)
    else out.push(t)
  }
  return out
}

/** listify_lookup_plugin_terms of one term: a string (or any non-iterable) becomes a one-item list. */
function listify(term: unknown): unknown[] {
  if (typeof term === 'string' || !(Array.isArray(term) || isMapping(term))) return [term]
  return each(term)
}

/** Each combination of the lists, first list outermost, as LookupBase._combine builds it. */
function combine(lists: unknown[][]): unknown[] {
  if (lists.length === 0) throw new ValueError('with_nested requires at least one element in the nested list')
  let result: unknown[] = lists[0]
  for (const next of lists.slice(1)) result = result.flatMap((x) => next.map((y) => flatten([x, y])))
  return result.map((x) => flatten(x))
}

/** Python's int(text, 0): decimal without leading zeros, 0x, 0o, 0b. */
function intBase0(text: string, what: string): number {
  const s = text.trim().replace(/_/g, '')
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9][0-9]*|0+)$/.exec(s)
  if (!m) throw new ValueError(`can't parse ${what}=${text} as integer`)
  const body = m[2]
  const n = /^0[xXoObB]/.test(body) ? parseInt(body.slice(2), { x: 16, o: 8, b: 2 }[body[1].toLowerCase() as 'x' | 'o' | 'b']) : Number(body)
  return m[1] === '-' ? -n : n
}

/** Ansible's parse_kv as the sequence lookup needs it: `key=value` words, quotes around a value removed. */
function parseKv(term: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const word of term.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    const eq = word.indexOf('=')
    if (eq < 0) throw new ValueError(`unrecognized arguments to with_sequence: ['${word}']`)
    out[word.slice(0, eq)] = word.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2')
  }
  return out
}

const NUM = '(0?x?[0-9a-f]+)'
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'is')

/** One term of with_sequence: `start=1 end=5 stride=2 format=x%02d`, `count=4`, or `[start-]end[/stride][:format]`. */
function sequence(term: string): string[] {
  const s = { start: 1, end: undefined as number | undefined, count: undefined as number | undefined, stride: 1, format: '%d' }
  const short = SHORTCUT.exec(term)
  if (short) {
    const [, , start, end, , stride, , format] = short
    if (start !== undefined) s.start = intBase0(start, 'start')
    s.end = intBase0(end, 'end')
    if (stride !== undefined) s.stride = intBase0(stride, 'stride')
    if (format !== undefined) s.format = format
  } else {
    const kv = parseKv(term)
    for (const k of ['start', 'end', 'count', 'stride'] as const) {
      if (kv[k] === undefined) continue
      s[k] = intBase0(kv[k], k)
      delete kv[k]
    }
    if (kv.format !== undefined) s.format = kv.format
    delete kv.format
    const rest = Object.keys(kv)
    if (rest.length > 0) throw new ValueError(`unrecognized arguments to with_sequence: [${rest.map((k) => pyRepr(k)).join(', ')}]`)
  }
  if (s.count === undefined && s.end === undefined) throw new ValueError('must specify count or end in with_sequence')
  if (s.count !== undefined && s.end !== undefined) throw new ValueError("can't specify both count and end in with_sequence")
  let end = s.end as number
  if (s.count !== undefined) {
    if (s.count !== 0) end = s.start + s.count * s.stride - 1
    else [s.start, end, s.stride] = [0, 0, 0]
  }
  if (s.stride > 0 && end < s.start) throw new ValueError('to count backwards make stride negative')
  if (s.stride < 0 && end > s.start) throw new ValueError("to count forward don't make stride negative")
  if ((s.format.match(/%/g) ?? []).length !== 1) throw new ValueError(`bad formatting string: ${s.format}`)
  if (s.stride === 0) return []
  const out: string[] = []
  const stop = end + (s.stride > 0 ? 1 : -1)
  for (let i = s.start; s.stride > 0 ? i < stop : i > stop; i += s.stride) {
    if (out.length >= 100_000) throw new ValueError('with_sequence refuses to make more than 100000 items')
    out.push(percentFormat(s.format, i))
  }
  return out
}

/** The subelements lookup: each record paired with each entry of its list at `path` (dotted), which item.0 no longer holds. */
function subelements(terms: unknown[]): unknown[] {
  const usage = (msg = ''): never => {
    throw new ValueError(`subelements lookup expects a list of two or three items, ${msg}`)
  }
  if (terms.length < 2 || terms.length > 3) usage()
  const records = Array.isArray(terms[0]) || isMapping(terms[0]) ? terms[0] : [terms[0]]
  if (!(Array.isArray(records) || isMapping(records)) || typeof terms[1] !== 'string') usage('first a dict or a list, second a string pointing to the subkey')
  const keys = (terms[1] as string).split('.')
  let list: unknown[]
  if (isMapping(records)) {
    if ((records.skipped ?? false) !== false) return []
    list = Object.values(records)
  } else list = records as unknown[]
  const flags = terms.length === 3 ? terms[2] : {}
  const skipMissing = isMapping(flags) ? truthy(flags.skip_missing ?? false) : false
  const out: unknown[] = []
  for (const record of list) {
    if (!isMapping(record)) throw new ValueError(`subelements lookup expects a dictionary, got '${pyStr(record)}'`)
    if ((record.skipped ?? false) !== false) continue
    // item.0 is a copy whose innermost mapping lost the list, as Ansible's pop() leaves it.
    const top: Record<string, unknown> = { ...record }
    let value = top
    let sublist: unknown[] = []
    for (const [i, key] of keys.entries()) {
      const last = i === keys.length - 1
      if (!Object.hasOwn(value, key)) {
        if (skipMissing) continue
        throw new ValueError(`could not find '${key}' key in iterated item '${pyRepr(value)}'`)
      }
      const inner = value[key]
      if (!last) {
        if (!isMapping(inner)) {
          if (skipMissing) continue
          throw new ValueError(`the key ${key} should point to a dictionary, got '${pyStr(inner)}'`)
        }
        value = value[key] = { ...inner }
      } else {
        if (!Array.isArray(inner)) throw new ValueError(`the key ${key} should point to a list, got '${pyStr(inner)}'`)
        sublist = inner
        delete value[key]
      }
    }
    for (const entry of sublist) out.push(tuple([top, entry]))
  }
  return out
}

function noOptions(kw: Record<string, unknown>, lookup: string): void {
  const unknown = Object.keys(kw)[0]
  if (unknown !== undefined) throw new ValueError(`lookup '${lookup}' has no option '${unknown}'`)
}

/** community.general's flattened: every list, however deep, spread into one; a 'None' or 'null' term ends it. */
function flattenDeep(terms: unknown[]): unknown[] {
  const out: unknown[] = []
  for (let term of terms) {
    // a list of one list (of one list...) is its last item
    while (Array.isArray(term) && term.length === 1) term = term[0]
    if (term === 'None' || term === 'null') break
    if (Array.isArray(term)) out.push(...flattenDeep(term))
    else out.push(term)
  }
  return out
}

export const LOOP_LOOKUPS: Record<string, Lookup> = {
  items: (_c, terms, kw) => (noOptions(kw, 'items'), flatten(terms)),
  list: (_c, terms, kw) => {
    noOptions(kw, 'list')
    if (!Array.isArray(terms)) throw new ValueError('with_list expects a list')
    return terms
  },
  dict: (_c, terms, kw) => {
    noOptions(kw, 'dict')
    return (Array.isArray(terms) ? terms : [terms]).flatMap((t) => {
      if (!isMapping(t)) throw new ValueError(`with_dict expects a dict, got ${typeName(t)}`)
      return Object.entries(t).map(([key, value]) => ({ key, value }))
    })
  },
  indexed_items: (_c, terms, kw) => {
    noOptions(kw, 'indexed_items')
    if (!Array.isArray(terms)) throw new ValueError('with_indexed_items expects a list')
    return flatten(terms).map((item, i) => tuple([i, item]))
  },
  together: (_c, terms, kw) => {
    noOptions(kw, 'together')
    const lists = each(terms).map(listify)
    if (lists.length === 0) throw new ValueError('with_together requires at least one element in each list')
    const n = Math.max(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_, i) => flatten(lists.map((l) => (i < l.length ? l[i] : null))))
  },
  nested: (_c, terms, kw) => (noOptions(kw, 'nested'), combine(each(terms).map(listify))),
  cartesian: (_c, terms, kw) => (noOptions(kw, 'cartesian'), combine(each(terms).map(listify))),
  subelements: (_c, terms, kw) => (noOptions(kw, 'subelements'), subelements(Array.isArray(terms) ? terms : [terms])),
  sequence: (_c, terms, kw) => (noOptions(kw, 'sequence'), each(terms).flatMap((t) => sequence(pyStr(t)))),
  flattened: (_c, terms, kw) => {
    noOptions(kw, 'flattened')
    if (!Array.isArray(terms)) throw new ValueError('with_flattened expects a list')
    return flattenDeep(terms)
  },
}

/** The collection a lookup pgha has is known from, where it is not ansible.builtin. */
const LOOKUP_COLLECTION: Readonly<Record<string, string>> = { flattened: 'community.general' }

/**
 * A lookup's own name from any name Ansible answers to: ansible.builtin.file (or ansible.legacy.file) is
 * file, community.general.flattened is flattened; any other name is itself.
 */
export function lookupKey(name: string): string {
  const dot = name.lastIndexOf('.')
  if (dot < 0) return name
  const [collection, short] = [name.slice(0, dot), name.slice(dot + 1)]
  const home = Object.hasOwn(LOOKUP_COLLECTION, short) ? LOOKUP_COLLECTION[short] : 'ansible.builtin'
  return collection === home || collection === 'ansible.builtin' || collection === 'ansible.legacy' ? short : name
}
