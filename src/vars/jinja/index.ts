// pgha's Jinja2 engine: compile (cached by text), render to output nodes, and join them as Ansible does:
// a playbook string becomes a native value (a single `{{ var }}` keeps its type, text that reads as a
// list, dict or bool becomes one, trailing newlines are kept), a template file becomes plain text.
import type { Expr, Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import { Evaluator, Scope } from './evaluate.js'
import { lexExpression, lexTemplate } from './lexer.js'
import { enableExtensions } from './extensions.js'
import { mayChange } from './methods.js'
import { renderStatements } from './render.js'
import { FALLBACK, renderSimple, renderSimpleText, simplePlan, type SimplePart } from './simple.js'
import { parseExpressionTokens, parseStatements } from './statements.js'
import type { ControllerHost } from './types.js'
import { isUnsafe } from '../unsafe.js'
import { isMapping, isNumber, isTuple, NativeText, PyFloat, pyStr, ValueError } from './values.js'

export { JinjaError } from './errors.js'
export type { Expr } from './ast.js'
export type { ControllerHost } from './types.js'
export { truthy, toPlain, pyStr, isMapping } from './values.js'
export { definedWhenTrue, expressionNames, templateNames } from './names-used.js'
export { lookupKey } from './loop-lookups.js'
import { knownNames as knownNamesOf } from './names.js'
import { LOOKUPS, runLookup } from './lookups.js'
import { LOOP_LOOKUPS } from './loop-lookups.js'
import { literal } from './literal.js'
import { onNewRun } from '../../run-state.js'

export { literal, readLiteral } from './literal.js'

type Vars = Record<string, unknown>

/** 'string': a playbook string (Ansible's Templar.template); 'file': a template file (the template module). */
export type TemplateMode = 'string' | 'file'

export interface Compiled {
  text: string
  stmts: Stmt[]
  /** Text and plain variable paths only: rendered without the evaluator. */
  simple?: SimplePart[]
  /** The text is exactly `{{ name }}` (Ansible returns such a variable's number, bool or None as is). */
  singleVar?: string
  /** The text may change a value it makes (methods.ts mayChange). */
  changes: boolean
  /** Trailing newlines of the text, which the output keeps. */
  newlines: number
  /** The output may read as a list, dict or bool: it does not start with text that rules that out. */
  mayConvert: boolean
}

const MAX_CACHED = 20_000
const caches: Record<TemplateMode, Map<string, Compiled>> = { string: new Map(), file: new Map() }
const expressions = new Map<string, Expr>()
/** Ansible's SINGLE_VAR; Python's `$` also matches before a final newline. */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}\n?$/

/** Ansible's is_possibly_template: the text holds a Jinja2 start delimiter (`{{`, `{%` or `{#`). */
export function isPossiblyTemplate(s: string): boolean {
  for (let i = s.indexOf('{'); i >= 0; i = s.indexOf('{', i + 1)) {
    const next = s.charCodeAt(i + 1)
    if (next === 123 || next === 37 || next === 35) return true
  }
  return false
}

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  cache.set(key, value)
  return value
}

/** The Jinja2 extensions ansible.cfg enables (jinja/extensions.ts); templates parsed before are parsed anew. */
export function setJinjaExtensions(names: readonly string[]): void {
  if (enableExtensions(names)) for (const cache of Object.values(caches)) cache.clear()
}
// They come from the ansible.cfg of the playbook's directory, cwd or environment: a command that loads no
// playbook has none, as in a fresh process (and the templates parsed with them are parsed anew).
onNewRun(() => setJinjaExtensions([]))

/** Parses a template; a JinjaError at the offending offset when it is not valid Jinja2. */
export function compileTemplate(text: string, mode: TemplateMode): Compiled {
  const cache = caches[mode]
  const hit = cache.get(text)
  if (hit) return hit
  const tokens = lexTemplate(text, { trimBlocks: true, literalBackslashes: mode === 'string' })
  const stmts = parseStatements(text, tokens)
  const single = mode === 'string' ? SINGLE_VAR.exec(text)?.[1] : undefined
  const first = stmts[0]
  const mayConvert = first?.kind !== 'text' || /^[[{TF]/.test(first.text)
  return remember(cache, text, { text, stmts, changes: mayChange(text), simple: simplePlan(stmts), singleVar: single || undefined, newlines: trailingNewlines(text), mayConvert })
}

/** Parses a condition (`when`): `text` from `start` to `end`. */
export function compileExpression(text: string, start = 0, end = text.length): Expr {
  const key = start === 0 && end === text.length ? text : `${start}:${end}:${text}`
  const hit = expressions.get(key)
  if (hit) return hit
  return remember(expressions, key, parseExpressionTokens(text, lexExpression(text, start, end)))
}

/** A host with no controller side: lookups that read files find nothing. */
const NO_HOST: ControllerHost = { searchPaths: () => [process.cwd()], renderFile: (text) => renderText(text, {}, NO_HOST) }

export function renderNodes(c: Compiled, vars: Vars, host: ControllerHost | (() => ControllerHost) = NO_HOST): unknown[] {
  if (c.simple) {
    const nodes = renderSimple(c.simple, vars)
    if (nodes !== FALLBACK) return nodes
  }
  return renderStatements(c.stmts, evaluator(c, vars, host))
}

/** The evaluator of a template's rendering. */
function evaluator(c: Compiled, vars: Vars, host: ControllerHost | (() => ControllerHost)): Evaluator {
  const ev = new Evaluator(host, new Scope(vars))
  ev.marking = c.changes
  return ev
}

/** A lookup run for a `with_<name>` loop: its list of items (a ValueError is a JinjaError at offset 0). */
export function runLoopLookup(name: string, terms: unknown, vars: Vars, host: ControllerHost): unknown[] {
  try {
    // the loop lookups read a dict term as Ansible's do; the others iterate their terms (a dict's keys)
    const list = Array.isArray(terms) || Object.hasOwn(LOOP_LOOKUPS, name) ? terms : isMapping(terms) ? Object.keys(terms) : [terms]
    return runLookup(new Evaluator(host, new Scope(vars)), name, list as unknown[], {}, true) as unknown[]
  } catch (err) {
    if (err instanceof ValueError) throw new JinjaError(err.message, 0)
    throw err
  }
}

/** The lookups a `with_<name>` loop can name. */
export const lookupNames = (): string[] => Object.keys(LOOKUPS).sort()

export function evaluateExpression(expr: Expr, vars: Vars, host: ControllerHost | (() => ControllerHost) = NO_HOST): unknown {
  return new Evaluator(host, new Scope(vars)).value(expr)
}


function trailingNewlines(s: string): number {
  let i = s.length
  while (i > 0 && s.charCodeAt(i - 1) === 10) i--
  return s.length - i
}

/** Ansible keeps the trailing newlines of the template text that rendering dropped. */
function keepNewlines(text: string, out: string): string {
  const missing = trailingNewlines(text) - trailingNewlines(out)
  return missing > 0 ? out + '\n'.repeat(missing) : out
}

/** Ansible's ansible_concat: the template module's output. */
export function renderText(text: string, vars: Vars, host: ControllerHost = NO_HOST): string {
  return keepNewlines(text, renderNodes(compileTemplate(text, 'file'), vars, host).map(pyStr).join(''))
}

/**
 * Ansible's Templar.template of a string: SINGLE_VAR, ansible_eval_concat, preserved trailing newlines.
 * `host` is asked for only when a lookup needs the controller.
 */
export function renderNative(text: string, vars: Vars, host: ControllerHost | (() => ControllerHost) = NO_HOST): unknown {
  const c = compileTemplate(text, 'string')
  if (c.singleVar !== undefined && Object.hasOwn(vars, c.singleVar)) {
    const v = vars[c.singleVar]
    if (v === null || typeof v === 'boolean' || isNumber(v)) return v
    if (typeof v === 'string') return concatenated(c, v)
  }
  if (c.simple && c.simple.length > 1) {
    const joined = renderSimpleText(c.simple, vars)
    if (joined !== FALLBACK) return concatenated(c, joined)
  }
  const nodes = (c.simple && renderSimple(c.simple, vars)) || FALLBACK
  if (nodes !== FALLBACK) return nativeConcat(c, nodes)
  return nativeConcat(c, renderStatements(c.stmts, evaluator(c, vars, host)), true)
}

/** A list or dict holding a value of the template's (a macro, a function, a namespace...): its str() is no literal. */
function holdsObject(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsObject)
  if (isMapping(v)) return Object.values(v).some(holdsObject)
  return typeof v === 'object' && v !== null && !(v instanceof PyFloat) && !isUnsafe(v)
}

/** Ansible's ansible_eval_concat of the output nodes; `made`: a template's statements made them, not plain variables. */
function nativeConcat(c: Compiled, nodes: unknown[], made = false): unknown {
  if (nodes.length !== 1) {
    let s = ''
    for (const n of nodes) s += typeof n === 'string' ? n : pyStr(n)
    return concatenated(c, s)
  }
  const only = nodes[0]
  if (only instanceof NativeText) return only.text
  // str() then literal_eval() of a list or dict gives it back: skip the round trip
  if (((Array.isArray(only) && !isTuple(only)) || isMapping(only)) && !(made && holdsObject(only))) return only
  return concatenated(c, typeof only === 'string' ? only : pyStr(only))
}

/** The joined text, read back as a list, dict or bool when it looks like one, with its trailing newlines. */
function concatenated(c: Compiled, s: string): unknown {
  const out = c.mayConvert ? literal(s) : s
  if (typeof out !== 'string' || c.newlines === 0) return out
  const missing = c.newlines - trailingNewlines(out)
  return missing > 0 ? out + '\n'.repeat(missing) : out
}

/** The names templates may use, by kind, for `pgha doc templates`. */
export function templateCatalog(): Record<'filters' | 'tests' | 'methods' | 'functions' | 'lookups', string[]> {
  const list = (kind: 'filter' | 'test' | 'method' | 'function'): string[] => knownNamesOf(kind).split(', ')
  return { filters: list('filter'), tests: list('test').filter((t) => /^\w+$/.test(t)), methods: list('method'), functions: list('function'), lookups: Object.keys(LOOKUPS).sort() }
}
