// Python's string formatting: `'%s-%05d' % (a, n)` (and Jinja2's `format` filter) and `'{}:{:>5}'.format()`.
import { floatRepr, isFloat, isInt, isMapping, isNumber, isTuple, num, pyRepr, pyStr, typeName, ValueError } from './values.js'

/** Python's fixed, exponent and general float formats with a precision. */
export function formatFloat(x: number, type: string, precision: number, alt = false): string {
  if (!Number.isFinite(x)) {
    const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf'
    return /[A-Z]/.test(type) ? s.toUpperCase() : s
  }
  const lower = type.toLowerCase()
  let out: string
  if (lower === 'f') out = x.toFixed(precision)
  else if (lower === 'e') out = expForm(x.toExponential(precision))
  else {
    // %g: exponent form when exp < -4 or exp >= precision, trailing zeros removed unless '#'
    const p = precision === 0 ? 1 : precision
    const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))))
    if (exp < -4 || exp >= p) out = expForm(x.toExponential(p - 1))
    else out = x.toFixed(Math.max(0, p - 1 - exp))
    if (!alt) out = out.replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1')
  }
  return type === type.toUpperCase() ? out.toUpperCase() : out
}

/** JavaScript's `1.5e+5` as Python writes it: `1.5e+05`. */
const expForm = (s: string): string => s.replace(/e([+-])(\d)$/, 'e$10$2')

function toInt(v: unknown, spec: string): number {
  if (isNumber(v)) return Math.trunc(num(v))
  throw new ValueError(`%${spec} format: a real number is required, not ${typeName(v)}`)
}

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s
  if (left) return s.padEnd(width)
  if (zero) {
    const sign = /^[+\- ]/.test(s) ? s[0] : ''
    const prefix = /^[+\- ]?0[xXoO]/.test(s) ? s.slice(0, sign.length + 2) : sign
    return prefix + s.slice(prefix.length).padStart(width - prefix.length, '0')
  }
  return s.padStart(width)
}

const signed = (s: string, negative: boolean, flags: string): string => (negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s

/** `fmt % values`. */
export function percentFormat(fmt: string, values: unknown): string {
  const positional = isTuple(values) ? values : undefined
  let next = 0
  const take = (): unknown => {
    if (!positional) {
      if (next++ > 0) throw new ValueError('not enough arguments for format string')
      return values
    }
    if (next >= positional.length) throw new ValueError('not enough arguments for format string')
    return positional[next++]
  }
  let usedMapping = false
  const out = fmt.replace(/%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/g, (m, key: string | undefined, flags: string, w: string | undefined, p: string | undefined, type: string | undefined) => {
    if (!type) throw new ValueError('incomplete format')
    if (type === '%' && m === '%%') return '%'
    let value: unknown
    if (key !== undefined) {
      if (!isMapping(values)) throw new ValueError('format requires a mapping')
      usedMapping = true
      if (!Object.hasOwn(values, key)) throw new ValueError(`'${key}'`)
      value = values[key]
    }
    const width = w === '*' ? num(take()) : w ? Number(w) : 0
    const precision = p === '*' ? num(take()) : p !== undefined ? Number(p) : undefined
    if (key === undefined) value = take()
    return pad(convert(type, value, flags, precision), width, flags.includes('-'), flags.includes('0'))
  })
  if (positional ? next < positional.length : next === 0 && !usedMapping && !isMapping(values)) {
    throw new ValueError('not all arguments converted during string formatting')
  }
  return out
}

function convert(type: string, value: unknown, flags: string, precision: number | undefined): string {
  switch (type) {
    case 's':
    case 'r':
    case 'a': {
      const s = type === 's' ? pyStr(value) : pyRepr(value)
      return precision === undefined ? s : s.slice(0, precision)
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = toInt(value, type)
      return signed(String(Math.abs(n)), n < 0, flags)
    }
    case 'o':
    case 'x':
    case 'X': {
      const n = toInt(value, type)
      let s = Math.abs(n).toString(type === 'o' ? 8 : 16)
      if (type === 'X') s = s.toUpperCase()
      if (flags.includes('#')) s = (type === 'o' ? '0o' : type === 'x' ? '0x' : '0X') + s
      return signed(s, n < 0, flags)
    }
    case 'c':
      return typeof value === 'string' ? value : String.fromCodePoint(toInt(value, 'c'))
    default: {
      if (!isNumber(value)) throw new ValueError(`must be real number, not ${typeName(value)}`)
      const x = num(value)
      return signed(formatFloat(Math.abs(x), type, precision ?? 6, flags.includes('#')), x < 0 || Object.is(x, -0), flags)
    }
  }
}

/** Python's format(value, spec): `[[fill]align][sign][#][0][width][,|_][.precision][type]`. */
export function formatSpec(value: unknown, spec: string): string {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec)
  if (!m) throw new ValueError(`Invalid format specifier '${spec}'`)
  const [, fillChar, alignChar, sign = '-', alt, zero, w, group, p, type] = m
  const numeric = isNumber(value) && typeof value !== 'boolean' ? true : typeof value === 'boolean' && type !== undefined
  let fill = fillChar ?? (zero && !alignChar ? '0' : ' ')
  const align = alignChar ?? (zero && numeric ? '=' : numeric ? '>' : '<')
  const precision = p === undefined ? undefined : Number(p)
  let body: string
  let negative = false
  if (!numeric) {
    if (type !== undefined && type !== 's') throw new ValueError(`Unknown format code '${type}' for object of type '${typeName(value)}'`)
    body = pyStr(value)
    if (precision !== undefined) body = body.slice(0, precision)
  } else {
    const x = num(value)
    negative = x < 0 || Object.is(x, -0)
    const abs = Math.abs(x)
    const t = type ?? (isFloat(value) ? '' : 'd')
    if ('bdoxXc'.includes(t) && t !== '') {
      if (!isInt(value) && typeof value !== 'boolean') throw new ValueError(`Unknown format code '${t}' for object of type 'float'`)
      body = t === 'c' ? String.fromCodePoint(abs) : abs.toString(t === 'b' ? 2 : t === 'o' ? 8 : t === 'd' ? 10 : 16)
      if (t === 'X') body = body.toUpperCase()
      if (alt && t !== 'd' && t !== 'c') body = `0${t}${body}`
    } else if (t === '%') body = formatFloat(abs * 100, 'f', precision ?? 6) + '%'
    else if (t === '') body = precision === undefined ? floatRepr(abs) : formatFloat(abs, 'g', precision, alt !== undefined)
    else body = formatFloat(abs, t === 'n' ? 'g' : t, precision ?? 6, alt !== undefined)
    if (group) body = body.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, group))
  }
  const signText = numeric ? (negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '') : ''
  const width = w ? Number(w) : 0
  const len = signText.length + [...body].length
  if (len >= width) return signText + body
  const gap = width - len
  if (fill === '') fill = ' '
  switch (align) {
    case '<':
      return signText + body + fill.repeat(gap)
    case '>':
      return fill.repeat(gap) + signText + body
    case '^':
      return fill.repeat(Math.floor(gap / 2)) + signText + body + fill.repeat(Math.ceil(gap / 2))
    default:
      return signText + fill.repeat(gap) + body
  }
}

/** `'{} {name!r:>5}'.format(*args, **kwargs)`. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
    if (m === '{{') return '{'
    if (m === '}}') return '}'
    const path = /^([^.[]*)(.*)$/.exec(field ?? '') as RegExpExecArray
    let value: unknown
    if (path[1] === '') {
      if (auto >= args.length) throw new ValueError(`Replacement index ${auto} out of range for positional args tuple`)
      value = args[auto++]
    } else if (/^\d+$/.test(path[1])) {
      const i = Number(path[1])
      if (i >= args.length) throw new ValueError(`Replacement index ${i} out of range for positional args tuple`)
      value = args[i]
    } else {
      if (!Object.hasOwn(kwargs, path[1])) throw new ValueError(`'${path[1]}'`)
      value = kwargs[path[1]]
    }
    for (const step of path[2].matchAll(/\.(\w+)|\[([^\]]+)\]/g)) {
      const key = step[1] ?? step[2]
      const container = value as Record<string, unknown> | unknown[]
      if (Array.isArray(container) && /^\d+$/.test(key)) value = container[Number(key)]
      else if (isMapping(container) && Object.hasOwn(container, key)) value = container[key]
      else throw new ValueError(`'${key}'`)
    }
    if (conv) value = conv === 's' ? pyStr(value) : pyRepr(value)
    return formatSpec(value, spec ?? '')
  })
}
