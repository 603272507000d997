// The tokens of a template or expression as the parsers read them: one token of look-ahead, and errors
// at the offending token's offset.
import { JinjaError } from './errors.js'
import type { Token } from './lexer.js'

export class TokenStream {
  i = 0
  constructor(
    readonly text: string,
    readonly tokens: Token[],
  ) {}
  get current(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)]
  }
  look(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]
  }
  next(): Token {
    const t = this.current
    if (this.i < this.tokens.length - 1) this.i++
    return t
  }
  is(kind: Token['kind'], value?: string, t = this.current): boolean {
    return t.kind === kind && (value === undefined || t.value === value)
  }
  isOp(value: string, t = this.current): boolean {
    return this.is('op', value, t)
  }
  isName(value: string, t = this.current): boolean {
    return this.is('name', value, t)
  }
  skipOp(value: string): boolean {
    if (!this.isOp(value)) return false
    this.next()
    return true
  }
  skipName(value: string): boolean {
    if (!this.isName(value)) return false
    this.next()
    return true
  }
  fail(message: string, t = this.current): never {
    throw new JinjaError(message, t.pos, true)
  }
  unexpected(t = this.current): never {
    if (t.kind === 'eof') this.fail('unexpected end of expression', t)
    if (t.kind === 'var_end' || t.kind === 'block_end') this.fail(`unexpected '${t.value}': an expression is missing or incomplete`, t)
    if (this.isOp('=', t)) this.fail("a single '=' assigns nothing here; compare with '=='", t)
    this.fail(`unexpected '${t.kind === 'string' ? this.text.slice(t.pos, t.pos + 20).split(/\s/)[0] : t.value}'`, t)
  }
  expectOp(value: string): Token {
    if (!this.isOp(value)) {
      if (this.current.kind === 'eof' || this.current.kind === 'var_end' || this.current.kind === 'block_end') this.fail(`expected '${value}'`)
      this.unexpected()
    }
    return this.next()
  }
  expectName(what: string): Token {
    if (this.current.kind !== 'name') this.fail(`expected a ${what}`)
    return this.next()
  }
  /** The source text from `from` up to (not including) the current token. */
  textFrom(from: number): string {
    const prev = this.tokens[this.i - 1]
    const end = prev.kind === 'string' ? this.text.indexOf(this.text[prev.pos], prev.pos + 1) + 1 : prev.pos + prev.value.length
    return this.text.slice(from, Math.max(end, from)).trim()
  }
}
