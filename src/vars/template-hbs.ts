// Handlebars rendering of the `.hbs` config templates pgha ships: noEscape (configs, not HTML) and strict
// (an undefined variable is an error naming it and where it is written). Compiled templates are cached
// by text: a converged re-run renders the same templates for every host.
import { isAbsolute } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { readCached, writeCached } from '../disk-cache.js'
import { ConfigError, type SourceLocation } from '../errors.js'
import { isRefusedKey } from './lookup.js'
import { env, isHelper, isInternal, lastParsePosition, Missing, MissingArgument, rendering, TESTING_HELPERS } from './handlebars-env.js'
import { describeSource, locateInText } from './position.js'
import { templateHelpers } from './template-helpers.js'
import { simpleRenderer } from './template-simple.js'
import { firstUnresolved, helperCalls, locKey, pathAt, pathRefs, rootVariables, unknownHelpers, type HelperCalls, type PathRef } from './template-ast.js'

type Vars = Record<string, unknown>
type Source = string | SourceLocation

interface Compiled {
  refs: PathRef[]
  calls: HelperCalls
  render: HandlebarsTemplateDelegate
}

const MAX_CACHED = 20_000
const cache = new Map<string, Compiled>()

function fail(message: string, text: string, source: Source | undefined, line?: number, col?: number): never {
  // a template file (named by its absolute path): the error is at its own file:line:col
  if (typeof source === 'string' && isAbsolute(source) && line !== undefined) throw new ConfigError(message, { file: source, line, col: col ?? 1 })
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

/**
 * The template's syntax tree, kept on disk between runs like its code (handlebarsCode): Handlebars' parser
 * takes ~10 ms for a template of a few kilobytes, reading the kept tree well under one.
 */
function parse(text: string, source: Source | undefined): hbs.AST.Program {
  const kept = readCached('hbs-ast', text)
  if (kept) {
    try {
      const ast = deserialize(kept) as hbs.AST.Program
      if (ast?.type === 'Program') return ast
    } catch {
      // a damaged entry: parse again, below
    }
  }
  let ast: hbs.AST.Program
  try {
    ast = env.parse(text)
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
  writeCached('hbs-ast', text, serialize(ast))
  return ast
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

const OPTIONS = { noEscape: true, strict: true }

/**
 * Handlebars' compiled template, its code kept on disk between runs (disk-cache.ts): making it is most of the
 * time a converged run spends rendering (~10 ms a template), and it is derived from the template's text
 * alone: a `.hbs` file (the only Handlebars pgha renders), code that pgha or the user ships, not a value.
 */
function handlebarsCode(ast: hbs.AST.Program, text: string): HandlebarsTemplateDelegate {
  const kept = readCached('hbs-code', text)?.toString('utf8')
  if (kept !== undefined) {
    try {
      return env.template(specOf(kept))
    } catch {
      // a damaged entry: compile it again, below
    }
  }
  const code = String(env.precompile(ast, OPTIONS))
  writeCached('hbs-code', text, Buffer.from(code))
  return env.template(specOf(code))
}

/** The template object whose code `precompile` wrote (an object literal of functions), made as Handlebars' own compile makes it. */
const specOf = (code: string): TemplateSpecification => new Function(`return ${code}`)() as TemplateSpecification

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
  const refused = refs.find((r) => r.path.parts.some(isRefusedKey) || isInternal(r.path.parts[0]))
  if (refused) {
    const { line, column } = refused.path.loc.start
    fail(`'${refused.path.original}' is not allowed: templates only read variables`, text, source, line, column + 1)
  }
  const handlebars = (): HandlebarsTemplateDelegate => handlebarsCode(ast, text)
  const compiled: Compiled = {
    refs,
    calls: helperCalls(ast, TESTING_HELPERS),
    render: simpleRenderer(ast, handlebars) ?? handlebars(),
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

/** The text of a node as written (its source range on one line), else `fallback`. */
function textOf(node: hbs.AST.Node, text: string, fallback: string): string {
  const { start, end } = node.loc
  return start.line === end.line ? (text.split('\n')[start.line - 1]?.slice(start.column, end.column) ?? fallback) : fallback
}

/** A helper argument with no value, named as written and where it is written. */
function missingArgument(c: Compiled, err: MissingArgument, text: string, source: Source | undefined): never {
  const call = err.at && c.calls.calls.get(locKey(err.at))
  const arg = call && (typeof err.arg === 'number' ? call.params[err.arg] : call.hash?.pairs.find((p) => p.key === err.arg)?.value)
  if (!call || !arg) fail(`template error: ${err.message}`, text, source, err.at?.start.line, err.at && err.at.start.column + 1)
  const { line, column } = arg.loc.start
  if (err.helper === 'lookup' && err.arg === 1) {
    const of = call.params[0]
    fail(`undefined variable '${String(err.key)}' (looked up in ${of ? textOf(of, text, 'a value') : 'a value'})`, text, source, line, column + 1)
  }
  const written = textOf(arg, text, `argument ${String(err.arg)}`)
  const what = arg.type === 'PathExpression' ? `undefined variable '${written}'` : `'${written}' has no value`
  fail(`${what} (given to ${err.helper})`, text, source, line, column + 1)
}

function run(c: Compiled, text: string, vars: Vars, source: Source | undefined): string {
  try {
    return rendering((at) => at !== undefined && c.calls.tested.has(locKey(at)), () => c.render(vars))
  } catch (err) {
    if (err instanceof ConfigError) throw err
    if (err instanceof MissingArgument) missingArgument(c, err, text, source)
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

/** Renders a Handlebars template with `vars`; undefined variables and syntax errors are ConfigErrors at `source`. */
export function renderHandlebars(text: string, vars: Vars, source: Source): string {
  if (!text.includes('{{')) return text
  return run(compile(text, source), text, vars, source)
}


/** Root variable names a Handlebars template references (not helpers, block params or loop-relative paths). */
export function handlebarsVariables(text: string, source?: Source): string[] {
  if (!text.includes('{{')) return []
  return rootVariables(compile(text, source).refs)
}
