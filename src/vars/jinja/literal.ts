// Python literals as Ansible reads text back (ast.literal_eval): numbers, strings, True/False/None, and
// lists, tuples and dicts of them. Nothing else: a name or a call is not a literal.
import type { Expr } from './ast.js'
import { JinjaError } from './errors.js'
import { lexExpression } from './lexer.js'
import { ExpressionParser, TokenStream } from './parser.js'
import { float, isMapping, isNumber, pyStr, tuple } from './values.js'

type Vars = Record<string, unknown>

const LITERAL_NAMES: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null }

/** Ansible's conversion of text that looks like a list, dict or bool (ast.literal_eval), else the text. */
export function literal(s: string): unknown {
  const first = s.charCodeAt(0)
  if (first !== 123 && first !== 91 && s !== 'True' && s !== 'False') return s
  const read = readLiteral(s)
  return read ? read.value : s
}

/** The value of text that is a Python literal as a whole (`42`, `-1.5`, `'a'`, `[1, 'b']`, `None`); else undefined. */
export function readLiteral(s: string): { value: unknown } | undefined {
  try {
    const tokens = lexExpression(s)
    if (tokens.some((t) => t.kind === 'name' && !Object.hasOwn(LITERAL_NAMES, t.value))) return undefined
    const stream = new TokenStream(s, tokens)
    const expr = new ExpressionParser(stream).tuple(false)
    if (stream.current.kind !== 'eof') return undefined
    const value = literalValue(expr)
    return value === NOT_LITERAL ? undefined : { value }
  } catch (err) {
    if (err instanceof JinjaError) return undefined
    throw err
  }
}

const NOT_LITERAL = Symbol('not a literal')

function literalValue(e: Expr): unknown {
  switch (e.kind) {
    case 'const':
      return e.value !== null && typeof e.value === 'object' ? float(e.value.float) : e.value
    case 'name':
      return Object.hasOwn(LITERAL_NAMES, e.name) ? LITERAL_NAMES[e.name] : NOT_LITERAL
    case 'list':
    case 'tuple': {
      const items = e.items.map(literalValue)
      if (items.includes(NOT_LITERAL)) return NOT_LITERAL
      return e.kind === 'tuple' ? tuple(items) : items
    }
    case 'dict': {
      const out: Vars = {}
      for (const [k, v] of e.pairs) {
        const key = literalValue(k)
        const value = literalValue(v)
        if (key === NOT_LITERAL || value === NOT_LITERAL || Array.isArray(key) || isMapping(key)) return NOT_LITERAL
        out[pyStr(key)] = value
      }
      return out
    }
    case 'neg':
    case 'pos': {
      const v = literalValue(e.operand)
      if (typeof v !== 'number' && !isNumber(v)) return NOT_LITERAL
      if (typeof v === 'boolean') return NOT_LITERAL
      if (e.kind === 'pos') return v
      return typeof v === 'number' ? -v : float(-(v as { value: number }).value)
    }
    default:
      return NOT_LITERAL
  }
}


