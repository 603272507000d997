// Evaluates a parsed condition over variables only: no eval, no calls, no prototype. An undefined
// variable travels as an `Undefined` marker so `is defined` and `default` can see it; anything else that
// touches it fails, naming it.
import { getAttr, MISSING } from '../lookup.js'
import { truthy } from '../truthy.js'
import type { CompareOp, Expr } from './ast.js'
import { FILTERS, TESTS, ValueError, typeName } from './functions.js'

type Vars = Record<string, unknown>

class Undefined {
  constructor(
    readonly text: string,
    readonly pos: number,
  ) {}
}

/** An evaluation problem at an offset of the expression text; the public API turns it into a ConfigError. */
export class EvalError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message)
  }
}

function force(v: unknown): unknown {
  if (v instanceof Undefined) throw new EvalError(`undefined variable '${v.text}'`, v.pos)
  return v
}

function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i]))
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a)
    const o = b as Vars
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(o, k) && equals((a as Vars)[k], o[k]))
  }
  return false
}

function order(op: CompareOp, a: unknown, b: unknown, pos: number): boolean {
  const comparable = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')
  if (!comparable) throw new EvalError(`cannot compare ${typeName(a)} ${op} ${typeName(b)}`, pos)
  const x = a as number | string
  const y = b as number | string
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y
}

function contains(container: unknown, item: unknown, pos: number): boolean {
  if (Array.isArray(container)) return container.some((x) => equals(x, item))
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new EvalError(`'in <string>' requires a string on the left, got ${typeName(item)}`, pos)
    return container.includes(item)
  }
  if (container !== null && typeof container === 'object') return typeof item === 'string' && getAttr(container, item) !== MISSING
  throw new EvalError(`'in' needs a list, string or mapping on the right, got ${typeName(container)}`, pos)
}

function ev(e: Expr, vars: Vars): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value
    case 'list':
      return e.items.map((x) => force(ev(x, vars)))
    case 'var': {
      const v = getAttr(vars, e.name)
      return v === MISSING ? new Undefined(e.text, e.pos) : v
    }
    case 'attr':
    case 'index': {
      const obj = ev(e.object, vars)
      if (obj instanceof Undefined) return obj
      const key = e.kind === 'attr' ? e.name : force(ev(e.index, vars))
      if (typeof key !== 'string' && typeof key !== 'number') throw new EvalError(`cannot index with ${typeName(key)}`, e.pos)
      const v = getAttr(obj, key)
      return v === MISSING ? new Undefined(e.text, e.pos) : v
    }
    case 'not':
      return !truthy(force(ev(e.operand, vars)))
    case 'neg': {
      const v = force(ev(e.operand, vars))
      if (typeof v !== 'number') throw new EvalError(`cannot negate ${typeName(v)}`, e.pos)
      return -v
    }
    case 'and': {
      const l = force(ev(e.left, vars))
      return truthy(l) ? force(ev(e.right, vars)) : l
    }
    case 'or': {
      const l = force(ev(e.left, vars))
      return truthy(l) ? l : force(ev(e.right, vars))
    }
    case 'compare': {
      const l = force(ev(e.left, vars))
      const r = force(ev(e.right, vars))
      if (e.op === '==') return equals(l, r)
      if (e.op === '!=') return !equals(l, r)
      return order(e.op, l, r, e.pos)
    }
    case 'in': {
      const found = contains(force(ev(e.right, vars)), force(ev(e.left, vars)), e.pos)
      return e.negated ? !found : found
    }
    case 'test':
      return test(e, vars)
    case 'filter':
      return filter(e, vars)
  }
}

function test(e: Extract<Expr, { kind: 'test' }>, vars: Vars): boolean {
  const v = ev(e.operand, vars)
  let ok: boolean
  if (e.name === 'defined' || e.name === 'undefined') ok = (v instanceof Undefined) === (e.name === 'undefined')
  else ok = call(() => TESTS[e.name].fn(force(v), e.args.map((a) => force(ev(a, vars)))), e.pos)
  return e.negated ? !ok : ok
}

function filter(e: Extract<Expr, { kind: 'filter' }>, vars: Vars): unknown {
  const v = ev(e.operand, vars)
  const args = e.args.map((a) => force(ev(a, vars)))
  if (e.name === 'default' || e.name === 'd') {
    // default(x, true) also replaces falsy values, as in Jinja.
    const replace = v instanceof Undefined || (truthy(args[1]) && !truthy(v))
    return replace ? (args[0] ?? '') : v
  }
  return call(() => FILTERS[e.name].fn(force(v), args), e.pos)
}

function call<T>(fn: () => T, pos: number): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof ValueError) throw new EvalError(err.message, pos)
    throw err
  }
}

/** The value of the expression; EvalError on an undefined variable or a type mismatch. */
export function evaluateAst(e: Expr, vars: Vars): unknown {
  return force(ev(e, vars))
}
