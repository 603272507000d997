// Conditions (`when`, `changed_when`, `failed_when`, `until`, assert's `that`) are Jinja2 expressions, as
// Ansible evaluates them: `{% if <condition> %}`, so Python's truthiness decides. `when: "{{ x }}"` is read
// as `when: x`, and `{{ }}` inside a condition as condition-embedded.ts says. Parsed once per text and cached.
import { ConfigError, type SourceLocation } from '../errors.js'
import { compileExpression, definedWhenTrue, evaluateExpression, expressionNames, isPossiblyTemplate, JinjaError, literal, pyStr, truthy, type Expr as JinjaExpr } from './jinja/index.js'
import { locateInText } from './position.js'
import { controllerHost } from './template.js'
import { embeddedAsExpression } from './condition-embedded.js'

type Vars = Record<string, unknown>

/** A parsed condition. */
export type Expr = JinjaExpr
/** A condition as written in YAML: an expression, a YAML boolean, or a list that must all hold. */
export type Condition = string | boolean | Expr | readonly (string | boolean | Expr)[]

interface Origin {
  text: string
  loc?: SourceLocation
  what: string
}

const origins = new WeakMap<Expr, Origin>()

/** `syntax` errors read `syntax error in when: ...`, so a hint at the end is not followed by `in when`. */
function errorAt(o: Origin, pos: number, message: string, syntax = false): ConfigError {
  const before = o.text.slice(0, pos).split('\n')
  const line = before.length
  const col = before[before.length - 1].length + 1
  const where = o.loc ? o.what : `${o.what} '${o.text}'`
  const text = syntax ? `syntax error in ${where}: ${message}` : `${message} in ${where}`
  return new ConfigError(text, o.loc ? locateInText(o.loc, o.text, line, col) : undefined)
}

/** `{{ expr }}` around the whole condition: the span of `expr`, as Ansible (with a warning) reads it. */
function span(text: string): [number, number] {
  const wrapped = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(text)
  if (!wrapped || wrapped[1].includes('}}') || wrapped[1].includes('{{')) return [0, text.length]
  const start = text.indexOf('{{') + 2
  return [start, start + wrapped[1].length]
}

/**
 * A parsed condition: whether `{{ }}` wrapped it whole, and where the first `{{ }}` inside it is when it
 * was read through embeddedAsExpression (its errors point there: the expression parsed is not the text).
 */
interface Parsed {
  expr: Expr
  wrapped: boolean
  embeddedAt?: number
}

/** Parsed conditions by text. */
const parsed = new Map<string, Parsed>()

function parse(o: Origin): Expr {
  return parsedOf(o).expr
}

function parsedOf(o: Origin): Parsed {
  const hit = parsed.get(o.text)
  if (hit) return hit
  const entry = compile(o)
  if (parsed.size >= 10_000) parsed.delete(parsed.keys().next().value as string)
  parsed.set(o.text, entry)
  return entry
}

function compile(o: Origin): Parsed {
  const [start, end] = span(o.text)
  try {
    if (start === 0 && isPossiblyTemplate(o.text)) return compileEmbedded(o)
    return { expr: compileExpression(o.text, start, end), wrapped: start > 0 }
  } catch (err) {
    if (err instanceof JinjaError) throw errorAt(o, err.pos, err.message, err.syntax)
    throw err
  }
}

/** A condition with `{{ }}` inside it; `{% %}` and `{# #}` there stay an error. */
function compileEmbedded(o: Origin): Parsed {
  const at = Math.min(...['{{', '{%', '{#'].map((d) => o.text.indexOf(d)).filter((i) => i >= 0))
  const expression = embeddedAsExpression(o.text)
  if (expression === undefined) {
    throw new JinjaError('a condition is a Jinja2 expression: write it without {% %}, {# #} or unclosed {{ (`when: x == 1`, not `when: "{{ x }} == 1"`)', at, true)
  }
  try {
    return { expr: compileExpression(expression), wrapped: false, embeddedAt: at }
  } catch (err) {
    if (err instanceof JinjaError) throw new JinjaError(`${err.message} (in the condition as read with its {{ }}: ${expression})`, at, err.syntax)
    throw err
  }
}

/**
 * Parses a condition; a syntax error is a ConfigError at the offending token (offset from `loc`).
 * `what` names the keyword in messages: when, changed_when, failed_when, until.
 */
export function parseExpression(text: string, loc?: SourceLocation, what = 'when'): Expr {
  const origin: Origin = { text, loc, what }
  // A fresh root per call, so each call site keeps its own location for evaluation errors.
  const expr = { ...parse(origin) }
  origins.set(expr, origin)
  return expr
}

/** `o` locates errors inside the text; without it (an Expr built elsewhere) they point at `loc`. */
function run(expr: Expr, vars: Vars, o: Origin | undefined, loc?: SourceLocation, what = 'when'): unknown {
  try {
    const v = evaluateExpression(expr, vars, () => controllerHost(vars, o?.loc ?? loc))
    // `when: "{{ flag }}"` is a template in Ansible: its text reads back as True/False
    return o && typeof v === 'string' && parsedOf(o).wrapped ? literal(pyStr(v)) : v
  } catch (err) {
    if (err instanceof JinjaError) throw o ? errorAt(o, parsedOf(o).embeddedAt ?? err.pos, err.message) : new ConfigError(`${err.message} in ${what}`, loc)
    throw err
  }
}

/** A condition's value, errors located inside `text`; a wrapped condition's text reads back as Ansible's. */
function runParsed(p: Parsed, vars: Vars, text: string, loc: SourceLocation | undefined, what: string): unknown {
  try {
    const v = evaluateExpression(p.expr, vars, () => controllerHost(vars, loc))
    return p.wrapped && typeof v === 'string' ? literal(pyStr(v)) : v
  } catch (err) {
    if (err instanceof JinjaError) throw errorAt({ text, loc, what }, p.embeddedAt ?? err.pos, err.message)
    throw err
  }
}

/** The value of a parsed expression (Python semantics: `a or b` is a or b, not a boolean). */
export function evaluate(expr: Expr, vars: Vars): unknown {
  return run(expr, vars, origins.get(expr))
}

/** True when the condition holds; a list holds when every item does. An empty string is false. */
export function evaluateCondition(cond: Condition, vars: Vars, loc?: SourceLocation, what = 'when'): boolean {
  if (Array.isArray(cond)) return cond.every((c) => evaluateCondition(c, vars, loc, what))
  const one = cond as string | boolean | Expr
  if (typeof one === 'boolean') return one
  if (typeof one === 'string') {
    // the common case, a condition parsed before, evaluates without building its origin
    const hit = parsed.get(one)
    if (hit) {
      const v = runParsed(hit, vars, one, loc, what)
      return truthy(v)
    }
    if (/^\s*$/.test(one)) return false
    const origin: Origin = { text: one, loc, what }
    return truthy(runParsed(parsedOf(origin), vars, one, loc, what))
  }
  return truthy(run(one, vars, origins.get(one), loc, what))
}

/**
 * Root variable names the expression reads. Names only tested with `is defined`/`is undefined` or given a
 * `default` may be undefined, so they are left out: the engine reports the others before running.
 */
export function expressionVariables(expr: Expr | string): string[] {
  return expressionNames(typeof expr === 'string' ? parse({ text: expr, what: 'when' }) : expr)
}

/** The root names a condition proves defined when it holds (`users is defined`): what its task may then read. */
export function conditionGuards(expr: Expr | string): string[] {
  return definedWhenTrue(typeof expr === 'string' ? parse({ text: expr, what: 'when' }) : expr)
}
