// Runs template statements: the output is a list of nodes (text and values), which the caller joins as
// Ansible does (plain text for files, native values for playbook strings). Loops have a budget, so a
// template cannot keep the controller busy forever.
import type { Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import { Evaluator, Scope } from './evaluate.js'
import { loopInfo } from './loop.js'
import { iterate, NativeText, pyStr, truthy, ValueError } from './values.js'

/** Ansible's STRING_TYPE_FILTERS: their output is text, never read back as a list or dict. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml'])

const MAX_ITERATIONS = 1_000_000
const MAX_OUTPUT = 64 * 1024 * 1024

interface Budget {
  iterations: number
  output: number
}

/** Python's finalize as Ansible sets it: None prints as nothing. */
const finalize = (v: unknown): unknown => (v === null || v === undefined ? '' : v)

function assign(scope: Scope, targets: string[], value: unknown, pos: number): void {
  if (targets.length === 1) {
    scope.set(targets[0], value)
    return
  }
  const items = typeof value === 'string' || Array.isArray(value) ? [...(value as string)] : undefined
  if (!items) throw new JinjaError(`cannot unpack a ${typeof value} into ${targets.length} names`, pos)
  if (items.length !== targets.length) {
    throw new JinjaError(items.length > targets.length ? `too many values to unpack (expected ${targets.length})` : `not enough values to unpack (expected ${targets.length}, got ${items.length})`, pos)
  }
  targets.forEach((t, i) => scope.set(t, items[i]))
}

function run(stmts: Stmt[], ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'text':
        out.push(st.text)
        budget.output += st.text.length
        break
      case 'output': {
        const value = finalize(ev.output(st.expr))
        const v = st.expr.kind === 'filter' && STRING_TYPE_FILTERS.has(st.expr.name) && typeof value === 'string' ? new NativeText(value) : value
        out.push(v)
        budget.output += typeof value === 'string' ? value.length : 16
        break
      }
      case 'if': {
        const branch = st.branches.find((b) => truthy(ev.value(b.test)))
        if (branch) run(branch.body, ev, out, budget, depth)
        else if (st.else) run(st.else, ev, out, budget, depth)
        break
      }
      case 'for':
        runFor(st, ev, out, budget, depth)
        break
      case 'set':
        assign(ev.current, st.targets, ev.ev(st.expr), st.pos)
        break
      case 'set_block': {
        const inner: unknown[] = []
        run(st.body, ev, inner, budget, depth)
        ev.current.set(st.target, inner.map(pyStr).join(''))
        break
      }
    }
    if (budget.output > MAX_OUTPUT) throw new JinjaError(`the template's output is larger than ${MAX_OUTPUT / 1024 / 1024} MiB`, st.pos)
  }
}

function runFor(st: Extract<Stmt, { kind: 'for' }>, ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  const source = ev.value(st.iter)
  let items: unknown[]
  try {
    items = iterate(source)
  } catch (err) {
    if (err instanceof ValueError) throw new JinjaError(err.message, st.iter.pos)
    throw err
  }
  const outer = ev.current
  if (st.filter) {
    const filter = st.filter
    items = items.filter((item) => {
      const scope = new Scope(outer.root, outer)
      assign(scope, st.targets, item, st.pos)
      return ev.withScope(scope, () => truthy(ev.value(filter)))
    })
  }
  if (items.length === 0) {
    if (st.else) run(st.else, ev, out, budget, depth)
    return
  }
  items.forEach((item, i) => {
    if (++budget.iterations > MAX_ITERATIONS) throw new JinjaError(`the template runs more than ${MAX_ITERATIONS} loop iterations`, st.pos)
    const scope = new Scope(outer.root, outer)
    scope.set('loop', loopInfo(items, i))
    assign(scope, st.targets, item, st.pos)
    ev.withScope(scope, () => run(st.body, ev, out, budget, depth + 1))
  })
}

/** The output nodes of a template. */
export function renderStatements(stmts: Stmt[], ev: Evaluator): unknown[] {
  const out: unknown[] = []
  run(stmts, ev, out, { iterations: 0, output: 0 }, 0)
  return out
}
