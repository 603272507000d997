// Template statements: text, `{{ expr }}`, `{% if %}`/`{% elif %}`/`{% else %}`, `{% for %}` (with a
// filter, tuple targets and `{% else %}`), `{% set %}` (also the block form `{% set x %}...{% endset %}`).
// `{% raw %}`, comments and whitespace control are handled by the lexer.
import type { Expr, Stmt } from './ast.js'
import { JinjaError } from './errors.js'
import type { Token } from './lexer.js'
import { ExpressionParser, TokenStream } from './parser.js'

/** Jinja2 tags pgha does not implement, so their use is an error naming them rather than a surprise. */
const UNSUPPORTED = new Set(['macro', 'call', 'filter', 'include', 'import', 'from', 'extends', 'block', 'with', 'autoescape', 'do', 'break', 'continue', 'trans'])

class TemplateParser {
  private readonly s: TokenStream
  private readonly e: ExpressionParser

  constructor(text: string, tokens: Token[]) {
    this.s = new TokenStream(text, tokens)
    this.e = new ExpressionParser(this.s)
  }

  parse(): Stmt[] {
    const { body } = this.body([])
    return body
  }

  /** Statements up to one of the `end` tags; the tag's name token is consumed, its `%}` is not. */
  private body(end: string[], opened?: Token): { body: Stmt[]; tag?: string } {
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

  private end(kind: 'var_end' | 'block_end'): void {
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
    switch (tag.value) {
      case 'if':
        return this.ifStatement(open)
      case 'for':
        return this.forStatement(open)
      case 'set':
        return this.setStatement(open)
      case 'elif':
      case 'else':
      case 'endif':
      case 'endfor':
      case 'endset':
        throw new JinjaError(`'{% ${tag.value} %}' without a matching opening tag`, tag.pos, true)
      default:
        if (UNSUPPORTED.has(tag.value)) throw new JinjaError(`the Jinja2 tag '${tag.value}' is not supported by pgha (supported: if, for, set, raw)`, tag.pos, true)
        throw new JinjaError(`unknown tag '${tag.value}' (tags: if, elif, else, for, set, raw)`, tag.pos, true)
    }
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
      if (this.s.isOp('.', this.s.look())) this.s.fail("assigning to an attribute (namespace) is not supported", this.s.look())
      names.push(this.s.next().value)
    } while (this.s.skipOp(','))
    if (paren) this.s.expectOp(')')
    return names
  }

  private forStatement(open: Token): Stmt {
    const targets = this.targets()
    if (!this.s.skipName('in')) this.s.fail("expected 'in' after the loop variable")
    const iter = this.e.tuple(false, ['recursive', 'if'])
    const filter = this.s.skipName('if') ? this.e.expression() : undefined
    if (this.s.isName('recursive')) this.s.fail('recursive loops are not supported')
    this.end('block_end')
    const { body, tag } = this.body(['else', 'endfor'], open)
    let otherwise: Stmt[] | undefined
    if (tag === 'else') {
      this.end('block_end')
      otherwise = this.body(['endfor'], open).body
    }
    this.end('block_end')
    return { kind: 'for', targets, iter, filter, body, else: otherwise, pos: open.pos }
  }

  private setStatement(open: Token): Stmt {
    const targets = this.targets()
    if (this.s.skipOp('=')) {
      const expr = this.e.tuple()
      this.end('block_end')
      return { kind: 'set', targets, expr, pos: open.pos }
    }
    if (targets.length !== 1) this.s.fail("expected '=' after the names to set")
    if (this.s.isOp('|')) this.s.fail('filters on a block set are not supported')
    this.end('block_end')
    const { body } = this.body(['endset'], open)
    this.end('block_end')
    return { kind: 'set_block', target: targets[0], body, pos: open.pos }
  }
}

export function parseStatements(text: string, tokens: Token[]): Stmt[] {
  return new TemplateParser(text, tokens).parse()
}

/** One expression (a condition) over its tokens; trailing text is an error. */
export function parseExpressionTokens(text: string, tokens: Token[]): Expr {
  const s = new TokenStream(text, tokens)
  if (s.current.kind === 'eof') s.fail('empty expression')
  const e = new ExpressionParser(s).tuple(false)
  if (s.current.kind !== 'eof') s.unexpected()
  return e
}
