// Runs template statements: the output is a list of nodes (text and values), which the caller joins as
// Ansible does (plain text for files, native values for playbook strings). Loops have a budget, so a
// template cannot keep the controller busy forever. A template that extends another renders that other,
// with its blocks in place of the other's.
import { BLOCK_TEXT, SUPER_BLOCK, type Expr, type Stmt } from './ast.js'
import { JinjaError, Undefined } from './errors.js'
import { Namespace } from './namespace.js'
import { Evaluator, Scope } from './evaluate.js'
import { includedTemplate, inFile } from './include.js'
import { loopInfo, type LoopState } from './loop.js'
import { Macro, TemplateModule } from './macros.js'
import { callBlock, defineMacro, importTemplate } from './render-macros.js'
import { iterate, NativeText, pyStr, snapshot, truthy, ValueError } from './values.js'

/** Ansible's STRING_TYPE_FILTERS: their output is text, never read back as a list or dict. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml'])

const MAX_ITERATIONS = 1_000_000
const MAX_OUTPUT = 64 * 1024 * 1024
export const MAX_DEPTH = 50

/** The template file statements come from: null for the template being rendered, else an included one. */
export type TemplateFile = { path: string; text: string } | null

/** A body a block may render: its template's own, or one that replaces it from a template extending it. */
interface BlockBody {
  body: Stmt[]
  file: TemplateFile
}

export interface Budget {
  iterations: number
  output: number
  /** From the templates extending the one rendered: each block's replacements, the most derived first. */
  blocks: Map<string, BlockBody[]>
  /** The file of the statements running (errors inside a block are reported in the file it is written in). */
  file: TemplateFile
  /** Macro calls under way, one inside another (a macro may call itself). */
  calls: number
}

/** `{% break %}` and `{% continue %}`, thrown to the loop around them. */
class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
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

export function run(stmts: Stmt[], ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  for (const st of stmts) {
    switch (st.kind) {
      case 'text':
        out.push(st.text)
        budget.output += st.text.length
        break
      case 'output': {
        let value = finalize(ev.output(st.expr))
        if (ev.marking) value = snapshot(value)
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
        if (st.attr !== undefined) setAttribute(ev, st.targets[0], st.attr, ev.ev(st.expr), st.pos)
        else assign(ev.current, st.targets, ev.ev(st.expr), st.pos)
        break
      case 'set_block':
        ev.current.set(st.target, blockValue(st.body, st.filters, ev, budget, depth))
        break
      case 'filter_block':
        out.push(blockValue(st.body, st.filters, ev, budget, depth))
        break
      case 'include': {
        if (depth > MAX_DEPTH) throw new JinjaError(`templates nest more than ${MAX_DEPTH} deep (an include of itself?)`, st.pos)
        const inc = includedTemplate(ev, ev.value(st.name), st.ignoreMissing, st.name.pos)
        if (!inc) break
        ev.marking ||= inc.changes
        // what the included template sets stays in it; without context it sees no variable of this one
        const scope = st.withContext ? new Scope(ev.current.root, ev.current) : new Scope({})
        inTemplate(budget, { path: inc.path, text: inc.text }, () => ev.withScope(scope, () => renderTemplate(inc.stmts, ev, out, budget, depth + 1)))
        break
      }
      case 'block':
        runBlock([...(budget.blocks.get(st.name) ?? []), { body: st.body, file: budget.file }], 0, ev, out, budget, depth)
        break
      case 'extends':
        throw new JinjaError("'{% extends %}' must be at the top level of a template, outside any tag", st.pos)
      case 'break':
      case 'continue':
        throw new LoopControl(st.kind)
      case 'do':
        ev.value(st.expr)
        break
      case 'macro':
        ev.current.set(st.macro.name, defineMacro(st.macro, ev, budget, depth, st.pos))
        break
      case 'call_block':
        out.push(callBlock(st, ev, budget, depth))
        break
      case 'import':
        importTemplate(st, ev, budget, depth)
        break
      case 'with': {
        const values = st.assigns.map((a) => ev.ev(a.expr))
        const scope = new Scope(ev.current.root, ev.current)
        st.assigns.forEach((a, i) => assign(scope, a.targets, values[i], st.pos))
        ev.withScope(scope, () => run(st.body, ev, out, budget, depth))
        break
      }
    }
    if (budget.output > MAX_OUTPUT) throw new JinjaError(`the template's output is larger than ${MAX_OUTPUT / 1024 / 1024} MiB`, st.pos)
  }
}

/** Runs `fn` for the statements of `file`: its errors are reported there. */
export function inTemplate<T>(budget: Budget, file: TemplateFile, fn: () => T): T {
  const before = budget.file
  budget.file = file
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof JinjaError) || err.file !== undefined) throw err
    throw file ? inFile(err, file.path, file.text) : new JinjaError(err.message, err.pos, err.syntax, null)
  } finally {
    budget.file = before
  }
}

/** The blocks of a template, nested ones too, by name. */
function blocksOf(stmts: Stmt[], into = new Map<string, Stmt[]>()): Map<string, Stmt[]> {
  for (const st of stmts) {
    if (st.kind === 'block' && !into.has(st.name)) into.set(st.name, st.body)
    for (const inner of st.kind === 'if' ? [...st.branches.map((b) => b.body), st.else ?? []] : 'body' in st ? [st.body, st.kind === 'for' ? st.else ?? [] : []] : []) blocksOf(inner, into)
  }
  return into
}

/**
 * A template; one that extends another renders that other with its blocks in place of the other's. What
 * it writes before `{% extends %}` is output, what comes after runs only for its effect ({% set %}), as in
 * Jinja2.
 */
export function renderTemplate(stmts: Stmt[], ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  const at = stmts.findIndex((s) => s.kind === 'extends')
  if (at < 0) {
    const before = ev.templateSelf
    const home = ev.current
    let self: TemplateModule | undefined
    ev.templateSelf = () => (self ??= templateReference(stmts, home, ev, budget, depth))
    try {
      return run(stmts, ev, out, budget, depth)
    } finally {
      ev.templateSelf = before
    }
  }
  const ext = stmts[at] as Extract<Stmt, { kind: 'extends' }>
  run(stmts.slice(0, at), ev, out, budget, depth)
  run(stmts.slice(at + 1).filter((s) => s.kind !== 'block'), ev, [], budget, depth)
  for (const [name, body] of blocksOf(stmts)) budget.blocks.set(name, [...(budget.blocks.get(name) ?? []), { body, file: budget.file }])
  if (depth > MAX_DEPTH) throw new JinjaError(`templates nest more than ${MAX_DEPTH} deep (an extends of itself?)`, ext.pos)
  const parent = includedTemplate(ev, ev.value(ext.name), false, ext.name.pos)!
  ev.marking ||= parent.changes
  inTemplate(budget, { path: parent.path, text: parent.text }, () => renderTemplate(parent.stmts, ev, out, budget, depth + 1))
}

/**
 * Jinja2's `self` for the template that renders the output (the last of an extends chain): `self.name()`
 * renders block `name` as it stands there, the most derived body, in the template's top-level scope.
 */
function templateReference(stmts: Stmt[], home: Scope, ev: Evaluator, budget: Budget, depth: number): TemplateModule {
  const own = blocksOf(stmts)
  const file = budget.file
  const attrs: Record<string, Macro> = {}
  for (const name of new Set([...own.keys(), ...budget.blocks.keys()])) {
    const bodies = [...(budget.blocks.get(name) ?? []), ...(own.has(name) ? [{ body: own.get(name)!, file }] : [])]
    attrs[name] = new Macro({ name, params: [], body: [], caller: false, varargs: false, kwargs: false }, () => {
      const inner: unknown[] = []
      ev.withScope(home, () => runBlock(bodies, 0, ev, inner, budget, depth))
      return inner.map(pyStr).join('')
    })
  }
  return new TemplateModule(attrs, '<TemplateReference None>')
}

/** `super` in a block that replaces no other. */
const NO_SUPER = new Undefined('super', 0, true, false, 'super(): this block replaces no other')

/** Body `i` of a block's bodies (the most derived first); super() in it renders the next. */
function runBlock(bodies: BlockBody[], i: number, ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  const outer = ev.current
  const scope = new Scope(outer.root, outer)
  // the parent's body sees what this block saw, not what it set; in a block that replaces none, super is undefined
  scope.set(SUPER_BLOCK, i + 1 >= bodies.length ? NO_SUPER : () => {
    const inner: unknown[] = []
    ev.withScope(outer, () => runBlock(bodies, i + 1, ev, inner, budget, depth))
    return inner.map(pyStr).join('')
  })
  inTemplate(budget, bodies[i].file, () => ev.withScope(scope, () => run(bodies[i].body, ev, out, budget, depth)))
}

/** `{% set ns.attr = v %}`: only a namespace() takes an attribute, as in Jinja2. */
function setAttribute(ev: Evaluator, name: string, attr: string, value: unknown, pos: number): void {
  const ns = ev.current.lookup(name)
  if (!(ns instanceof Namespace)) throw new JinjaError(`cannot assign attribute on non-namespace object ('${name}')`, pos)
  ns.attrs[attr] = value
}

/** A block's output as text, through the block's filters if it has any; what it sets stays in it, as in Jinja2. */
function blockValue(body: Stmt[], filters: Expr | undefined, ev: Evaluator, budget: Budget, depth: number): unknown {
  const inner: unknown[] = []
  ev.withScope(new Scope(ev.current.root, ev.current), () => run(body, ev, inner, budget, depth))
  const text = inner.map(pyStr).join('')
  if (!filters) return text
  const scope = new Scope(ev.current.root, ev.current)
  scope.set(BLOCK_TEXT, text)
  return ev.withScope(scope, () => ev.value(filters))
}

function runFor(st: Extract<Stmt, { kind: 'for' }>, ev: Evaluator, out: unknown[], budget: Budget, depth: number): void {
  const outer = ev.current
  const loop = (source: unknown, depth0: number, into: unknown[]): void => {
    const items = loopItems(st, source, ev, outer)
    if (items.length === 0) {
      if (st.else) run(st.else, ev, into, budget, depth)
      return
    }
    const state: LoopState = {}
    if (st.recursive) {
      // loop(items): the body over other items, one level deeper, in the scope the loop started in
      state.recurse = (more) => {
        if (depth + depth0 > MAX_DEPTH) throw new ValueError(`the recursive loop nests more than ${MAX_DEPTH} deep`)
        const inner: unknown[] = []
        ev.withScope(outer, () => loop(more, depth0 + 1, inner))
        return inner.map(pyStr).join('')
      }
    }
    for (let i = 0; i < items.length; i++) {
      if (++budget.iterations > MAX_ITERATIONS) throw new JinjaError(`the template runs more than ${MAX_ITERATIONS} loop iterations`, st.pos)
      const scope = new Scope(outer.root, outer)
      scope.set('loop', loopInfo(items, i, state, depth0))
      assign(scope, st.targets, items[i], st.pos)
      try {
        ev.withScope(scope, () => run(st.body, ev, into, budget, depth + 1))
      } catch (err) {
        if (!(err instanceof LoopControl)) throw err
        if (err.kind === 'break') break
      }
    }
  }
  loop(ev.value(st.iter), 0, out)
}

/** The items a loop runs over: those of `source` its `if` keeps. */
function loopItems(st: Extract<Stmt, { kind: 'for' }>, source: unknown, ev: Evaluator, outer: Scope): unknown[] {
  let items: unknown[]
  try {
    items = iterate(source)
  } catch (err) {
    if (err instanceof ValueError) throw new JinjaError(err.message, st.iter.pos)
    throw err
  }
  const filter = st.filter
  if (!filter) return items
  return items.filter((item) => {
    const scope = new Scope(outer.root, outer)
    assign(scope, st.targets, item, st.pos)
    return ev.withScope(scope, () => truthy(ev.value(filter)))
  })
}

/** The output nodes of a template. */
export function renderStatements(stmts: Stmt[], ev: Evaluator): unknown[] {
  const out: unknown[] = []
  renderTemplate(stmts, ev, out, { iterations: 0, output: 0, blocks: new Map(), file: null, calls: 0 }, 0)
  return out
}
