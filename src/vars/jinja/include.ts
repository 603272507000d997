// `{% include %}`: a template file found as the template module's search path finds it (each search path's
// templates/, then the path itself: a role's `./templates/x.j2` too), rendered with the including
// template's variables. Errors inside it are reported at the included file's own line and column.
import type { Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import { lexTemplate } from './lexer.js'
import { findFile, readBounded } from './lookups.js'
import { mayChange } from './methods.js'
import { parseStatements } from './statements.js'
import type { CallContext } from './types.js'
import { pyStr, ValueError } from './values.js'

export interface Included {
  path: string
  text: string
  stmts: Stmt[]
  /** The text may change a value it makes (methods.ts mayChange). */
  changes: boolean
}

/** An error of the included file, marked with that file unless an inner include already marked it. */
export function inFile(err: unknown, path: string, text: string): unknown {
  return err instanceof JinjaError && err.file === undefined ? new JinjaError(err.message, err.pos, err.syntax, { path, text }) : err
}

/** The first of the names (one, or a list as Jinja2 takes) that is a file; undefined for none with `ignore missing`. */
export function includedTemplate(ctx: CallContext, name: unknown, ignoreMissing: boolean, pos: number): Included | undefined {
  const names = Array.isArray(name) ? name.map(pyStr) : [pyStr(name)]
  if (names.length === 0 && !ignoreMissing) throw new JinjaError('Tried to select from an empty list of templates.', pos)
  for (const n of names) {
    const path = findFile(ctx, 'templates', n)
    if (!path) continue
    let text: string
    try {
      text = readBounded(path, 'include')
    } catch (err) {
      if (err instanceof ValueError) throw new JinjaError(err.message, pos)
      throw err
    }
    try {
      return { path, text, changes: mayChange(text), stmts: parseStatements(text, lexTemplate(text, { trimBlocks: true, literalBackslashes: false }), true) }
    } catch (err) {
      throw inFile(err, path, text)
    }
  }
  if (ignoreMissing) return undefined
  throw new JinjaError(`template not found: ${names.join(', ')} (looked in ${ctx.host.searchPaths().map((p) => `${p}/templates, ${p}`).join(', ')})`, pos)
}
