// Template statements: text, `{{ expr }}`, `{% if %}`/`{% elif %}`/`{% else %}`, `{% for %}` (with a
// filter, tuple targets and `{% else %}`), `{% set %}` (also on a namespace's attribute, and the block form
// `{% set x | filter %}...{% endset %}`), `{% filter %}`, `{% with %}`, `{% include %}`, `{% block %}`,
// `{% extends %}`, `{% break %}`/`{% continue %}`, `{% do %}`; macros, calls and imports in statements-macros.ts.
// `{% raw %}`, comments and whitespace control are handled by the lexer.
import { BLOCK_TEXT, innerBodies, type Expr, type Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import { missingExtension } from './extensions.js'
import type { Token } from './lexer.js'
import { ExpressionParser, TokenStream } from './parser.js'
import { callStatement, contextClause, fromStatement, importStatement, macroStatement } from './statements-macros.js'

/** Jinja2 tags pgha does not implement (Ansible does not enable i18n; autoescape is off), so their use is an error naming them. */
const UNSUPPORTED = new Set(['autoescape', 'trans'])
const SUPPORTED = 'if, for, set, filter, with, include, block, extends, raw, macro, call, import, from, do, break, continue'

export class TemplateParser {
  readonly s: TokenStream
  readonly e: ExpressionParser
  /** How many loops enclose the statement being read, within its macro: break and continue need one. */
  loops = 0

  /**
   * @param included the text is included, imported or extended: it may call a macro of the template that
   * includes it (with context), so a call of a name it does not bind is left to fail when it runs.
   */
  constructor(
    text: string,
    tokens: Token[],
    private readonly included = false,
  ) {
    this.s = new TokenStream(text, tokens)
    this.e = new ExpressionParser(this.s)
    this.e.unknownCalls = []
  }

  parse(): Stmt[] {
    let body: Stmt[]
    try {
      body = this.body([]).body
    } catch (err) {
      // a call no macro can answer before the error is more likely what is wrong (`s.constructor('x')()`)
      const first = this.e.unknownCalls?.[0]
      throw err instanceof JinjaError && first && first.error.pos < err.pos ? first.error : err
    }
    const callable = new Set(['caller', 'loop', 'self'])
    bound(body, callable)
    const unknown = this.e.unknownCalls?.find((c) => !callable.has(c.name))
    if (unknown && !this.included) throw unknown.error
    return body
  }

  /** Statements up to one of the `end` tags; the tag's name token is consumed, its `%}` is not. */
  body(end: string[], opened?: Token): { body: Stmt[]; tag?: string } {
    const body: Stmt[] = []
    for (;;) {
      const t = this.s.current
      if (t.kind === 'eof') {
        if (end.length > 0 && opened) {
          throw new JinjaError(`'{% ${opened.value} %}' is never closed; add '{% ${end[end.length - 1]} %}'`, opened.pos, true)
        }
        return { body }
      }
      if (t.kind === 'data') {
        this.s.next()
        body.push({ kind: 'text', text: t.value, pos: t.pos })
      } else if (t.kind === 'var_begin') {
        this.s.next()
        const expr = this.e.tuple()
        this.end('var_end')
        body.push({ kind: 'output', expr, pos: expr.pos })
      } else if (t.kind === 'block_begin') {
        this.s.next()
        const name = this.s.current
        if (name.kind !== 'name') this.s.fail("expected a tag name after '{%'")
        if (end.includes(name.value)) {
          this.s.next()
          return { body, tag: name.value }
        }
        body.push(this.statement(t.pos))
      } else this.s.unexpected()
    }
  }

  end(kind: 'var_end' | 'block_end'): void {
    const t = this.s.current
    if (t.kind !== kind) {
      if (t.kind === 'eof') this.s.fail(`'${kind === 'var_end' ? '{{' : '{%'}' is never closed; add '${kind === 'var_end' ? '}}' : '%}'}'`)
      this.s.unexpected()
    }
    this.s.next()
  }

  /** The statement whose `{%` is at `begin`. */
  private statement(begin: number): Stmt {
    const tag = this.s.next()
    const open = { ...tag, pos: begin }
    const ext = missingExtension(tag.value)
    if (ext) throw new JinjaError(`'{% ${tag.value} %}' needs the Jinja2 extension ${ext}, which Ansible loads only when ansible.cfg lists it: [defaults] jinja2_extensions = ${ext}`, tag.pos, true)
    switch (tag.value) {
      case 'if':
        return this.ifStatement(open)
      case 'for':
        return this.forStatement(open)
      case 'set':
        return this.setStatement(open)
      case 'filter':
        return this.filterStatement(open)
      case 'with':
        return this.withStatement(open)
      case 'include':
        return this.includeStatement(open)
      case 'block':
        return this.blockStatement(open)
      case 'macro':
        return macroStatement(this, open)
      case 'call':
        return callStatement(this, open)
      case 'import':
        return importStatement(this, open)
      case 'from':
        return fromStatement(this, open)
      case 'do':
      case 'extends':
        return this.expressionTag(tag.value, open)
      case 'break':
      case 'continue':
        if (this.loops === 0) throw new JinjaError(`'${tag.value}' outside loop`, tag.pos, true)
        this.end('block_end')
        return { kind: tag.value, pos: open.pos }
      case 'elif':
      case 'else':
      case 'endif':
      case 'endfor':
      case 'endset':
      case 'endfilter':
      case 'endwith':
      case 'endblock':
      case 'endmacro':
      case 'endcall':
        throw new JinjaError(`'{% ${tag.value} %}' without a matching opening tag`, tag.pos, true)
      default:
        if (UNSUPPORTED.has(tag.value)) throw new JinjaError(`the Jinja2 tag '${tag.value}' is not supported by pgha (supported: ${SUPPORTED})`, tag.pos, true)
        throw new JinjaError(`unknown tag '${tag.value}' (tags: ${SUPPORTED}, elif, else)`, tag.pos, true)
    }
  }

  /** `{% do expr %}` (a tuple, as Jinja2 reads it) and `{% extends name %}`: a tag of one expression. */
  private expressionTag(kind: 'do' | 'extends', open: Token): Stmt {
    const expr = kind === 'do' ? this.e.tuple() : this.e.expression()
    this.end('block_end')
    return kind === 'do' ? { kind, expr, pos: open.pos } : { kind, name: expr, pos: open.pos }
  }

  private ifStatement(open: Token): Stmt {
    const branches: { test: Expr; body: Stmt[] }[] = []
    let test = this.e.tuple(false)
    for (;;) {
      this.end('block_end')
      const { body, tag } = this.body(['elif', 'else', 'endif'], open)
      branches.push({ test, body })
      if (tag === 'elif') {
        test = this.e.tuple(false)
        continue
      }
      if (tag === 'else') {
        this.end('block_end')
        const rest = this.body(['endif'], open)
        this.end('block_end')
        return { kind: 'if', branches, else: rest.body, pos: open.pos }
      }
      this.end('block_end')
      return { kind: 'if', branches, pos: open.pos }
    }
  }

  private targets(): string[] {
    const names: string[] = []
    const paren = this.s.skipOp('(')
    do {
      const t = this.s.current
      if (t.kind !== 'name') this.s.fail('expected a variable name to assign to')
      if (this.s.isOp('.', this.s.look())) this.s.fail("only '{% set %}' assigns to an attribute (of a namespace())", this.s.look())
      names.push(this.s.next().value)
    } while (this.s.skipOp(','))
    if (paren) this.s.expectOp(')')
    return names
  }

  /** `ns.attr =`: Jinja2's namespace reference, the one attribute a template may assign. */
  private namespaceTarget(): { target: string; attr: string } | undefined {
    if (this.s.current.kind !== 'name' || !this.s.isOp('.', this.s.look())) return undefined
    const target = this.s.next().value
    this.s.next()
    const attr = this.s.current
    if (attr.kind !== 'name') this.s.fail('expected an attribute name after the dot')
    this.s.next()
    if (!this.s.isOp('=')) this.s.fail("expected '=' after the namespace attribute to set")
    return { target, attr: attr.value }
  }

  /** A block's body up to `end`, with its closing `%}`. */
  block(open: Token, end: string): Stmt[] {
    this.end('block_end')
    const { body } = this.body([end], open)
    this.end('block_end')
    return body
  }

  private filterStatement(open: Token): Stmt {
    const filters = this.e.filterChain({ kind: 'name', name: BLOCK_TEXT, pos: open.pos }, false)
    return { kind: 'filter_block', filters, body: this.block(open, 'endfilter'), pos: open.pos }
  }

  /** `{% include name %}`, then `ignore missing` and `with context`/`without context`, as Jinja2 reads them. */
  private includeStatement(open: Token): Stmt {
    const name = this.e.expression()
    let ignoreMissing = false
    if (this.s.isName('ignore') && this.s.isName('missing', this.s.look())) {
      this.s.next()
      this.s.next()
      ignoreMissing = true
    }
    // Jinja2's default for an include: with context (for an import: without)
    const withContext = contextClause(this, true)
    this.end('block_end')
    return { kind: 'include', name, ignoreMissing, withContext, pos: open.pos }
  }

  /** `{% block name [scoped] %}...{% endblock [name] %}` (every block sees the loop it is in: `scoped` or not). */
  private blockStatement(open: Token): Stmt {
    const name = this.s.current
    if (name.kind !== 'name') this.s.fail('expected the name of the block')
    this.s.next()
    this.s.skipName('scoped')
    this.end('block_end')
    const { body } = this.body(['endblock'], open)
    if (this.s.current.kind === 'name') {
      if (this.s.current.value !== name.value) this.s.fail(`'{% endblock ${this.s.current.value} %}' closes the block '${name.value}'`)
      this.s.next()
    }
    this.end('block_end')
    return { kind: 'block', name: name.value, body, pos: open.pos }
  }

  private withStatement(open: Token): Stmt {
    const assigns: { targets: string[]; expr: Expr }[] = []
    while (this.s.current.kind !== 'block_end') {
      if (assigns.length > 0) this.s.expectOp(',')
      const targets = this.targets()
      this.s.expectOp('=')
      assigns.push({ targets, expr: this.e.expression() })
    }
    return { kind: 'with', assigns, body: this.block(open, 'endwith'), pos: open.pos }
  }

  private forStatement(open: Token): Stmt {
    const targets = this.targets()
    if (!this.s.skipName('in')) this.s.fail("expected 'in' after the loop variable")
    const iter = this.e.tuple(false, ['recursive', 'if'])
    const filter = this.s.skipName('if') ? this.e.expression() : undefined
    const recursive = this.s.skipName('recursive')
    this.end('block_end')
    this.loops++
    const { body, tag } = this.body(['else', 'endfor'], open)
    this.loops--
    let otherwise: Stmt[] | undefined
    if (tag === 'else') {
      this.end('block_end')
      otherwise = this.body(['endfor'], open).body
    }
    this.end('block_end')
    const st: Stmt = { kind: 'for', targets, iter, filter, body, else: otherwise, recursive, pos: open.pos }
    const bad = assignsLoop([st])
    if (bad) throw new JinjaError("Can't assign to special loop variable in for-loop target", bad.pos, true)
    return st
  }

  private setStatement(open: Token): Stmt {
    const ns = this.namespaceTarget()
    if (ns) {
      this.s.expectOp('=')
      const expr = this.e.tuple()
      this.end('block_end')
      return { kind: 'set', targets: [ns.target], attr: ns.attr, expr, pos: open.pos }
    }
    const targets = this.targets()
    if (this.s.skipOp('=')) {
      const expr = this.e.tuple()
      this.end('block_end')
      return { kind: 'set', targets, expr, pos: open.pos }
    }
    if (targets.length !== 1) this.s.fail("expected '=' after the names to set")
    const filters = this.s.isOp('|') ? this.e.filterChain({ kind: 'name', name: BLOCK_TEXT, pos: open.pos }, true) : undefined
    return { kind: 'set_block', target: targets[0], body: this.block(open, 'endset'), filters, pos: open.pos }
  }
}

/**
 * The names a template binds that may hold a macro or an imported template: macros, imports, macro and
 * caller parameters, and `{% set %}` targets (a macro passed on). A call of any other name pgha has no
 * function for is an error before anything runs.
 */
function bound(stmts: Stmt[], into: Set<string>): void {
  for (const st of stmts) {
    if (st.kind === 'macro' || st.kind === 'call_block') {
      const def = st.kind === 'macro' ? st.macro : st.caller
      into.add(def.name)
      def.params.forEach((p) => into.add(p.name))
    } else if (st.kind === 'import') {
      if (st.target) into.add(st.target)
      st.names?.forEach(([, alias]) => into.add(alias))
    } else if (st.kind === 'set' || st.kind === 'with') {
      ;(st.kind === 'set' ? st.targets : st.assigns.flatMap((a) => a.targets)).forEach((t) => into.add(t))
    }
    for (const inner of innerBodies(st)) bound(inner, into)
  }
}

/** The statement inside a loop that assigns to `loop` (a `{% set %}` or loop target; `{% with %}` may), which Jinja2 refuses. */
function assignsLoop(stmts: Stmt[]): Stmt | undefined {
  for (const st of stmts) {
    const targets = st.kind === 'set' && st.attr === undefined ? st.targets : st.kind === 'set_block' ? [st.target] : st.kind === 'for' ? st.targets : []
    if (targets.includes('loop')) return st
    for (const inner of innerBodies(st)) {
      const found = assignsLoop(inner)
      if (found) return found
    }
  }
  return undefined
}

export function parseStatements(text: string, tokens: Token[], included = false): Stmt[] {
  return new TemplateParser(text, tokens, included).parse()
}

/** One expression (a condition) over its tokens; trailing text is an error. */
export function parseExpressionTokens(text: string, tokens: Token[]): Expr {
  const s = new TokenStream(text, tokens)
  if (s.current.kind === 'eof') s.fail('empty expression')
  const e = new ExpressionParser(s).tuple(false)
  if (s.current.kind !== 'eof') s.unexpected()
  return e
}
