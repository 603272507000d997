// Jinja2's expression grammar, rule for rule as Jinja2's parser reads it (loosest first):
// cond (`x if c else y`) < or < and < not < comparisons and `in` < + - < ~ < * / // % < ** < unary - +
// < filters `|`, tests `is`, calls < postfix `.name` `[index]` `[a:b]` < primary.
// Filter, test, function and method names are checked here, so a typo fails before anything runs.
import type { Args, BinaryOp, CompareOp, Expr } from './ast.js'
import { JinjaError } from './errors.js'
import type { Token } from './lexer.js'
import { canonicalName, isFilterName, isFunctionName, isMethodName, isTestName, knownNames } from './names.js'
import { suggest } from './suggest.js'
import { TokenStream } from './token-stream.js'

export { TokenStream } from './token-stream.js'

const COMPARE = new Set(['==', '!=', '<', '>', '<=', '>='])
const CONSTANTS: Record<string, boolean | null> = { true: true, false: false, True: true, False: false, none: null, None: null }

/** A call of a name pgha has no function or method of: a macro's, if the template defines or imports it. */
export interface UnknownCall {
  /** The name called, or the module name of `module.name()`. */
  name: string
  error: JinjaError
}

export class ExpressionParser {
  /** Where a template's parser collects calls that only its macros can answer; unset, they are errors at once. */
  unknownCalls?: UnknownCall[]

  constructor(readonly s: TokenStream) {}

  /** parse_tuple: an expression, or a tuple when commas follow (`{{ a, b }}`, `for k, v in ...`). */
  tuple(withCond = true, endNames: string[] = [], parenthesized = false): Expr {
    const pos = this.s.current.pos
    const items: Expr[] = []
    let isTuple = false
    for (;;) {
      if (items.length > 0) this.s.expectOp(',')
      if (this.tupleEnd(endNames)) break
      items.push(withCond ? this.expression() : this.or())
      if (this.s.isOp(',')) isTuple = true
      else break
    }
    if (!isTuple) {
      if (items.length === 1) return items[0]
      if (!parenthesized) this.s.unexpected()
    }
    return { kind: 'tuple', items, pos }
  }

  private tupleEnd(endNames: string[]): boolean {
    const t = this.s.current
    return t.kind === 'var_end' || t.kind === 'block_end' || t.kind === 'eof' || this.s.isOp(')') || endNames.some((n) => this.s.isName(n))
  }

  expression(): Expr {
    let e = this.or()
    while (this.s.isName('if')) {
      const pos = this.s.next().pos
      const test = this.or()
      const otherwise = this.s.skipName('else') ? this.expression() : undefined
      e = { kind: 'cond', test, then: e, else: otherwise, pos }
    }
    return e
  }

  or(): Expr {
    let left = this.and()
    while (this.s.isName('or')) {
      const pos = this.s.next().pos
      left = { kind: 'or', left, right: this.and(), pos }
    }
    return left
  }

  private and(): Expr {
    let left = this.not()
    while (this.s.isName('and')) {
      const pos = this.s.next().pos
      left = { kind: 'and', left, right: this.not(), pos }
    }
    return left
  }

  private not(): Expr {
    if (this.s.isName('not')) {
      const pos = this.s.next().pos
      return { kind: 'not', operand: this.not(), pos }
    }
    return this.compare()
  }

  private compare(): Expr {
    const left = this.math1()
    const ops: { op: CompareOp; right: Expr; pos: number }[] = []
    for (;;) {
      const t = this.s.current
      if (t.kind === 'op' && COMPARE.has(t.value)) {
        this.s.next()
        ops.push({ op: t.value as CompareOp, right: this.math1(), pos: t.pos })
      } else if (this.s.isName('in')) {
        this.s.next()
        ops.push({ op: 'in', right: this.math1(), pos: t.pos })
      } else if (this.s.isName('not') && this.s.isName('in', this.s.look())) {
        this.s.next()
        this.s.next()
        ops.push({ op: 'not in', right: this.math1(), pos: t.pos })
      } else break
    }
    return ops.length === 0 ? left : { kind: 'compare', left, ops, pos: left.pos }
  }

  private binary(next: () => Expr, ops: string[]): Expr {
    let left = next()
    while (this.s.current.kind === 'op' && ops.includes(this.s.current.value)) {
      const t = this.s.next()
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: next(), pos: t.pos }
    }
    return left
  }

  private math1 = (): Expr => this.binary(this.concat, ['+', '-'])
  private concat = (): Expr => this.binary(this.math2, ['~'])
  private math2 = (): Expr => this.binary(this.pow, ['*', '/', '//', '%'])
  private pow = (): Expr => this.binary(() => this.unary(), ['**'])

  private unary(withFilter = true): Expr {
    const t = this.s.current
    let node: Expr
    if (this.s.isOp('-') || this.s.isOp('+')) {
      this.s.next()
      node = { kind: t.value === '-' ? 'neg' : 'pos', operand: this.unary(false), pos: t.pos }
    } else node = this.primary()
    node = this.postfix(node)
    return withFilter ? this.filterExpr(node) : node
  }

  primary(): Expr {
    const t = this.s.current
    const pos = t.pos
    if (t.kind === 'name') {
      this.s.next()
      if (Object.hasOwn(CONSTANTS, t.value)) return { kind: 'const', value: CONSTANTS[t.value], pos }
      return { kind: 'name', name: t.value, pos }
    }
    if (t.kind === 'string') {
      let value = ''
      while (this.s.current.kind === 'string') value += this.s.next().value
      return { kind: 'const', value, pos }
    }
    if (t.kind === 'int') {
      this.s.next()
      const clean = t.value.replace(/_/g, '')
      const n = /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : Number(clean)
      return { kind: 'const', value: n, pos }
    }
    if (t.kind === 'float') {
      this.s.next()
      return { kind: 'const', value: { float: Number(t.value.replace(/_/g, '')) }, pos }
    }
    if (this.s.isOp('(')) {
      this.s.next()
      const inner = this.tuple(true, [], true)
      this.s.expectOp(')')
      return inner
    }
    if (this.s.isOp('[')) {
      this.s.next()
      const items: Expr[] = []
      while (!this.s.isOp(']')) {
        if (items.length > 0) this.s.expectOp(',')
        if (this.s.isOp(']')) break
        items.push(this.expression())
      }
      this.s.expectOp(']')
      return { kind: 'list', items, pos }
    }
    if (this.s.isOp('{')) {
      this.s.next()
      const pairs: [Expr, Expr][] = []
      while (!this.s.isOp('}')) {
        if (pairs.length > 0) this.s.expectOp(',')
        if (this.s.isOp('}')) break
        const key = this.expression()
        this.s.expectOp(':')
        pairs.push([key, this.expression()])
      }
      this.s.expectOp('}')
      return { kind: 'dict', pairs, pos }
    }
    this.s.unexpected()
  }

  postfix(node: Expr): Expr {
    for (;;) {
      if (this.s.isOp('.') || this.s.isOp('[')) node = this.subscript(node)
      else if (this.s.isOp('(')) node = this.call(node)
      else return node
    }
  }

  private filterExpr(node: Expr): Expr {
    for (;;) {
      if (this.s.isOp('|')) node = this.filter(node)
      else if (this.s.isName('is')) node = this.test(node)
      else if (this.s.isOp('(')) node = this.call(node)
      else return node
    }
  }

  private subscript(node: Expr): Expr {
    const t = this.s.next()
    const start = node.pos
    if (t.value === '.') {
      const attr = this.s.current
      if (attr.kind === 'name') {
        this.s.next()
        return { kind: 'attr', object: node, name: attr.value, text: this.s.textFrom(start), pos: start }
      }
      if (attr.kind !== 'int') this.s.fail("expected a name or a number after '.'")
      this.s.next()
      return { kind: 'item', object: node, index: { kind: 'const', value: Number(attr.value), pos: attr.pos }, text: this.s.textFrom(start), pos: start }
    }
    const parts: Expr[] = []
    while (!this.s.isOp(']')) {
      if (parts.length > 0) this.s.expectOp(',')
      parts.push(this.subscribed(node, start))
    }
    this.s.expectOp(']')
    if (parts.length === 0) this.s.fail("expected an index between '[' and ']'")
    const index = parts.length === 1 ? parts[0] : ({ kind: 'tuple', items: parts, pos: parts[0].pos } as Expr)
    if (index.kind === 'slice') return index
    return { kind: 'item', object: node, index, text: this.s.textFrom(start), pos: start }
  }

  /** One subscript: an index or a slice `a:b:c` (returned as a slice node of `object`). */
  private subscribed(object: Expr, pos: number): Expr {
    const parts: (Expr | undefined)[] = []
    if (this.s.isOp(':')) parts.push(undefined)
    else {
      const e = this.expression()
      if (!this.s.isOp(':')) return e
      parts.push(e)
    }
    this.s.next()
    parts.push(this.s.isOp(']') || this.s.isOp(',') || this.s.isOp(':') ? undefined : this.expression())
    if (this.s.skipOp(':')) parts.push(this.s.isOp(']') || this.s.isOp(',') ? undefined : this.expression())
    return { kind: 'slice', object, start: parts[0], stop: parts[1], step: parts[2], pos }
  }

  private callArgs(): Args {
    this.s.expectOp('(')
    const args: Expr[] = []
    const kwargs: [string, Expr, number][] = []
    while (!this.s.isOp(')')) {
      if (args.length + kwargs.length > 0) this.s.expectOp(',')
      if (this.s.isOp(')')) break
      if (this.s.isOp('*') || this.s.isOp('**')) this.s.fail("'*args' and '**kwargs' in calls are not supported")
      if (this.s.current.kind === 'name' && this.s.isOp('=', this.s.look())) {
        const name = this.s.next()
        this.s.next()
        kwargs.push([name.value, this.expression(), name.pos])
      } else {
        if (kwargs.length > 0) this.s.fail('a positional argument cannot follow keyword arguments')
        args.push(this.expression())
      }
    }
    this.s.expectOp(')')
    return { args, kwargs }
  }

  private call(callee: Expr): Expr {
    const pos = this.s.current.pos
    if (callee.kind === 'attr') {
      if (!isMethodName(callee.name)) {
        const error = new JinjaError(`'${callee.name}' is not a method pgha knows (methods: ${knownNames('method')})`, callee.pos + callee.text.lastIndexOf(callee.name), true)
        if (!this.unknownCalls || callee.object.kind !== 'name') throw error
        this.unknownCalls.push({ name: callee.object.name, error })
      }
    } else if (callee.kind === 'name') {
      if (!isFunctionName(callee.name)) {
        const error = new JinjaError(`unknown function '${callee.name}' (functions: ${knownNames('function')})`, callee.pos, true)
        if (!this.unknownCalls) throw error
        this.unknownCalls.push({ name: callee.name, error })
      }
    } else {
      this.s.fail('only methods of values and the functions lookup, query, q, range and dict can be called', this.s.current)
    }
    return { kind: 'call', callee, ...this.callArgs(), pos }
  }

  private dottedName(what: string): Token {
    const first = this.s.expectName(what)
    let name = first.value
    while (this.s.isOp('.')) {
      this.s.next()
      name += '.' + this.s.expectName(what).value
    }
    return { ...first, value: name }
  }

  /**
   * The filters of `{% filter upper | trim %}` (the first without its `|`) or of `{% set x | upper %}`, over
   * `node`: the block's text.
   */
  filterChain(node: Expr, bar: boolean): Expr {
    let out = bar ? this.filter(node) : this.filter(node, false)
    while (this.s.isOp('|')) out = this.filter(out)
    return out
  }

  private filter(node: Expr, bar = true): Expr {
    if (bar) this.s.next()
    const t = this.dottedName('filter name')
    const name = canonicalName(t.value)
    if (!isFilterName(name)) throw new JinjaError(`unknown filter '${t.value}'${suggest(t.value, 'filter')}`, t.pos, true)
    const a = this.s.isOp('(') ? this.callArgs() : { args: [], kwargs: [] }
    return { kind: 'filter', name, operand: node, ...a, pos: t.pos }
  }

  private test(node: Expr): Expr {
    this.s.next()
    const negated = this.s.skipName('not')
    const t = this.dottedName('test name')
    const name = canonicalName(t.value)
    if (!isTestName(name)) throw new JinjaError(`unknown test '${t.value}'${suggest(t.value, 'test')}`, t.pos, true)
    let a: Args = { args: [], kwargs: [] }
    const c = this.s.current
    if (this.s.isOp('(')) a = this.callArgs()
    else if (
      (['name', 'string', 'int', 'float'].includes(c.kind) || this.s.isOp('[') || this.s.isOp('{')) &&
      !['else', 'or', 'and'].includes(c.value)
    ) {
      if (this.s.isName('is')) this.s.fail('tests cannot be chained with is')
      a = { args: [this.postfix(this.primary())], kwargs: [] }
    }
    return { kind: 'test', name, operand: node, negated, ...a, pos: t.pos }
  }
}
