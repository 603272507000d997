// Handlebars rendering of string values and config templates: noEscape (configs, not HTML) and strict
// (an undefined variable is an error naming it and where it is written). Compiled templates are cached
// by text: a converged re-run renders the same few hundred strings thousands of times.
import { ConfigError, type SourceLocation } from '../errors.js'
import { copyLoc, locOf } from '../yaml-source.js'
import { getPath, isRefusedKey, MISSING } from './lookup.js'
import { env, isHelper, lastParsePosition, Missing, takeHelperResult } from './handlebars-env.js'
import { describeSource, locateInText } from './position.js'
import { templateHelpers } from './template-helpers.js'
import { simpleRenderer } from './template-simple.js'
import { firstUnresolved, pathAt, pathRefs, rootVariables, unknownHelpers, type PathRef } from './template-ast.js'

type Vars = Record<string, unknown>
type Source = string | SourceLocation
/** Where a value inside a structure came from: a location, a label, or a lookup by path from the root. */
export type Locate = Source | ((path: (string | number)[]) => SourceLocation | undefined) | undefined

interface Compiled {
  refs: PathRef[]
  render: HandlebarsTemplateDelegate
  /** The text is exactly one `{{ path }}`: its parts, read directly for the raw value. */
  rawPath?: hbs.AST.PathExpression
  /** The text is exactly one helper call: its result is the raw value. */
  rawCall: boolean
}

const MAX_CACHED = 20_000
const cache = new Map<string, Compiled>()

/** True when the string contains a Handlebars expression. */
export function isTemplated(s: string): boolean {
  return s.includes('{{')
}

function fail(message: string, text: string, source: Source | undefined, line?: number, col?: number): never {
  if (source !== undefined && typeof source !== 'string') {
    throw new ConfigError(message, line === undefined ? source : locateInText(source, text, line, col ?? 1))
  }
  const where = line === undefined || text.includes('\n') === false ? '' : ` (template line ${line}, column ${col})`
  throw new ConfigError(`${describeSource(source)}${message}${where}`)
}

function syntaxHint(text: string): string {
  if (/\{\{(?![^}]*\bas\s*\|)[^}]*\|/.test(text)) return ': Jinja filters are not supported, use a helper such as {{default x "y"}} or {{join list ","}}'
  if (/\{\{[^}]*\[['"]/.test(text)) return ": write a.b or a.[b] instead of a['b']"
  return ''
}

function parse(text: string, source: Source | undefined): hbs.AST.Program {
  try {
    return env.parse(text)
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number }
    if (e.lineNumber !== undefined) {
      fail(`template error: ${e.message.replace(/ - \d+:\d+$/, '')}`, text, source, e.lineNumber, (e.column ?? 0) + 1)
    }
    const open = unclosed(text)
    if (open) {
      const before = text.slice(0, open.offset).split('\n')
      fail(`template syntax error: ${open.message}`, text, source, before.length, before[before.length - 1].length + 1)
    }
    const at = lastParsePosition()
    const near = at.token ? ` near '${at.token}'` : ' at the end of the text'
    fail(`template syntax error${near}${syntaxHint(text)}`, text, source, at.line, at.column + 1)
  }
}

/** A `{{` or `{{#block}}` the text never closes (the usual cause of a syntax error), found where it opens. */
function unclosed(text: string): { message: string; offset: number } | undefined {
  for (let i = text.indexOf('{{'); i >= 0; ) {
    let j = i
    while (text[j] === '{') j++
    const close = text.indexOf('}}', j)
    const next = text.indexOf('{{', j)
    if (close < 0 || (next >= 0 && next < close)) return { message: "'{{' is never closed; add '}}'", offset: i }
    i = next
  }
  const blocks: { name: string; offset: number }[] = []
  for (const m of text.matchAll(/\{\{~?\s*([#/])\s*([\w.-]+)/g)) {
    if (m[1] === '#') blocks.push({ name: m[2], offset: m.index })
    else if (blocks.at(-1)?.name === m[2]) blocks.pop()
    else return undefined
  }
  const last = blocks.at(-1)
  return last && { message: `'{{#${last.name}}}' is never closed; add '{{/${last.name}}}'`, offset: last.offset }
}

function compile(text: string, source: Source | undefined): Compiled {
  const hit = cache.get(text)
  if (hit) return hit
  const ast = parse(text, source)
  const refs = pathRefs(ast, isHelper)
  const unknown = unknownHelpers(refs, isHelper)[0]
  if (unknown) {
    const known = Object.keys(templateHelpers).join(', ')
    const { line, column } = unknown.loc.start
    fail(`unknown template helper '${unknown.original}' (helpers: ${known}, if, unless, each, with, lookup)`, text, source, line, column + 1)
  }
  const refused = refs.find((r) => r.path.parts.some(isRefusedKey))
  if (refused) {
    const { line, column } = refused.path.loc.start
    fail(`'${refused.path.original}' is not allowed: templates only read variables`, text, source, line, column + 1)
  }
  const only = ast.body.length === 1 && ast.body[0].type === 'MustacheStatement' ? (ast.body[0] as hbs.AST.MustacheStatement) : undefined
  const onlyRef = only && refs.find((r) => r.path === only.path)
  const handlebars = (): HandlebarsTemplateDelegate => env.compile(ast, { noEscape: true, strict: true })
  const compiled: Compiled = {
    refs,
    render: simpleRenderer(ast, handlebars) ?? handlebars(),
    rawPath: onlyRef && !onlyRef.helper && onlyRef.parts ? onlyRef.path : undefined,
    rawCall: onlyRef?.helper === true,
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
  cache.set(text, compiled)
  return compiled
}

/** A path as the user wrote it (Handlebars' `original` drops segment brackets: `a.[0]` becomes `a.0`). */
function written(path: hbs.AST.PathExpression, text: string): string {
  const { start, end } = path.loc
  if (start.line !== end.line) return path.original
  return text.split('\n')[start.line - 1]?.slice(start.column, end.column) ?? path.original
}

function run(c: Compiled, text: string, vars: Vars, source: Source | undefined): string {
  try {
    return c.render(vars)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    if (err instanceof Missing) {
      const { line, column } = err.at.start
      const path = pathAt(c.refs, line, column)
      fail(`undefined variable '${path ? written(path, text) : err.variable}'`, text, source, line, column + 1)
    }
    const e = err as Error
    const missing = err instanceof TypeError ? firstUnresolved(c.refs, vars) : undefined
    if (missing) {
      fail(`undefined variable '${written(missing, text)}'`, text, source, missing.loc.start.line, missing.loc.start.column + 1)
    }
    fail(`template error: ${e.message}`, text, source)
  }
}

/** Renders a template string with `vars`; undefined variables and syntax errors are ConfigErrors at `source`. */
export function renderString(text: string, vars: Vars, source: Source): string {
  if (!isTemplated(text)) return text
  return run(compile(text, source), text, vars, source)
}

/** Renders one string; a string that is exactly one expression yields the raw value (list, number...). */
function renderOne(text: string, vars: Vars, source: Source | undefined): unknown {
  const c = compile(text, source)
  if (c.rawPath) {
    const parts = c.rawPath.data ? c.rawPath.parts.slice(1) : c.rawPath.parts
    const v = getPath(vars, parts)
    if (v === MISSING) {
      const { line, column } = c.rawPath.loc.start
      fail(`undefined variable '${written(c.rawPath, text)}'`, text, source, line, column + 1)
    }
    return v
  }
  if (c.rawCall) {
    takeHelperResult()
    run(c, text, vars, source)
    return takeHelperResult()
  }
  return run(c, text, vars, source)
}

/**
 * Renders every string inside a value (objects, lists), deep. Rendered containers keep the YAML positions
 * of the originals, and an error points at the string's own position when the loader recorded one.
 */
export function renderValue(value: unknown, vars: Vars, locate?: Locate): unknown {
  const where = (container: object | undefined, key: string | number | undefined, path: (string | number)[]): Source | undefined => {
    const own = container && key !== undefined ? locOf(container, key) : undefined
    if (typeof locate === 'function') return locate(path) ?? own
    return own ?? locate
  }
  // Paths are only built when the caller locates by path: rendering runs for every task on every host.
  const track = typeof locate === 'function'
  const walk = (v: unknown, container: object | undefined, key: string | number | undefined, path: (string | number)[]): unknown => {
    if (typeof v === 'string') return isTemplated(v) ? renderOne(v, vars, where(container, key, path)) : v
    if (Array.isArray(v)) {
      const out = v.map((item, i) => walk(item, v, i, track ? [...path, i] : path))
      copyLoc(v, out)
      return out
    }
    if (isPlainObject(v)) {
      const out: Vars = {}
      for (const [k, item] of Object.entries(v)) out[k] = walk(item, v, k, track ? [...path, k] : path)
      copyLoc(v, out)
      return out
    }
    return v
  }
  return walk(value, undefined, undefined, [])
}

function isPlainObject(v: unknown): v is Vars {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Root variable names a template references (not helpers, block params or loop-relative paths). */
export function templateVariables(text: string, source?: Source): string[] {
  if (!isTemplated(text)) return []
  return rootVariables(compile(text, source).refs)
}
