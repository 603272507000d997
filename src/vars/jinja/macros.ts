// The values `{% macro %}` and `{% import %}` make: a macro a template may call (and pass on, and import
// from another template), and an imported template's module, whose attributes are its macros and its
// top-level `{% set %}` names. Arguments bind as Jinja2 binds them, with its messages.
import type { MacroDef } from './ast.js'
import { tuple, ValueError } from './values.js'

type Vars = Record<string, unknown>

/** The body of a macro run with its bound parameters (unset: not given, the default applies). */
export type MacroRun = (bound: Map<string, unknown>, varargs: unknown[], kwargs: Vars, caller: unknown) => string

export class Macro {
  constructor(
    readonly def: MacroDef,
    private readonly run: MacroRun,
  ) {}

  /** Jinja2's Macro attributes a template may read. */
  get attrs(): Vars {
    const d = this.def
    return { name: d.anonymous ? null : d.name, arguments: tuple(d.params.map((p) => p.name)), catch_kwargs: d.kwargs, catch_varargs: d.varargs, caller: d.caller }
  }

  call(args: unknown[], kwargs: Vars): string {
    const d = this.def
    if (args.length > d.params.length && !d.varargs) throw new ValueError(`macro '${d.name}' takes not more than ${d.params.length} argument(s)`)
    const rest: Vars = { ...kwargs }
    const bound = new Map<string, unknown>()
    d.params.forEach((p, i) => {
      if (i < args.length) bound.set(p.name, args[i])
      else if (Object.hasOwn(rest, p.name)) {
        bound.set(p.name, rest[p.name])
        delete rest[p.name]
      }
    })
    let caller: unknown
    if (d.caller && Object.hasOwn(rest, 'caller')) {
      caller = rest.caller
      delete rest.caller
    }
    const extra = Object.keys(rest)
    if (extra.length > 0 && !d.kwargs) throw new ValueError(`macro '${d.name}' takes no keyword argument '${extra[0]}'`)
    return this.run(bound, args.slice(d.params.length), rest, caller)
  }

  toString(): string {
    return this.def.anonymous ? '<Macro anonymous>' : `<Macro '${this.def.name}'>`
  }
}

/** An imported template: its exported names, and its output (what printing the module shows). */
export class TemplateModule {
  constructor(
    readonly attrs: Vars,
    private readonly output: string,
  ) {}
  toString(): string {
    return this.output
  }
}
