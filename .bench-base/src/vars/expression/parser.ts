// A Pratt parser for Ansible's condition language (a small, safe subset of Jinja expressions).
// Binding powers, loosest first: or < and < not < comparisons/in/is < unary minus < filters < . [ ]
import type { CompareOp, Expr } from './ast.js'
import { FILTERS, TESTS } from './functions.js'
import { tokenize, TokenError, type Token } from './tokenizer.js'

export { TokenError as ParseError }

const BP = { or: 10, and: 20, not: 30, compare: 40, neg: 60, filter: 70, postfix: 80 } as const
const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>='])
const CONSTANTS: Record<string, boolean | null> = { true: true, false: false, True: true, False: false, None: null, none: null }

/** Table lookups by user-written names must not find `toString` & co. on Object.prototype. */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}

class Parser {
  private i = 0
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]
  }
  private next(): Token {
    return this.tokens[this.i++] ?? this.tokens[this.tokens.length - 1]
  }
  private is(t: Token, kind: Token['kind'], value?: string): boolean {
    return t.kind === kind && (value === undefined || t.value === value)
  }
  private unexpected(t: Token): never {
    throw new TokenError(t.kind === 'eof' ? 'unexpected end of expression' : `unexpected '${this.text.slice(t.pos, t.pos + Math.max(1, t.value.length))}'`, t.pos)
  }
  private expect(value: string): Token {
    const t = this.next()
    if (t.kind !== 'op' || t.value !== value) {
      if (t.kind === 'eof') throw new TokenError(`expected '${value}'`, t.pos)
      this.unexpected(t)
    }
    return t
  }

  parseAll(): Expr {
    const e = this.expr(0)
    const t = this.peek()
    if (t.kind !== 'eof') this.unexpected(t)
    return e
  }

  expr(minBp: number): Expr {
    let left = this.prefix(this.next())
    for (;;) {
      const t = this.peek()
      const bp = this.infixBp(t)
      if (bp === undefined || bp <= minBp) return left
      left = this.infix(left, this.next())
    }
  }

  private infixBp(t: Token): number | undefined {
    if (t.kind === 'name') {
      if (t.value === 'or') return BP.or
      if (t.value === 'and') return BP.and
      if (t.value === 'in' || t.value === 'is') return BP.compare
      if (t.value === 'not' && this.is(this.peek(1), 'name', 'in')) return BP.compare
      return undefined
    }
    if (t.kind !== 'op') return undefined
    if (COMPARE.has(t.value)) return BP.compare
    if (t.value === '|') return BP.filter
    if (t.value === '.' || t.value === '[') return BP.postfix
    return undefined
  }

  private prefix(t: Token): Expr {
    const pos = t.pos
    if (t.kind === 'num') return { kind: 'literal', value: t.num ?? 0, pos }
    if (t.kind === 'str') return { kind: 'literal', value: t.value, pos }
    if (t.kind === 'name') {
      if (Object.hasOwn(CONSTANTS, t.value)) return { kind: 'literal', value: CONSTANTS[t.value], pos }
      if (t.value === 'not') return { kind: 'not', operand: this.expr(BP.not), pos }
      if (['and', 'or', 'in', 'is'].includes(t.value)) this.unexpected(t)
      return { kind: 'var', name: t.value, text: t.value, pos }
    }
    if (this.is(t, 'op', '(')) {
      const e = this.expr(0)
      this.expect(')')
      return e
    }
    if (this.is(t, 'op', '[')) return { kind: 'list', items: this.args(']'), pos }
    if (this.is(t, 'op', '-')) return { kind: 'neg', operand: this.expr(BP.neg), pos }
    this.unexpected(t)
  }

  /** Comma-separated expressions up to `close` (a trailing comma is allowed, as in Python). */
  private args(close: string): Expr[] {
    const items: Expr[] = []
    while (!this.is(this.peek(), 'op', close)) {
      items.push(this.expr(0))
      if (!this.is(this.peek(), 'op', ',')) break
      this.next()
    }
    this.expect(close)
    return items
  }

  private callArgs(): Expr[] {
    if (!this.is(this.peek(), 'op', '(')) return []
    this.next()
    return this.args(')')
  }

  private name(what: string): Token {
    const t = this.next()
    if (t.kind !== 'name') throw new TokenError(`expected a ${what} name`, t.pos)
    return t
  }

  private checkArity(kind: string, t: Token, args: Expr[], def: { min: number; max: number } | undefined, known: object): void {
    if (!def) throw new TokenError(`unknown ${kind} '${t.value}' (known: ${Object.keys(known).join(', ')})`, t.pos)
    if (args.length < def.min || args.length > def.max) {
      const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`
      throw new TokenError(`${kind} '${t.value}' takes ${want} argument(s), got ${args.length}`, t.pos)
    }
  }

  private infix(left: Expr, t: Token): Expr {
    const pos = left.pos
    const v = t.value
    if (t.kind === 'name' && (v === 'or' || v === 'and')) return { kind: v, left, right: this.expr(BP[v]), pos: t.pos }
    if (t.kind === 'name' && (v === 'in' || v === 'not')) {
      if (v === 'not') this.next() // the `in` of `not in`
      return { kind: 'in', negated: v === 'not', left, right: this.expr(BP.compare), pos: t.pos }
    }
    if (t.kind === 'name' && v === 'is') {
      const negated = this.is(this.peek(), 'name', 'not')
      if (negated) this.next()
      const test = this.name('test')
      const args = this.callArgs()
      this.checkArity('test', test, args, own(TESTS, test.value), TESTS)
      return { kind: 'test', negated, name: test.value, operand: left, args, pos: test.pos }
    }
    if (COMPARE.has(v)) return { kind: 'compare', op: v as CompareOp, left, right: this.expr(BP.compare), pos: t.pos }
    if (v === '|') {
      const filter = this.name('filter')
      const args = this.callArgs()
      this.checkArity('filter', filter, args, own(FILTERS, filter.value), FILTERS)
      return { kind: 'filter', name: filter.value, operand: left, args, pos: filter.pos }
    }
    if (v === '.') {
      const attr = this.next()
      if (attr.kind !== 'name' && attr.kind !== 'num') throw new TokenError('expected an attribute name after \'.\'', attr.pos)
      const end = attr.pos + attr.value.length
      const text = this.text.slice(pos, end)
      if (attr.kind === 'num') return { kind: 'index', object: left, index: { kind: 'literal', value: attr.num ?? 0, pos: attr.pos }, text, pos }
      return { kind: 'attr', object: left, name: attr.value, text, pos }
    }
    // '['
    const index = this.expr(0)
    const close = this.expect(']')
    return { kind: 'index', object: left, index, text: this.text.slice(pos, close.pos + 1), pos }
  }
}

/** Parses `text` (offsets are reported from the start of `text`); `start`/`end` select the expression. */
export function parse(text: string, start = 0, end = text.length): Expr {
  const tokens = tokenize(text, start, end)
  if (tokens.length === 1) throw new TokenError('empty expression', start)
  return new Parser(text, tokens).parseAll()
}
