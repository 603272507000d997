// Templates made only of text and plain variable paths (`{{ pg_data }}/postgresql.conf`, `{{ pg.port }}`,
// `{{ hosts[0] }}`): most strings of a playbook. They are rendered by reading the paths directly, without
// the evaluator; anything unusual on the way (a missing value, a method name) hands the template back to
// the evaluator, which renders it or reports the error where it is.
import type { Expr, Stmt } from './ast.js'
import { getAttribute, getItem, MISSING, readOwn } from './access.js'
import { isMethodName } from './names.js'
import { pyStr } from './values.js'

/**
 * `.key` (attr) or `[key]` (item); `plain`: an attr that is no method of any type, so only a key of a
 * mapping. One shape for every step keeps the property reads monomorphic.
 */
interface Step {
  key: string | number
  attr: boolean
  plain: boolean
}
export type SimplePart = string | { root: string; steps: Step[] }

/** Render this template with the evaluator. */
export const FALLBACK: unique symbol = Symbol('fallback')

function pathOf(e: Expr, steps: Step[]): string | undefined {
  if (e.kind === 'name') return e.name
  if (e.kind === 'attr') {
    const root = pathOf(e.object, steps)
    steps.push({ key: e.name, attr: true, plain: !isMethodName(e.name) })
    return root
  }
  if (e.kind === 'item' && e.index.kind === 'const' && (typeof e.index.value === 'string' || typeof e.index.value === 'number')) {
    const root = pathOf(e.object, steps)
    steps.push({ key: e.index.value, attr: false, plain: false })
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

/** The value of a path, or FALLBACK. */
function read(vars: Record<string, unknown>, p: Exclude<SimplePart, string>): unknown {
  let v = readOwn(vars, p.root)
  for (const step of p.steps) {
    if (v === MISSING) return FALLBACK
    if (step.plain) v = typeof v === 'object' && v !== null ? readOwn(v, step.key as string) : MISSING
    else v = step.attr ? getAttribute(v, step.key as string) : getItem(v, step.key)
  }
  if (v === MISSING) return FALLBACK
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v ?? ''
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null ? v : FALLBACK
}

/** The output nodes, or FALLBACK when the evaluator must render this template. */
export function renderSimple(parts: SimplePart[], vars: Record<string, unknown>): unknown[] | typeof FALLBACK {
  const out: unknown[] = []
  for (const p of parts) {
    const v = typeof p === 'string' ? p : read(vars, p)
    if (v === FALLBACK) return FALLBACK
    out.push(v)
  }
  return out
}

/** The joined text of a template of several parts, or FALLBACK. */
export function renderSimpleText(parts: SimplePart[], vars: Record<string, unknown>): string | typeof FALLBACK {
  let out = ''
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p
      continue
    }
    const v = read(vars, p)
    if (v === FALLBACK) return FALLBACK
    out += typeof v === 'string' ? v : pyStr(v)
  }
  return out
}
