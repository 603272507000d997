// Templates made only of text and `{{ path }}` (most strings of a playbook: "{{ pg_data }}/postgresql.conf")
// rendered without Handlebars' compiler, which generates and compiles a JavaScript function for each
// distinct text: ~0.3 ms a template, every run, since the generated code is not in pgha's code cache.
// The output is the compiled template's to the character, step by step as SafeCompiler generates it
// (handlebars-env.ts): intermediate steps read own properties (else undefined), the last step is the
// strict one, null and undefined print as nothing, everything else as `"" + value`; a value that is a
// function (Handlebars would call it) hands the render back to Handlebars. test/vars/template-simple.test.ts
// compares both on a matrix of templates and values.
import { hasHelper, strictStep } from './handlebars-env.js'

type Vars = Record<string, unknown>
type Render = (vars: Vars) => string
type Part = string | hbs.AST.PathExpression

/** Raised from a render when Handlebars must do it (a function value). */
const HAND_BACK = Symbol('hand back to Handlebars')

/** A renderer for `ast` when it is simple, else undefined. `compiled` makes Handlebars' own, when needed. */
export function simpleRenderer(ast: hbs.AST.Program, compiled: () => Render): Render | undefined {
  const parts: Part[] = []
  for (const s of ast.body) {
    if (s.type === 'ContentStatement') parts.push((s as hbs.AST.ContentStatement).value)
    else if (s.type === 'MustacheStatement' && isPlainPath(s as hbs.AST.MustacheStatement)) parts.push((s as hbs.AST.MustacheStatement).path as hbs.AST.PathExpression)
    else return undefined
  }
  let fallback: Render | undefined
  return (vars) => {
    try {
      let out = ''
      for (const p of parts) out += typeof p === 'string' ? p : print(lookup(vars, p))
      return out
    } catch (err) {
      if (err !== HAND_BACK) throw err
      return (fallback ??= compiled())(vars)
    }
  }
}

function isPlainPath(m: hbs.AST.MustacheStatement): boolean {
  const p = m.path
  if (p.type !== 'PathExpression' || m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) return false
  const path = p as hbs.AST.PathExpression
  if (path.data || path.depth !== 0 || path.parts.length === 0 || /^(this\b|\.)/.test(path.original)) return false
  return path.parts.length > 1 || !hasHelper(path.parts[0])
}

function lookup(vars: Vars, path: hbs.AST.PathExpression): unknown {
  const { parts } = path
  let obj: unknown = vars
  for (let i = 0; i < parts.length - 1; i++) obj = ownStep(obj, parts[i])
  const value = strictStep(obj, parts[parts.length - 1], path.loc)
  if (typeof value === 'function') throw HAND_BACK
  return value
}

/** Handlebars' lookupProperty on `parent ?? {}`: own properties; prototype ones are denied, so undefined. */
function ownStep(parent: unknown, name: string): unknown {
  const p = (parent ?? {}) as Record<string, unknown>
  const value = p[name]
  if (value === null || value === undefined) return value
  return Object.prototype.hasOwnProperty.call(p, name) ? value : undefined
}

const print = (value: unknown): string => '' + (value !== null && value !== undefined ? (value as string) : '')

