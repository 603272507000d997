// The one Handlebars environment of pgha: its helpers, and compiler adjustments made through Handlebars'
// documented extension point (subclassing JavaScriptCompiler):
// - a missing intermediate (`a.b` with no `a`) reads as undefined instead of a TypeError, so helpers such
//   as `{{default a.b 1}}` and `{{#if a.b}}` work; a mustache's last step still goes through strict checking;
// - that strict check is ours: own properties only, and it tells which path and where;
// - output chunks are joined as strings: with noEscape Handlebars emits `a + b`, so `{{x}}{{y}}` with two
//   numbers would add them.
import Handlebars from 'handlebars'
import { getAttr, MISSING } from './lookup.js'
import { templateHelpers } from './template-helpers.js'

type Helper = (this: unknown, ...args: unknown[]) => unknown
type Loc = { start: { line: number; column: number } }

/**
 * A helper given no value: which argument (its index, or its hash key) and where the call is written.
 * `value` is the key a `lookup` did not find.
 */
export class MissingArgument extends Error {
  constructor(
    readonly helper: string,
    readonly arg: number | string,
    readonly at: Loc | undefined,
    readonly key?: unknown,
  ) {
    super(`${helper}: argument ${String(arg)} has no value`)
  }
}

/** Helpers that test values (`{{#if a.b}}`, `{{default a.b 1}}`): an undefined argument is an answer there, not an error. */
export const TESTING_HELPERS: ReadonlySet<string> = new Set(['default', 'eq', 'ne', 'and', 'or', 'not', 'in', 'if', 'unless', 'with'])

let isTested: (at: Loc | undefined) => boolean = () => false

/** Runs a render in which `tested` tells whether the `lookup` written at a position is an argument of a testing helper. */
export function rendering<T>(tested: (at: Loc | undefined) => boolean, render: () => T): T {
  const outer = isTested
  isTested = tested
  try {
    return render()
  } finally {
    isTested = outer
  }
}

/** A helper that refuses an argument with no value, naming it, instead of printing '' or 'undefined'. */
function valuesRequired(name: string, fn: Helper): Helper {
  return function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as { loc?: Loc; hash?: Record<string, unknown> } | undefined
    const i = args.slice(0, -1).indexOf(undefined)
    if (i >= 0) throw new MissingArgument(name, i, options?.loc)
    for (const [k, v] of Object.entries(options?.hash ?? {})) if (v === undefined) throw new MissingArgument(name, k, options?.loc)
    return fn.apply(this, args)
  }
}

/**
 * `{{lookup value key}}`: an own property of data or an index, never a JavaScript property (`constructor`,
 * `__proto__`, `toString`). A missing value or key is an error naming it, except as an argument of a
 * testing helper (`{{default (lookup m k) 1}}`), where it is undefined.
 */
function lookupHelper(...args: unknown[]): unknown {
  const options = args[args.length - 1] as { loc?: Loc }
  const [value, key] = args.slice(0, -1)
  if (args.length !== 3) throw new Error('lookup takes a value and a key: {{lookup map key}}')
  const sized = key === 'length' && (typeof value === 'string' || Array.isArray(value))
  const found = sized ? value.length : value === undefined || value === null || (typeof key !== 'string' && typeof key !== 'number') ? MISSING : getAttr(value, key)
  if (found !== MISSING) return found
  if (isTested(options.loc)) return undefined
  throw value === undefined ? new MissingArgument('lookup', 0, options.loc) : new MissingArgument('lookup', 1, options.loc, key)
}

export const env = Handlebars.create()
env.unregisterHelper('log')
env.unregisterHelper('lookup')
env.registerHelper(Object.fromEntries(Object.entries(templateHelpers).map(([name, fn]) => [name, TESTING_HELPERS.has(name) ? fn : valuesRequired(name, fn)])))
env.registerHelper('lookup', lookupHelper)

const INTERNAL = new Set(['helperMissing', 'blockHelperMissing', '__pgha_strict'])
/** Names a template cannot use: Handlebars' and pgha's internal helpers. */
export const isInternal = (name: string): boolean => INTERNAL.has(name)
export const isHelper = (name: string): boolean => !INTERNAL.has(name) && Object.hasOwn(env.helpers, name)

interface CompilerInternals {
  lookupPropertyFunctionIsUsed: boolean
  quotedString(s: string): string
  nameLookup(parent: unknown, name: string, type: string): unknown
  aliasable(name: string): unknown
  appendToBuffer(source: unknown, location?: unknown, explicit?: boolean): unknown
}
type CompilerClass = new () => CompilerInternals
const internals = env as unknown as { JavaScriptCompiler: CompilerClass; Parser: { lexer: { yylloc?: { first_line: number; first_column: number }; yytext?: string } } }
class SafeCompiler extends internals.JavaScriptCompiler {
  override nameLookup(parent: unknown, name: string, type: string): unknown {
    if (type !== 'context' && type !== 'data') return super.nameLookup(parent, name, type)
    this.lookupPropertyFunctionIsUsed = true
    return ['lookupProperty((', parent, ') ?? {},', this.quotedString(name), ')']
  }
  override aliasable(name: string): unknown {
    return name === 'container.strict' ? `helpers.${STRICT}` : super.aliasable(name)
  }
  override appendToBuffer(source: unknown, location?: unknown, explicit?: boolean): unknown {
    return super.appendToBuffer(['("" + ', source, ')'], location, explicit)
  }
}
// Block bodies are compiled by `prototype.compiler`, which must be ours too.
;(SafeCompiler.prototype as unknown as { compiler: CompilerClass }).compiler = SafeCompiler
internals.JavaScriptCompiler = SafeCompiler

/** Thrown by the strict check: the missing name and where its path is written in the template. */
export class Missing extends Error {
  constructor(
    readonly variable: string,
    readonly at: { start: { line: number; column: number } },
  ) {
    super(`"${variable}" not defined`)
  }
}
const STRICT = '__pgha_strict'

/** A mustache's last step: an own property (a string's length or index), else Missing naming where. */
export function strictStep(obj: unknown, name: string, at: Missing['at']): unknown {
  const found =
    obj !== null && typeof obj === 'object'
      ? Object.prototype.hasOwnProperty.call(obj, name)
      : typeof obj === 'string' && (name === 'length' || getAttr(obj, name) !== MISSING)
  if (!found) throw new Missing(name, at)
  return (obj as Record<string, unknown>)[name]
}
env.registerHelper(STRICT, strictStep)

/** Any helper by that name, pgha's, Handlebars' built-in ones or internal: a bare `{{name}}` would call it. */
export const hasHelper = (name: string): boolean => Object.hasOwn(env.helpers, name)
// Denied prototype access renders nothing; Handlebars would also log it to the console.
;(env.logger as { level: unknown }).level = 4

/** Where the parser stopped on the last syntax error (Handlebars' parse errors carry no position). */
export function lastParsePosition(): { line: number; column: number; token?: string } {
  const { yylloc, yytext } = internals.Parser.lexer
  return { line: yylloc?.first_line ?? 1, column: yylloc?.first_column ?? 0, token: yytext || undefined }
}
