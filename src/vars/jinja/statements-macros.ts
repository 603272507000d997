// `{% macro %}`, `{% call %}`, `{% import %}` and `{% from ... import %}` as Jinja2 parses them.
import type { MacroDef, Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import type { Token } from './lexer.js'
import type { TemplateParser } from './statements.js'

/** `(a, b=default)`: a macro's or a caller's parameters; a parameter without a default may not follow one with. */
function params(p: TemplateParser): MacroDef['params'] {
  const out: MacroDef['params'] = []
  p.s.expectOp('(')
  while (!p.s.isOp(')')) {
    if (out.length > 0) p.s.expectOp(',')
    if (p.s.isOp(')')) break
    const name = p.s.expectName('parameter name')
    if (p.s.skipOp('=')) out.push({ name: name.value, default: p.e.expression() })
    else if (out.some((x) => x.default)) p.s.fail('non-default argument follows default argument', name)
    else out.push({ name: name.value })
  }
  p.s.next()
  return out
}

/**
 * The body up to `end` (no loop of the template around it encloses it), and the special names it reads
 * that are not parameters: a parameter `varargs` is a plain one, a parameter `caller` needs a default.
 */
function macroBody(p: TemplateParser, open: Token, end: string, ps: MacroDef['params']): Pick<MacroDef, 'body' | 'caller' | 'varargs' | 'kwargs'> {
  const loops = p.loops
  p.loops = 0
  const from = p.s.i
  p.end('block_end')
  const { body } = p.body([end], open)
  p.loops = loops
  // Jinja2 looks for these names undeclared in the body; a name token not after a dot is close enough
  const reads = new Set<string>()
  for (let i = from; i < p.s.i; i++) {
    const t = p.s.tokens[i]
    if (t.kind === 'name' && !p.s.isOp('.', p.s.tokens[i - 1])) reads.add(t.value)
  }
  const param = (name: string): MacroDef['params'][number] | undefined => ps.find((x) => x.name === name)
  const explicit = param('caller')
  if (reads.has('caller') && explicit && !explicit.default) {
    throw new JinjaError('When defining macros or call blocks the special "caller" argument must be omitted or be given a default.', open.pos, true)
  }
  const special = (name: string): boolean => reads.has(name) && !param(name)
  return { body, caller: special('caller'), varargs: special('varargs'), kwargs: special('kwargs') }
}

export function macroStatement(p: TemplateParser, open: Token): Stmt {
  const name = p.s.expectName('macro name').value
  const ps = params(p)
  const body = macroBody(p, open, 'endmacro', ps)
  if (p.s.current.kind === 'name') p.s.next() // `{% endmacro name %}`
  p.end('block_end')
  return { kind: 'macro', macro: { name, params: ps, ...body }, pos: open.pos }
}

export function callStatement(p: TemplateParser, open: Token): Stmt {
  const ps = p.s.isOp('(') ? params(p) : []
  const call = p.e.expression()
  if (call.kind !== 'call') p.s.fail("expected a call after '{% call %}'")
  const body = macroBody(p, open, 'endcall', ps)
  p.end('block_end')
  return { kind: 'call_block', caller: { name: 'caller', anonymous: true, params: ps, ...body }, call, pos: open.pos }
}

/** `with context` / `without context` at the end of an include or import; `otherwise` when neither is written. */
export function contextClause(p: TemplateParser, otherwise: boolean): boolean {
  if ((p.s.isName('with') || p.s.isName('without')) && p.s.isName('context', p.s.look())) {
    const withContext = p.s.next().value === 'with'
    p.s.next()
    return withContext
  }
  return otherwise
}

export function importStatement(p: TemplateParser, open: Token): Stmt {
  const name = p.e.expression()
  if (!p.s.skipName('as')) p.s.fail("expected 'as' and a name after the template to import")
  const target = p.s.expectName('name to import the template as').value
  const withContext = contextClause(p, false)
  p.end('block_end')
  return { kind: 'import', name, target, withContext, pos: open.pos }
}

export function fromStatement(p: TemplateParser, open: Token): Stmt {
  const name = p.e.expression()
  if (!p.s.skipName('import')) p.s.fail("expected 'import' after the template name")
  const names: [string, string, number][] = []
  for (;;) {
    if (names.length > 0 && !p.s.skipOp(',')) break
    if ((p.s.isName('with') || p.s.isName('without')) && p.s.isName('context', p.s.look())) break
    const t = p.s.expectName('name to import')
    if (t.value.startsWith('_')) p.s.fail('names starting with an underline can not be imported', t)
    const alias = p.s.skipName('as') ? p.s.expectName('name to import as').value : t.value
    names.push([t.value, alias, t.pos])
  }
  const withContext = contextClause(p, false)
  p.end('block_end')
  return { kind: 'import', name, names, withContext, pos: open.pos }
}
