// Python's json.dumps, as Ansible's to_json/to_nice_json call it: ', '/': ' separators (',' with an
// indent), ensure_ascii escapes, floats as Python prints them, optional sort_keys; and json.loads.
import { floatRepr, isFloat, isMapping, isNumber, num, pyCompare, PyFloat, ValueError } from './values.js'

export interface DumpOptions {
  indent?: number | string
  sortKeys?: boolean
  separators?: [string, string]
  ensureAscii?: boolean
}

function quote(s: string, ensureAscii: boolean): string {
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0) as number
    const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' }
    if (esc[ch]) out += esc[ch]
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      if (code > 0xffff) {
        const v = code - 0x10000
        out += `\\u${(0xd800 + (v >> 10)).toString(16).padStart(4, '0')}\\u${(0xdc00 + (v & 0x3ff)).toString(16).padStart(4, '0')}`
      } else out += `\\u${code.toString(16).padStart(4, '0')}`
    } else out += ch
  }
  return out + '"'
}

/** json.dumps(value, ...). */
export function jsonDumps(value: unknown, opts: DumpOptions = {}): string {
  const indent = opts.indent === undefined || opts.indent === null ? undefined : typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : opts.indent
  const [itemSep, keySep] = opts.separators ?? (indent === undefined ? [', ', ': '] : [',', ': '])
  const ascii = opts.ensureAscii ?? true
  const dump = (v: unknown, level: number): string => {
    if (typeof v === 'string') return quote(v, ascii)
    if (v === null || v === undefined) return 'null'
    if (v === true) return 'true'
    if (v === false) return 'false'
    if (isNumber(v)) {
      const x = num(v)
      if (Number.isNaN(x)) return 'NaN'
      if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity'
      return isFloat(v) ? floatRepr(x) : String(x)
    }
    const nl = indent === undefined ? '' : '\n' + indent.repeat(level + 1)
    const end = indent === undefined ? '' : '\n' + indent.repeat(level)
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]'
      return `[${nl}${v.map((x) => dump(x, level + 1)).join(itemSep + nl)}${end}]`
    }
    if (isMapping(v)) {
      let entries = Object.entries(v)
      if (entries.length === 0) return '{}'
      if (opts.sortKeys) entries = entries.sort(([a], [b]) => pyCompare(a, b))
      return `{${nl}${entries.map(([k, x]) => quote(k, ascii) + keySep + dump(x, level + 1)).join(itemSep + nl)}${end}}`
    }
    throw new ValueError(`Object of type ${typeof v} is not JSON serializable`)
  }
  return dump(value, 0)
}

/** json.loads: floats keep being floats (`1.0` is 1.0), NaN and Infinity are accepted as Python does. */
export function jsonLoads(text: string): unknown {
  const s = text.replace(/\bNaN\b|-?\bInfinity\b/g, (m) => `"\u0000${m}"`)
  let parsed: unknown
  try {
    parsed = JSON.parse(s, function (this: unknown, _key, value: unknown) {
      if (typeof value === 'string' && value.startsWith('\u0000')) return value === '\u0000NaN' ? NaN : value.startsWith('\u0000-') ? -Infinity : Infinity
      return value
    })
  } catch (err) {
    throw new ValueError(`Expecting value: ${(err as Error).message}`)
  }
  return markFloats(parsed, text)
}

/** JSON.parse loses `1.0` vs `1`; numbers written with a fraction or exponent become floats again. */
function markFloats(v: unknown, text: string): unknown {
  if (!/[.eE]/.test(text)) return v
  const floats = [...text.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g)].filter((m) => m[1] !== undefined).map((m) => /[.eE]/.test(m[1] as string))
  let i = 0
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number') return floats[i++] && Number.isInteger(x) ? new PyFloat(x) : x
    if (Array.isArray(x)) return x.map(walk)
    if (isMapping(x)) {
      const out: Record<string, unknown> = {}
      for (const [k, y] of Object.entries(x)) out[k] = walk(y)
      return out
    }
    return x
  }
  return walk(v)
}
