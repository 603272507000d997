// The global functions a template may call: lookup/query/q (src/vars/jinja/lookups.ts), range, dict,
// namespace, cycler and joiner.
import { SUPER_BLOCK } from './ast.js'
import { Cycler } from './cycler.js'
import { Undefined } from './errors.js'
import { runLookup } from './lookups.js'
import { Namespace } from './namespace.js'
import type { Callable } from './types.js'
import { isInt, isMapping, num, pyStr, typeName, ValueError } from './values.js'

const MAX_RANGE = 100_000

function range(args: unknown[]): number[] {
  if (args.length === 0 || args.length > 3) throw new ValueError(`range expected 1 to 3 arguments, got ${args.length}`)
  for (const a of args) if (!isInt(a) && typeof a !== 'boolean') throw new ValueError(`'${typeName(a)}' object cannot be interpreted as an integer`)
  const [start, stop, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args.length === 3 ? num(args[2]) : 1]
  if (step === 0) throw new ValueError('range() arg 3 must not be zero')
  const n = Math.max(0, Math.ceil((stop - start) / step))
  if (n > MAX_RANGE) throw new ValueError(`range too big, refusing to make a list of ${n} items (the limit is ${MAX_RANGE})`)
  return Array.from({ length: n }, (_, i) => start + i * step)
}

/** dict(...) as Python builds it: mappings or key/value pairs, then keyword arguments. */
function dict(args: unknown[], kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of args) {
    if (isMapping(a)) {
      Object.assign(out, a)
      continue
    }
    for (const pair of Array.isArray(a) ? a : []) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ValueError('dictionary update sequence element has the wrong length; 2 is required')
      out[pyStr(pair[0])] = pair[1]
    }
  }
  return Object.assign(out, kw)
}

const lookup = (wantList: boolean): Callable => ({
  params: [],
  variadic: true,
  anyKwargs: true,
  fn: (ctx, _v, [name, ...terms], kw) => {
    if (name === undefined) throw new ValueError('the name of a lookup is missing')
    return runLookup(ctx, pyStr(name), terms, kw, wantList)
  },
})

export const FUNCTIONS: Record<string, Callable> = Object.assign(Object.create(null) as Record<string, Callable>, {
  lookup: lookup(false),
  query: lookup(true),
  q: lookup(true),
  range: { params: [], variadic: true, fn: (_c, _v, args) => range(args) },
  dict: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, _v, args, kw) => dict(args, kw),
  },
  // inside a block that replaces another ({% extends %}): the other's rendering
  super: {
    params: [],
    fn: (ctx) => {
      const parent = ctx.variable(SUPER_BLOCK)
      if (parent instanceof Undefined && parent.hint) throw new ValueError(parent.hint)
      if (typeof parent !== 'function') throw new ValueError('super() is only available inside a block')
      return (parent as () => string)()
    },
  },
  namespace: { params: [], variadic: true, anyKwargs: true, fn: (_c, _v, args, kw) => new Namespace(dict(args, kw)) },
  cycler: { params: [], variadic: true, fn: (_c, _v, args) => new Cycler(args) },
  // a function of the template's: '' when first called, the separator after
  joiner: {
    params: ['sep'],
    fn: (_c, _v, [sep]) => {
      let used = false
      const text = sep === undefined ? ', ' : pyStr(sep)
      return new GlobalFunction('Joiner', { params: [], fn: () => (used ? text : ((used = true), '')) })
    },
  },
} satisfies Record<string, Callable>)

/** How Python prints the globals (lookup's bound method has the Templar's address, which pgha has not). */
const REPRS: Record<string, string> = {
  range: "<class 'range'>",
  dict: "<class 'dict'>",
  namespace: "<class 'jinja2.utils.Namespace'>",
  lookup: '<bound method Templar._lookup of <ansible.template.Templar object>>',
  query: '<bound method Templar._query_lookup of <ansible.template.Templar object>>',
  q: '<bound method Templar._query_lookup of <ansible.template.Templar object>>',
  cycler: "<class 'jinja2.utils.Cycler'>",
  joiner: "<class 'jinja2.utils.Joiner'>",
  Joiner: '<jinja2.utils.Joiner object>',
}

/**
 * A function as a value, callable where it goes: a global read as a value (`{% set r = range %}`, a
 * macro's argument; only when nothing of the template's or its variables has that name), or a joiner().
 */
export class GlobalFunction {
  constructor(
    readonly name: string,
    readonly def: Callable,
  ) {}
  toString(): string {
    return REPRS[this.name] ?? `<function ${this.name}>`
  }
}

const VALUES = new Map(Object.entries(FUNCTIONS).map(([name, def]) => [name, new GlobalFunction(name, def)]))

/** The global of that name (`super` is one only inside a block: Evaluator.resolve). */
export const globalFunction = (name: string): GlobalFunction | undefined => VALUES.get(name)
