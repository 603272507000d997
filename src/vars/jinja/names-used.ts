// The root variables a template or condition reads, so the engine can report an undefined one before any
// host is contacted. Names only tested with `is defined`/`is undefined` or given a `default` may be
// undefined and are left out, as are names the template sets itself (`{% set %}`, loop variables).
import type { Expr, Stmt } from './ast.js'

const MAY_BE_UNDEFINED_TESTS = new Set(['defined', 'undefined'])
const MAY_BE_UNDEFINED_FILTERS = new Set(['default', 'd', 'mandatory'])

function collect(e: Expr, out: Set<string>): void {
  switch (e.kind) {
    case 'const':
      return
    case 'name':
      out.add(e.name)
      return
    case 'list':
    case 'tuple':
      return e.items.forEach((x) => collect(x, out))
    case 'dict':
      return e.pairs.forEach(([k, v]) => {
        collect(k, out)
        collect(v, out)
      })
    case 'attr':
      return collect(e.object, out)
    case 'item':
      collect(e.object, out)
      return collect(e.index, out)
    case 'slice':
      for (const x of [e.object, e.start, e.stop, e.step]) if (x) collect(x, out)
      return
    case 'not':
    case 'neg':
    case 'pos':
      return collect(e.operand, out)
    case 'binary':
    case 'and':
    case 'or':
      collect(e.left, out)
      return collect(e.right, out)
    case 'compare':
      collect(e.left, out)
      return e.ops.forEach((o) => collect(o.right, out))
    case 'cond':
      collect(e.test, out)
      collect(e.then, out)
      if (e.else) collect(e.else, out)
      return
    case 'filter':
      if (!MAY_BE_UNDEFINED_FILTERS.has(e.name)) collect(e.operand, out)
      e.args.forEach((x) => collect(x, out))
      return e.kwargs.forEach(([, x]) => collect(x, out))
    case 'test':
      if (!MAY_BE_UNDEFINED_TESTS.has(e.name)) collect(e.operand, out)
      e.args.forEach((x) => collect(x, out))
      return e.kwargs.forEach(([, x]) => collect(x, out))
    case 'call':
      if (e.callee.kind !== 'name') collect(e.callee, out)
      e.args.forEach((x) => collect(x, out))
      return e.kwargs.forEach(([, x]) => collect(x, out))
  }
}

function walk(stmts: Stmt[], out: Set<string>, local: Set<string>): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'output':
        collect(st.expr, out)
        break
      case 'if':
        for (const b of st.branches) {
          collect(b.test, out)
          walk(b.body, out, local)
        }
        if (st.else) walk(st.else, out, local)
        break
      case 'for':
        collect(st.iter, out)
        st.targets.forEach((t) => local.add(t))
        local.add('loop')
        if (st.filter) collect(st.filter, out)
        walk(st.body, out, local)
        if (st.else) walk(st.else, out, local)
        break
      case 'set':
        collect(st.expr, out)
        st.targets.forEach((t) => local.add(t))
        break
      case 'set_block':
        walk(st.body, out, local)
        local.add(st.target)
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
