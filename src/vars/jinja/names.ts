// The names a template may call: filters, tests, methods of values and global functions. Tables are
// looked up by own property only, so a name such as `constructor` or `__proto__` is never found.
import { FILTERS } from './filters/index.js'
import { FUNCTIONS } from './functions.js'
import { METHODS, type MethodTable } from './methods.js'
import { TESTS } from './tests.js'
import type { Callable } from './types.js'

function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

/** The collection a filter pgha has comes from, where it is not ansible.builtin. */
const COLLECTION_OF: Readonly<Record<string, string>> = { json_query: 'community.general' }

/** `ansible.builtin.to_json` is `to_json`, `community.general.json_query` is `json_query`. */
export function canonicalName(name: string): string {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '')
  const m = /^(\w+\.\w+)\.(\w+)$/.exec(short)
  return m && Object.hasOwn(COLLECTION_OF, m[2]) && COLLECTION_OF[m[2]] === m[1] ? m[2] : short
}

export const filterDef = (name: string): Callable | undefined => own(FILTERS, name)
export const testDef = (name: string): Callable<boolean> | undefined => own(TESTS, name)
export const functionDef = (name: string): Callable | undefined => own(FUNCTIONS, name)
export const methodDef = (table: MethodTable | undefined, name: string): Callable | undefined => (table ? own(table, name) : undefined)

export const isFilterName = (name: string): boolean => filterDef(name) !== undefined
export const isTestName = (name: string): boolean => testDef(name) !== undefined
export const isFunctionName = (name: string): boolean => functionDef(name) !== undefined
export const isMethodName = (name: string): boolean => Object.values(METHODS).some((t) => methodDef(t, name) !== undefined)

/** Known names of a kind, sorted, for messages and `pgha doc`. */
export function knownNames(kind: 'filter' | 'test' | 'function' | 'method'): string {
  const table = kind === 'filter' ? FILTERS : kind === 'test' ? TESTS : kind === 'function' ? FUNCTIONS : Object.assign({}, ...Object.values(METHODS))
  // a name starting with `_` is pgha's own (filters/condition-values.ts), never one to suggest
  return Object.keys(table).filter((n) => !n.startsWith('_')).sort().join(', ')
}
