// Templates made only of text and plain variable paths (`{{ pg_data }}/postgresql.conf`, `{{ pg.port }}`,
// `{{ hosts[0] }}`): most strings of a playbook. They are rendered by reading the paths directly, without
// the evaluator; anything unusual on the way (a missing value, a method name) hands the template back to
// the evaluator, which renders it or reports the error where it is.
import type { Expr, Stmt } from './ast.js'
import { getAttribute, getItem, MISSING, readOwn } from './access.js'

type Step = { attr: string } | { item: string | number }
export type SimplePart = string | { root: string; steps: Step[] }

/** Render this template with the evaluator. */
export const FALLBACK: unique symbol = Symbol('fallback')

function pathOf(e: Expr, steps: Step[]): string | undefined {
  if (e.kind === 'name') return e.name
  if (e.kind === 'attr') {
    const root = pathOf(e.object, steps)
    steps.push({ attr: e.name })
    return root
  }
  if (e.kind === 'item' && e.index.kind === 'const' && (typeof e.index.value === 'string' || typeof e.index.value === 'number')) {
    const root = pathOf(e.object, steps)
    steps.push({ item: e.index.value })
    return root
  }
  return undefined
}

/** The parts of a template made of text and plain paths, else undefined. */
export function simplePlan(stmts: Stmt[]): SimplePart[] | undefined {
  const parts: SimplePart[] = []
  for (const st of stmts) {
    if (st.kind === 'text') parts.push(st.text)
    else if (st.kind === 'output') {
      const steps: Step[] = []
      const root = pathOf(st.expr, steps)
      if (root === undefined) return undefined
      parts.push({ root, steps })
    } else return undefined
  }
  return parts
}

/** The output nodes, or FALLBACK when the evaluator must render this template. */
export function renderSimple(parts: SimplePart[], vars: Record<string, unknown>): unknown[] | typeof FALLBACK {
  const out: unknown[] = []
  for (const p of parts) {
    if (typeof p === 'string') {
      out.push(p)
      continue
    }
    let v = readOwn(vars, p.root)
    for (const step of p.steps) {
      if (v === MISSING) return FALLBACK
      v = 'attr' in step ? getAttribute(v, step.attr) : getItem(v, step.item)
    }
    if (v === MISSING || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null)) return FALLBACK
    out.push(v === null || v === undefined ? '' : v)
  }
  return out
}
