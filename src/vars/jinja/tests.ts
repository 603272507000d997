// Every test a template may use (`x is defined`, `result is failed`, `v is version('13', '>=')`):
// Jinja2's built-in tests and Ansible's core, file and math tests.
import { Undefined } from './errors.js'
import * as fsPath from './paths.js'
import { pyRegex, pySearch } from './regex.js'
import { arg, type Callable } from './types.js'
import { isFloat, isInt, isMapping, isNumber, isTuple, iterate, num, pyCompare, pyContains, pyEquals, pyStr, truthy, typeName, ValueError } from './values.js'
import { versionCompare } from './version.js'
import { toBool } from './filters/numbers.js'

type Tests = Record<string, Callable<boolean>>

const test = (fn: (v: unknown) => boolean): Callable<boolean> => ({ params: [], fn: (_c, v) => fn(v) })
const test1 = (param: string, fn: (v: unknown, a: unknown) => boolean): Callable<boolean> => ({ params: [param], fn: (_c, v, [a]) => fn(v, a) })

function result(name: string, v: unknown): Record<string, unknown> {
  if (!isMapping(v)) throw new ValueError(`The '${name}' test expects a dictionary`)
  return v
}

function changed(v: unknown): boolean {
  const r = result('changed', v)
  if (Object.hasOwn(r, 'changed')) return truthy(r.changed)
  const results = r.results
  return Array.isArray(results) && isMapping(results[0]) && results.some((x) => isMapping(x) && truthy(x.changed))
}

function regexTest(v: unknown, pattern: unknown, ignorecase: unknown, multiline: unknown, type: string): boolean {
  const re = pyRegex(pyStr(arg(pattern, '')), { ignorecase: truthy(ignorecase), multiline: truthy(multiline) })
  const s = pyStr(v)
  if (type === 'search') return pySearch(re, s) !== null
  const m = pySearch(re, s, true)
  return m !== null && (type !== 'fullmatch' || m[0].length === s.length)
}

const regexCallable = (type: string): Callable<boolean> => ({
  params: ['pattern', 'ignorecase', 'multiline'],
  fn: (_c, v, [p, i, m]) => regexTest(v, p, i, m, type),
})

function subset(a: unknown, b: unknown): boolean {
  const bs = iterate(b)
  return iterate(a).every((x) => bs.some((y) => pyEquals(x, y)))
}

const order = (op: string, check: (c: number) => boolean): Callable<boolean> => test1('other', (v, o) => check(pyCompare(v, o, op)))
const eq = test1('other', (v, o) => pyEquals(v, o))
const ne = test1('other', (v, o) => !pyEquals(v, o))
const path = (fn: (p: string) => boolean): Callable<boolean> => test((v) => fn(pyStr(v)))

const resultTests = {
  failed: (v: unknown) => truthy(result('failed', v).failed),
  succeeded: (v: unknown) => !truthy(result('succeeded', v).failed),
  unreachable: (v: unknown) => truthy(result('unreachable', v).unreachable),
  skipped: (v: unknown) => truthy(result('skipped', v).skipped),
  finished: (v: unknown) => {
    const r = result('finished', v)
    return Object.hasOwn(r, 'finished') ? pyEquals(r.finished, 1) : true
  },
  started: (v: unknown) => {
    const r = result('started', v)
    return Object.hasOwn(r, 'started') ? pyEquals(r.started, 1) : true
  },
}

export const TESTS: Tests = Object.assign(Object.create(null) as Tests, <Tests>{
  // the evaluator hands these the undefined marker itself
  defined: test((v) => !(v instanceof Undefined)),
  undefined: test((v) => v instanceof Undefined),
  none: test((v) => v === null),
  boolean: test((v) => typeof v === 'boolean'),
  true: test((v) => v === true),
  false: test((v) => v === false),
  integer: test((v) => isInt(v)),
  float: test((v) => isFloat(v)),
  number: test(isNumber),
  string: test((v) => typeof v === 'string'),
  mapping: test(isMapping),
  sequence: test((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  iterable: test((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  callable: test((v) => typeName(v) === 'object'),
  escaped: test(() => false),
  lower: test((v) => {
    const s = pyStr(v)
    return s !== s.toUpperCase() && s === s.toLowerCase()
  }),
  upper: test((v) => {
    const s = pyStr(v)
    return s !== s.toLowerCase() && s === s.toUpperCase()
  }),
  even: test((v) => num(v) % 2 === 0),
  odd: test((v) => Math.abs(num(v) % 2) === 1),
  divisibleby: test1('num', (v, n) => num(v) % num(n) === 0),
  sameas: test1('other', (v, o) => v === o && (v === null || typeof v === 'boolean' || typeof v !== 'object' || !isTuple(v))),
  in: test1('seq', (v, s) => pyContains(s, v)),
  eq,
  equalto: eq,
  '==': eq,
  ne,
  '!=': ne,
  lt: order('<', (c) => c < 0),
  lessthan: order('<', (c) => c < 0),
  '<': order('<', (c) => c < 0),
  le: order('<=', (c) => c <= 0),
  '<=': order('<=', (c) => c <= 0),
  gt: order('>', (c) => c > 0),
  greaterthan: order('>', (c) => c > 0),
  '>': order('>', (c) => c > 0),
  ge: order('>=', (c) => c >= 0),
  '>=': order('>=', (c) => c >= 0),
  filter: test((v) => typeof v === 'string'),
  test: test((v) => typeof v === 'string'),
  // Ansible's result tests
  failed: test(resultTests.failed),
  failure: test(resultTests.failed),
  succeeded: test(resultTests.succeeded),
  success: test(resultTests.succeeded),
  successful: test(resultTests.succeeded),
  unreachable: test(resultTests.unreachable),
  reachable: test((v) => !resultTests.unreachable(v)),
  changed: test(changed),
  change: test(changed),
  skipped: test(resultTests.skipped),
  skip: test(resultTests.skipped),
  finished: test(resultTests.finished),
  started: test(resultTests.started),
  // Ansible's string and data tests
  match: regexCallable('match'),
  search: regexCallable('search'),
  regex: {
    params: ['pattern', 'ignorecase', 'multiline', 'match_type'],
    fn: (_c, v, [p, i, m, type]) => regexTest(v, p, i, m, pyStr(arg(type, 'search'))),
  },
  version: {
    params: ['version', 'operator', 'strict', 'version_type'],
    fn: (_c, v, [version, operator, strict, type]) =>
      versionCompare(pyStr(v), pyStr(arg(version, '')), pyStr(arg(operator, 'eq')), truthy(strict), type === undefined || type === null ? undefined : pyStr(type)),
  },
  any: test((v) => iterate(v).some(truthy)),
  all: test((v) => iterate(v).every(truthy)),
  truthy: { params: ['convert_bool'], fn: (_c, v, [convert]) => truthy(truthy(convert) ? toBool(v) : v) },
  falsy: { params: ['convert_bool'], fn: (_c, v, [convert]) => !truthy(truthy(convert) ? toBool(v) : v) },
  vault_encrypted: test(() => false),
  subset: test1('superset', subset),
  issubset: test1('superset', subset),
  superset: test1('subset', (a, b) => subset(b, a)),
  issuperset: test1('subset', (a, b) => subset(b, a)),
  contains: test1('value', (seq, v) => pyContains(seq, v)),
  nan: test((v) => isNumber(v) && Number.isNaN(num(v))),
  isnan: test((v) => isNumber(v) && Number.isNaN(num(v))),
  // Ansible's file tests, on the controller
  directory: path(fsPath.isDir),
  is_dir: path(fsPath.isDir),
  file: path(fsPath.isFile),
  is_file: path(fsPath.isFile),
  link: path(fsPath.isLink),
  is_link: path(fsPath.isLink),
  exists: path(fsPath.exists),
  abs: path(fsPath.isAbs),
  is_abs: path(fsPath.isAbs),
  same_file: test1('other', (a, b) => fsPath.sameFile(pyStr(a), pyStr(b))),
  is_same_file: test1('other', (a, b) => fsPath.sameFile(pyStr(a), pyStr(b))),
  mount: path(fsPath.isMount),
  is_mount: path(fsPath.isMount),
})
TESTS.version_compare = TESTS.version
