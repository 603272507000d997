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

export const env = Handlebars.create()
env.unregisterHelper('log')
env.registerHelper(templateHelpers)

const INTERNAL = new Set(['helperMissing', 'blockHelperMissing', '__pgha_strict'])
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
