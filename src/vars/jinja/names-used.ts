// The root variables a template or condition reads, so the engine can report an undefined one before any
// host is contacted. Names only tested with `is defined`/`is undefined` or given a `default` may be
// undefined and are left out, as are names the template sets itself (`{% set %}`, loop variables).
import { BLOCK_TEXT, type Expr, type Stmt } from './ast.js'
import { globalFunction } from './functions.js'

const MAY_BE_UNDEFINED_TESTS = new Set(['defined', 'undefined'])
const MAY_BE_UNDEFINED_FILTERS = new Set(['default', 'd', 'mandatory'])

const NONE: ReadonlySet<string> = new Set()

/**
 * The root names an expression proves defined when it holds: `x is defined` (also `x.y is defined`, which
 * cannot hold unless x is), `x is not undefined`, and each side of an `and` of them.
 */
export function definedWhenTrue(e: Expr): string[] {
  if (e.kind === 'and') return [...definedWhenTrue(e.left), ...definedWhenTrue(e.right)]
  if (e.kind !== 'test' || !((e.name === 'defined' && !e.negated) || (e.name === 'undefined' && e.negated))) return []
  const root = rootName(e.operand)
  return root === undefined ? [] : [root]
}

function rootName(e: Expr): string | undefined {
  if (e.kind === 'name') return e.name
  return e.kind === 'attr' || e.kind === 'item' ? rootName(e.object) : undefined
}

function withGuards(guarded: ReadonlySet<string>, test: Expr): ReadonlySet<string> {
  const more = definedWhenTrue(test)
  return more.length === 0 ? guarded : new Set([...guarded, ...more])
}

function collect(e: Expr, out: Set<string>, guarded: ReadonlySet<string> = NONE): void {
  switch (e.kind) {
    case 'const':
      return
    case 'name':
      // a global function read as a value (`{% set r = range %}`) is no variable, nor is the template's `self`
      if (!guarded.has(e.name) && !globalFunction(e.name) && e.name !== 'self') out.add(e.name)
      return
    case 'list':
    case 'tuple':
      return e.items.forEach((x) => collect(x, out, guarded))
    case 'dict':
      return e.pairs.forEach(([k, v]) => {
        collect(k, out, guarded)
        collect(v, out, guarded)
      })
    case 'attr':
      return collect(e.object, out, guarded)
    case 'item':
      collect(e.object, out, guarded)
      return collect(e.index, out, guarded)
    case 'slice':
      for (const x of [e.object, e.start, e.stop, e.step]) if (x) collect(x, out, guarded)
      return
    case 'not':
    case 'neg':
    case 'pos':
      return collect(e.operand, out, guarded)
    case 'and':
      // `x is defined and x.y`: the right side is read only once the left holds
      collect(e.left, out, guarded)
      return collect(e.right, out, withGuards(guarded, e.left))
    case 'binary':
    case 'or':
      collect(e.left, out, guarded)
      return collect(e.right, out, guarded)
    case 'compare':
      collect(e.left, out, guarded)
      return e.ops.forEach((o) => collect(o.right, out, guarded))
    case 'cond':
      collect(e.test, out, guarded)
      collect(e.then, out, withGuards(guarded, e.test))
      if (e.else) collect(e.else, out, guarded)
      return
    case 'filter':
      if (!MAY_BE_UNDEFINED_FILTERS.has(e.name)) collect(e.operand, out, guarded)
      e.args.forEach((x) => collect(x, out, guarded))
      return e.kwargs.forEach(([, x]) => collect(x, out, guarded))
    case 'test':
      if (!MAY_BE_UNDEFINED_TESTS.has(e.name)) collect(e.operand, out, guarded)
      e.args.forEach((x) => collect(x, out, guarded))
      return e.kwargs.forEach(([, x]) => collect(x, out, guarded))
    case 'call':
      if (e.callee.kind !== 'name') collect(e.callee, out, guarded)
      e.args.forEach((x) => collect(x, out, guarded))
      return e.kwargs.forEach(([, x]) => collect(x, out, guarded))
  }
}

function walk(stmts: Stmt[], out: Set<string>, local: Set<string>, guarded: ReadonlySet<string> = NONE): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'output':
        collect(st.expr, out, guarded)
        break
      case 'if':
        for (const b of st.branches) {
          collect(b.test, out, guarded)
          // `{% if users is defined %}`: what the branch reads of users may be undefined outside it
          walk(b.body, out, local, withGuards(guarded, b.test))
        }
        if (st.else) walk(st.else, out, local, guarded)
        break
      case 'for':
        collect(st.iter, out, guarded)
        st.targets.forEach((t) => local.add(t))
        local.add('loop')
        if (st.filter) collect(st.filter, out, guarded)
        walk(st.body, out, local, guarded)
        if (st.else) walk(st.else, out, local, guarded)
        break
      case 'set':
        collect(st.expr, out, guarded)
        // `{% set ns.x = 1 %}` reads ns, the namespace set before
        if (st.attr !== undefined) out.add(st.targets[0])
        else st.targets.forEach((t) => local.add(t))
        break
      case 'set_block':
        walk(st.body, out, local, guarded)
        if (st.filters) collect(st.filters, out, new Set([...guarded, BLOCK_TEXT]))
        local.add(st.target)
        break
      case 'filter_block':
        walk(st.body, out, local, guarded)
        collect(st.filters, out, new Set([...guarded, BLOCK_TEXT]))
        break
      case 'include':
      case 'extends':
        collect(st.name, out, guarded)
        break
      case 'block':
        walk(st.body, out, local, guarded)
        break
      case 'do':
        collect(st.expr, out, guarded)
        break
      case 'macro':
      case 'call_block': {
        const def = st.kind === 'macro' ? st.macro : st.caller
        if (st.kind === 'call_block') collect(st.call, out, guarded)
        for (const n of [def.name, 'caller', 'varargs', 'kwargs', ...def.params.map((p) => p.name)]) local.add(n)
        def.params.forEach((p) => p.default && collect(p.default, out, guarded))
        walk(def.body, out, local, guarded)
        break
      }
      case 'import':
        collect(st.name, out, guarded)
        if (st.target) local.add(st.target)
        st.names?.forEach(([, alias]) => local.add(alias))
        break
      case 'with':
        st.assigns.forEach((a) => collect(a.expr, out, guarded))
        st.assigns.forEach((a) => a.targets.forEach((t) => local.add(t)))
        walk(st.body, out, local, guarded)
        break
    }
  }
}

/** Root variable names a condition reads. */
export function expressionNames(e: Expr): string[] {
  const out = new Set<string>()
  collect(e, out)
  return [...out]
}

/** Root variable names a template reads, without the names it sets. */
export function templateNames(stmts: Stmt[]): string[] {
  const out = new Set<string>()
  const local = new Set<string>()
  walk(stmts, out, local)
  return [...out].filter((n) => !local.has(n))
}
