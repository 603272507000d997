// Templates whose rendering is a function of the variables they name and nothing else: no call (lookup,
// query, now, range, methods), no filter or test outside the lists below (which read no file, clock,
// environment or random source, and take no test or filter by name), no `vars` or `hostvars` (which reach
// any variable by a computed name), and only text and `{{ }}` outputs. Such a template renders to the same
// value again for the same values of those names, which lets the engine keep a rendering between scopes.
import type { Expr, Stmt } from './ast.js'

const PURE_FILTERS = new Set([
  'default', 'd', 'int', 'float', 'string', 'bool', 'length', 'count', 'lower', 'upper', 'capitalize', 'title',
  'trim', 'join', 'first', 'last', 'list', 'unique', 'sort', 'reverse', 'min', 'max', 'sum', 'replace',
  'regex_replace', 'regex_search', 'quote', 'basename', 'dirname', 'to_json', 'to_nice_json', 'from_json',
  'combine', 'dict2items', 'items2dict', 'flatten', 'ternary', 'b64encode', 'b64decode', 'abs', 'round',
  'split', 'mandatory', 'difference', 'intersect', 'union',
])
const PURE_TESTS = new Set([
  'defined', 'undefined', 'none', 'string', 'number', 'integer', 'float', 'boolean', 'mapping', 'sequence',
  'iterable', 'in', 'equalto', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'sameas', 'truthy', 'falsy', 'match',
  'search', 'regex', 'version', 'version_compare', 'subset', 'superset', 'contains', 'divisibleby', 'even',
  'odd', 'lower', 'upper',
])
const DYNAMIC_NAMES = new Set(['vars', 'hostvars'])

/** Every root name the statements read (tested or not), or undefined when their rendering may depend on more. */
export function pureReads(stmts: Stmt[]): string[] | undefined {
  const names = new Set<string>()
  for (const st of stmts) {
    if (st.kind === 'text') continue
    if (st.kind !== 'output' || !pureExpr(st.expr, names)) return undefined
  }
  return [...names].some((n) => DYNAMIC_NAMES.has(n)) ? undefined : [...names]
}

function pureExpr(e: Expr, names: Set<string>): boolean {
  const all = (xs: (Expr | undefined)[]): boolean => xs.every((x) => x === undefined || pureExpr(x, names))
  switch (e.kind) {
    case 'const':
      return true
    case 'name':
      names.add(e.name)
      return true
    case 'list':
    case 'tuple':
      return all(e.items)
    case 'dict':
      return all(e.pairs.flat())
    case 'attr':
      return pureExpr(e.object, names)
    case 'item':
      return all([e.object, e.index])
    case 'slice':
      return all([e.object, e.start, e.stop, e.step])
    case 'not':
    case 'neg':
    case 'pos':
      return pureExpr(e.operand, names)
    case 'binary':
    case 'and':
    case 'or':
      return all([e.left, e.right])
    case 'compare':
      return all([e.left, ...e.ops.map((o) => o.right)])
    case 'cond':
      return all([e.test, e.then, e.else])
    case 'filter':
      return PURE_FILTERS.has(e.name) && all([e.operand, ...e.args, ...e.kwargs.map(([, x]) => x)])
    case 'test':
      return PURE_TESTS.has(e.name) && all([e.operand, ...e.args, ...e.kwargs.map(([, x]) => x)])
    default:
      return false
  }
}
