// The condition language of `when`, `changed_when`, `failed_when` and `until`: Ansible's expressions
// (a safe subset of Jinja) over variables and registered results. Parsed once per text and cached.
import { ConfigError, type SourceLocation } from '../../errors.js'
import { locateInText } from '../position.js'
import { truthy } from '../truthy.js'
import type { Expr } from './ast.js'
import { EvalError, evaluateAst } from './evaluate.js'
import { parse, ParseError } from './parser.js'

export type { Expr } from './ast.js'

type Vars = Record<string, unknown>
/** A condition as written in YAML: an expression, a YAML boolean, or a list that must all hold. */
export type Condition = string | boolean | Expr | readonly (string | boolean | Expr)[]

interface Origin {
  text: string
  loc?: SourceLocation
  what: string
}

const origins = new WeakMap<Expr, Origin>()
const cache = new Map<string, Expr>()
const MAX_CACHED = 10_000

/** `syntax` errors read `syntax error in when: ...`, so a hint at the end is not followed by `in when`. */
function errorAt(o: Origin, pos: number, message: string, syntax = false): ConfigError {
  const before = o.text.slice(0, pos).split('\n')
  const line = before.length
  const col = before[before.length - 1].length + 1
  const where = o.loc ? o.what : `${o.what} '${o.text}'`
  const text = syntax ? `syntax error in ${where}: ${message}` : `${message} in ${where}`
  return new ConfigError(text, o.loc ? locateInText(o.loc, o.text, line, col) : undefined)
}

function parseCached(o: Origin): Expr {
  const hit = cache.get(o.text)
  if (hit) return hit
  // Ansible accepts (and warns about) `when: "{{ x }}"`: the braces are dropped.
  const wrapped = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(o.text)
  const start = wrapped ? o.text.indexOf('{{') + 2 : 0
  const end = wrapped ? start + wrapped[1].length : o.text.length
  let expr: Expr
  try {
    expr = parse(o.text, start, end)
  } catch (err) {
    if (err instanceof ParseError) throw errorAt(o, err.pos, err.message, true)
    throw err
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  cache.set(o.text, expr)
  return expr
}

/**
 * Parses a condition; a syntax error is a ConfigError at the offending token (offset from `loc`).
 * `what` names the keyword in messages: when, changed_when, failed_when, until.
 */
export function parseExpression(text: string, loc?: SourceLocation, what = 'when'): Expr {
  const origin: Origin = { text, loc, what }
  // A fresh root per call, so each call site keeps its own location for evaluation errors.
  const expr = { ...parseCached(origin) }
  origins.set(expr, origin)
  return expr
}

/** `o` locates errors inside the text; without it (an Expr built elsewhere) they point at `loc`. */
function run(expr: Expr, vars: Vars, o: Origin | undefined, loc?: SourceLocation, what = 'when'): unknown {
  try {
    return evaluateAst(expr, vars)
  } catch (err) {
    if (err instanceof EvalError) throw o ? errorAt(o, err.pos, err.message) : new ConfigError(`${err.message} in ${what}`, loc)
    throw err
  }
}

/** The value of a parsed expression (Python semantics: `a or b` is a or b, not a boolean). */
export function evaluate(expr: Expr, vars: Vars): unknown {
  return run(expr, vars, origins.get(expr))
}

/** True when the condition holds; a list holds when every item does. */
export function evaluateCondition(cond: Condition, vars: Vars, loc?: SourceLocation, what = 'when'): boolean {
  if (Array.isArray(cond)) return cond.every((c) => evaluateCondition(c, vars, loc, what))
  const one = cond as string | boolean | Expr
  if (typeof one === 'boolean') return one
  if (typeof one === 'string') {
    const origin: Origin = { text: one, loc, what }
    return truthy(run(parseCached(origin), vars, origin))
  }
  return truthy(run(one, vars, origins.get(one), loc, what))
}

/**
 * Root variable names the expression reads. Names only tested with `is defined`/`is undefined` or given a
 * `default` may be undefined, so they are left out: the engine reports the others before running.
 */
export function expressionVariables(expr: Expr | string): string[] {
  const root = typeof expr === 'string' ? parseCached({ text: expr, what: 'when' }) : expr
  const names = new Set<string>()
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'var':
        return void names.add(e.name)
      case 'list':
        return e.items.forEach(walk)
      case 'attr':
        return walk(e.object)
      case 'index':
        walk(e.object)
        return walk(e.index)
      case 'not':
      case 'neg':
        return walk(e.operand)
      case 'and':
      case 'or':
      case 'compare':
      case 'in':
        walk(e.left)
        return walk(e.right)
      case 'test':
        if (e.name !== 'defined' && e.name !== 'undefined') walk(e.operand)
        return e.args.forEach(walk)
      case 'filter':
        if (e.name !== 'default' && e.name !== 'd') walk(e.operand)
        return e.args.forEach(walk)
    }
  }
  walk(root)
  return [...names]
}
