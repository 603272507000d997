// Python's arithmetic: int op int stays int (except `/`), anything with a float is a float, `//` and `%`
// floor towards negative infinity, `+` joins strings and lists, `*` repeats them, `%` formats a string.
import type { BinaryOp } from './ast.js'
import { percentFormat } from './format.js'
import { float, isFloat, isNumber, isTuple, num, pyStr, tuple, typeName, ValueError } from './values.js'

const isIntLike = (v: unknown): boolean => typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v))

function unsupported(op: string, a: unknown, b: unknown): never {
  throw new ValueError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`)
}

function numeric(op: string, a: unknown, b: unknown, f: (x: number, y: number) => number): unknown {
  if (!isNumber(a) || !isNumber(b)) unsupported(op, a, b)
  const r = f(num(a), num(b))
  return isFloat(a) || isFloat(b) ? float(r) : r
}

function repeat(seq: unknown, times: unknown): unknown {
  const n = Math.max(0, num(times))
  if (typeof seq === 'string') return seq.repeat(n)
  const items = seq as unknown[]
  const out = Array.from({ length: n }, () => items).flat()
  return isTuple(items) ? tuple(out) : out
}

function floorMod(x: number, y: number): number {
  const r = x % y
  return r !== 0 && r < 0 !== y < 0 ? r + y : r
}

function divisor(op: string, a: unknown, b: unknown): void {
  if (!isNumber(a) || !isNumber(b)) unsupported(op, a, b)
  if (num(b) !== 0) return
  if (op === '/') throw new ValueError('division by zero')
  if (isFloat(a) || isFloat(b)) throw new ValueError(op === '//' ? 'float floor division by zero' : 'float modulo')
  throw new ValueError('integer division or modulo by zero')
}

export function binary(op: BinaryOp, a: unknown, b: unknown): unknown {
  switch (op) {
    case '+':
      if (typeof a === 'string' && typeof b === 'string') return a + b
      if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b]
      if (typeof a === 'string' || Array.isArray(a)) {
        if (isNumber(b) || typeof b === 'string' || Array.isArray(b) || b === null) {
          throw new ValueError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`)
        }
      }
      return numeric('+', a, b, (x, y) => x + y)
    case '-':
      return numeric('-', a, b, (x, y) => x - y)
    case '*':
      if ((typeof a === 'string' || Array.isArray(a)) && isIntLike(b)) return repeat(a, b)
      if ((typeof b === 'string' || Array.isArray(b)) && isIntLike(a)) return repeat(b, a)
      if (typeof a === 'string' || Array.isArray(a)) throw new ValueError(`can't multiply sequence by non-int of type '${typeName(b)}'`)
      return numeric('*', a, b, (x, y) => x * y)
    case '/':
      divisor('/', a, b)
      return float(num(a) / num(b))
    case '//':
      divisor('//', a, b)
      return numeric('//', a, b, (x, y) => Math.floor(x / y))
    case '%':
      if (typeof a === 'string') return percentFormat(a, b)
      divisor('%', a, b)
      return numeric('%', a, b, floorMod)
    case '**': {
      if (!isNumber(a) || !isNumber(b)) unsupported('** or pow()', a, b)
      const x = num(a)
      const y = num(b)
      if (x === 0 && y < 0) throw new ValueError('0.0 cannot be raised to a negative power')
      const r = x ** y
      return isFloat(a) || isFloat(b) || y < 0 ? float(r) : r
    }
    case '~':
      return pyStr(a) + pyStr(b)
  }
}
