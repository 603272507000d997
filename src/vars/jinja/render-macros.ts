// Running `{% macro %}`, `{% call %}` and `{% import %}`/`{% from %}` as Jinja2 does: a macro's body sees
// the scope it was defined in (not the caller's loop variables), its parameters and, when it reads them,
// `varargs`, `kwargs` and `caller`; an imported template runs once, without the importer's variables
// unless imported `with context`, and exports its macros and top-level `{% set %}` names.
import type { MacroDef, Stmt } from './ast.js'
import { JinjaError, NO_CALLER, Undefined } from './errors.js'
import { Scope, type Evaluator } from './evaluate.js'
import { includedTemplate } from './include.js'
import { Macro, TemplateModule } from './macros.js'
import { inTemplate, MAX_DEPTH, renderTemplate, run, type Budget } from './render.js'
import { pyStr, tuple, ValueError } from './values.js'

/**
 * The macro `def` defined here: its body runs in a scope over this one, its errors reported in this file,
 * its `self` this template's (also once imported into another).
 */
export function defineMacro(def: MacroDef, ev: Evaluator, budget: Budget, depth: number, pos = 0): Macro {
  const home = ev.current
  const file = budget.file
  const self = ev.templateSelf
  return new Macro(def, (bound, varargs, kwargs, caller) => {
    if (budget.calls >= MAX_DEPTH * 4) throw new ValueError(`macros call one another more than ${MAX_DEPTH * 4} deep (a macro calling itself without end?)`)
    const scope = new Scope(home.root, home)
    const out: unknown[] = []
    const callerSelf = ev.templateSelf
    ev.templateSelf = self
    budget.calls++
    try {
      inTemplate(budget, file, () =>
        ev.withScope(scope, () => {
          // defaults are evaluated at each call, after the parameters before them (`b=a`)
          for (const p of def.params) scope.set(p.name, bound.has(p.name) ? bound.get(p.name) : p.default ? ev.ev(p.default) : new Undefined(p.name, pos))
          if (def.varargs) scope.set('varargs', tuple(varargs))
          if (def.kwargs) scope.set('kwargs', kwargs)
          // its own caller or none: not the caller of a macro around it
          if (def.caller) scope.set('caller', caller ?? NO_CALLER)
          run(def.body, ev, out, budget, depth + 1)
        }),
      )
    } finally {
      budget.calls--
      ev.templateSelf = callerSelf
    }
    return out.map(pyStr).join('')
  })
}

/** `{% call(params) m(args) %}body{% endcall %}`: m's output, with the body as its caller. */
export function callBlock(st: Extract<Stmt, { kind: 'call_block' }>, ev: Evaluator, budget: Budget, depth: number): unknown {
  const caller = defineMacro(st.caller, ev, budget, depth, st.pos)
  return ev.call(st.call as Extract<typeof st.call, { kind: 'call' }>, { caller })
}

/** `{% import %}` and `{% from ... import %}`: the other template run for its exports, bound here. */
export function importTemplate(st: Extract<Stmt, { kind: 'import' }>, ev: Evaluator, budget: Budget, depth: number): void {
  if (depth > MAX_DEPTH) throw new JinjaError(`templates nest more than ${MAX_DEPTH} deep (an import of itself?)`, st.pos)
  const inc = includedTemplate(ev, ev.value(st.name), false, st.name.pos)!
  ev.marking ||= inc.changes
  // Jinja2's default: the imported template sees none of the importer's variables
  const scope = st.withContext ? new Scope(ev.current.root, ev.current) : new Scope({})
  const out: unknown[] = []
  inTemplate(budget, { path: inc.path, text: inc.text }, () => ev.withScope(scope, () => renderTemplate(inc.stmts, ev, out, budget, depth + 1)))
  const exported = Object.fromEntries([...scope.names()].filter(([k]) => !k.startsWith('_')))
  if (st.target !== undefined) {
    ev.current.set(st.target, new TemplateModule(exported, out.map(pyStr).join('')))
    return
  }
  for (const [n, alias, at] of st.names ?? []) {
    // a name it does not export is undefined, an error where it is used, as in Jinja2
    ev.current.set(alias, Object.hasOwn(exported, n) ? exported[n] : new Undefined(n, at))
  }
}
