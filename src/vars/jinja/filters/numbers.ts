// Number filters: int, float, bool, string, abs, round (Python's round half to even), log, pow, root,
// human_readable, human_to_bytes, filesizeformat.
import { formatFloat } from '../format.js'
import { arg, type Callable } from '../types.js'
import { float, isFloat, isInt, isNumber, num, PyFloat, pyEquals, pyStr, truthy, typeName, ValueError } from '../values.js'

type Filters = Record<string, Callable>

/** Python's int(str, base): whitespace, sign, underscores between digits, prefixes when they fit the base. */
function parseIntPy(s: string, base: number): number | undefined {
  let t = s.trim().replace(/(?<=[0-9a-zA-Z])_(?=[0-9a-zA-Z])/g, '')
  const sign = t.startsWith('-') ? -1 : 1
  t = t.replace(/^[+-]/, '')
  let b = base
  const prefix = /^0([xob])/i.exec(t)?.[1]?.toLowerCase()
  if (prefix && (b === 0 || b === { x: 16, o: 8, b: 2 }[prefix])) {
    b = { x: 16, o: 8, b: 2 }[prefix] as number
    t = t.slice(2)
  } else if (b === 0) {
    if (/^0+$/.test(t)) return 0
    if (/^0/.test(t)) return undefined
    b = 10
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b)
  if (t === '' || ![...t.toLowerCase()].every((c) => digits.includes(c))) return undefined
  return sign * parseInt(t, b)
}

/** Python's float(str). */
export function parseFloatPy(s: string): number | undefined {
  const t = s.trim().replace(/(?<=\d)_(?=\d)/g, '').toLowerCase()
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/.test(t)) return NaN
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined
  return Number(t)
}

export function toInt(v: unknown, fallback: unknown = 0, base = 10): unknown {
  if (typeof v === 'string') {
    const n = parseIntPy(v, base)
    if (n !== undefined) return n
    const f = parseFloatPy(v)
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : fallback
  }
  if (isNumber(v)) {
    const n = num(v)
    return Number.isFinite(n) ? Math.trunc(n) : fallback
  }
  return fallback
}

export function toFloat(v: unknown, fallback: unknown = new PyFloat(0)): unknown {
  if (typeof v === 'string') {
    const f = parseFloatPy(v)
    return f === undefined ? fallback : float(f)
  }
  if (isNumber(v)) return float(num(v))
  return fallback
}

/** Ansible's bool filter. */
export function toBool(v: unknown): unknown {
  if (v === null || typeof v === 'boolean') return v
  const x = typeof v === 'string' ? v.toLowerCase() : v
  return ['yes', 'on', '1', 'true'].includes(x as string) || pyEquals(x, 1)
}

/** The exact value of a finite double as mantissa * 2^exponent. */
function exact(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const biased = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  const m = biased === 0 ? fraction : fraction | (1n << 52n)
  return { m: bits >> 63n ? -m : m, e: (biased === 0 ? 1 : biased) - 1075 }
}

/** Python's round(x, ndigits): the exact binary value rounded, ties to even. */
function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x
  const { m, e } = exact(x)
  const num = m * (e > 0 ? 2n ** BigInt(e) : 1n) * (digits > 0 ? 10n ** BigInt(digits) : 1n)
  const den = (e < 0 ? 2n ** BigInt(-e) : 1n) * (digits < 0 ? 10n ** BigInt(-digits) : 1n)
  const neg = num < 0n
  const abs = neg ? -num : num
  let q = abs / den
  const twice = 2n * (abs % den)
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n
  const r = Number(`${neg ? '-' : ''}${q}e${-digits}`)
  return r === 0 && neg ? -0 : r
}

const SIZE_RANGES: [string, number][] = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
]

function bytesToHuman(size: number, isbits: boolean, unit: unknown): string {
  const base = isbits ? 'bits' : 'Bytes'
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1]
  for (const [s, l] of SIZE_RANGES) {
    ;[suffix, limit] = [s, l]
    if ((unit === undefined || unit === null) && size >= l) break
    if (unit !== undefined && unit !== null && pyStr(unit).toUpperCase() === s[0]) break
  }
  return `${formatFloat(size / limit, 'f', 2)} ${limit !== 1 ? suffix + base[0] : base}`
}

function humanToBytes(value: unknown, defaultUnit: unknown, isbits: boolean): number {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(pyStr(value)) as RegExpExecArray
  const n = parseFloatPy(m[1])
  if (n === undefined) throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`)
  const unit = m[2] ?? (defaultUnit === undefined || defaultUnit === null ? undefined : pyStr(defaultUnit))
  if (unit === undefined) return pyRound(n, 0)
  const key = unit[0].toUpperCase()
  const limit = SIZE_RANGES.find(([s]) => s === key)?.[1]
  if (limit === undefined) throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`)
  const cls = isbits ? 'b' : 'B'
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? 'bit' : 'byte') && unit[1] !== cls) {
    throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`)
  }
  return pyRound(n * limit, 0)
}

function requireNumber(name: string, v: unknown): number {
  if (!isNumber(v)) throw new ValueError(`${name}() can only be used on numbers: must be real number, not ${typeName(v)}`)
  return num(v)
}

export const NUMBER_FILTERS: Filters = {
  int: { params: ['default', 'base'], fn: (_c, v, [d, base]) => toInt(v, arg(d, 0), num(arg(base, 10))) },
  float: { params: ['default'], fn: (_c, v, [d]) => toFloat(v, arg(d, new PyFloat(0))) },
  bool: { params: [], fn: (_c, v) => toBool(v) },
  string: { params: [], fn: (_c, v) => pyStr(v) },
  abs: {
    params: [],
    fn: (_c, v) => {
      if (!isNumber(v)) throw new ValueError(`bad operand type for abs(): '${typeName(v)}'`)
      return isFloat(v) ? float(Math.abs(num(v))) : Math.abs(num(v))
    },
  },
  round: {
    params: ['precision', 'method'],
    fn: (_c, v, [precision, method]) => {
      const p = num(arg(precision, 0))
      const m = arg(method, 'common')
      if (!['common', 'ceil', 'floor'].includes(m as string)) throw new ValueError('method must be common, ceil or floor')
      const x = requireNumber('round', v)
      if (m !== 'common') return float((m === 'ceil' ? Math.ceil : Math.floor)(x * 10 ** p) / 10 ** p)
      return isInt(v) || typeof v === 'boolean' ? pyRound(x, p) : float(pyRound(x, p))
    },
  },
  log: {
    params: ['base'],
    fn: (_c, v, [base]) => {
      const x = requireNumber('log', v)
      const b = arg(base, undefined)
      if (b === undefined) return float(Math.log(x))
      return float(num(b) === 10 ? Math.log10(x) : Math.log(x) / Math.log(num(b)))
    },
  },
  pow: { params: ['y'], fn: (_c, v, [y]) => float(requireNumber('pow', v) ** requireNumber('pow', y)) },
  root: {
    params: ['base'],
    fn: (_c, v, [base]) => {
      const x = requireNumber('root', v)
      const b = num(arg(base, 2))
      if (x < 0) throw new ValueError('root() can only be used on numbers: math domain error')
      return float(b === 2 ? Math.sqrt(x) : x ** (1 / b))
    },
  },
  human_readable: {
    params: ['isbits', 'unit'],
    fn: (_c, v, [isbits, unit]) => {
      const n = typeof v === 'string' ? parseFloatPy(v) : isNumber(v) ? num(v) : undefined
      if (n === undefined) throw new ValueError(`human_readable() can't interpret following string: ${pyStr(v)}`)
      return bytesToHuman(n, truthy(isbits), unit)
    },
  },
  human_to_bytes: { params: ['default_unit', 'isbits'], fn: (_c, v, [unit, isbits]) => humanToBytes(v, unit, truthy(isbits)) },
  filesizeformat: {
    params: ['binary'],
    fn: (_c, v, [binary]) => {
      const bytes = num(toFloat(v, new PyFloat(0)))
      const base = truthy(binary) ? 1024 : 1000
      const prefixes = truthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
      if (bytes === 1) return '1 Byte'
      if (bytes < base) return `${Math.trunc(bytes)} Bytes`
      let i = 0
      while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++
      return `${formatFloat((base * bytes) / base ** (i + 2), 'f', 1)} ${prefixes[i]}`
    },
  },
}
