// Ansible parses INI inventory values with Python's ast.literal_eval and keeps the text when that fails.
// This is the subset that matters for inventories: numbers (not `0123`, which Python refuses), strings,
// True/False/None, lists, tuples, sets and dicts. `true`, `yes`, `FALSE` stay strings, as in Ansible.

const FAIL = Symbol('not a literal')

/** The value Ansible would get from an INI value: its Python literal, or the text itself. */
export function iniValue(text: string): unknown {
  const v = parseLiteral(text)
  return v === FAIL ? text : v
}

function parseLiteral(src: string): unknown {
  let i = 0
  try {
    skip()
    if (i >= src.length) return FAIL
    const first = value()
    skip()
    // A bare `1, 2` is a tuple in Python.
    if (src[i] === ',') {
      const items = [first]
      while (src[i] === ',') {
        i++
        skip()
        if (i >= src.length) break
        items.push(value())
        skip()
      }
      return i >= src.length ? items : FAIL
    }
    return i >= src.length ? first : FAIL
  } catch {
    return FAIL
  }

  function skip(): void {
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++
      if (src[i] !== '#') return
      while (i < src.length && src[i] !== '\n') i++
    }
  }

  function fail(): never {
    throw new Error('not a literal')
  }

  function value(): unknown {
    const c = src[i]
    if (c === '[') return seq(']')
    if (c === '(') return seq(')')
    if (c === '{') return braces()
    if (c === '+' || c === '-') {
      i++
      skip()
      const n = value()
      if (typeof n !== 'number') fail()
      return c === '-' ? -n : n
    }
    const str = /^[rRbBuU]{0,2}['"]/.exec(src.slice(i))
    if (str) return strings()
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))
    if (word) {
      i += word[0].length
      if (word[0] === 'True') return true
      if (word[0] === 'False') return false
      if (word[0] === 'None') return null
      fail()
    }
    return number()
  }

  function number(): number {
    const rest = src.slice(i)
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+/.exec(rest) ??
      /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?/.exec(rest)
    if (!m) fail()
    const text = m[0].replace(/_/g, '')
    i += m[0].length
    if (/^[A-Za-z0-9_.]/.test(src.slice(i))) fail() // 1j, 12abc, 1.2.3
    if (/^0[xob]/i.test(text)) return Number(text)
    // Python 3 refuses leading zeros on integers (`0123`), so those stay text.
    if (/^0+[1-9]/.test(text) && !/[.eE]/.test(text)) fail()
    return Number(text)
  }

  function strings(): string {
    // Adjacent literals concatenate: 'a' "b" == 'ab'.
    let out = ''
    do {
      out += oneString()
      skip()
    } while (/^[rRbBuU]{0,2}['"]/.test(src.slice(i)))
    return out
  }

  function oneString(): string {
    const prefix = /^[rRbBuU]{0,2}/.exec(src.slice(i))![0]
    if (/[^rRbBuU]|([rR].*[rR])|([bBuU].*[bBuU])/.test(prefix)) fail()
    i += prefix.length
    const raw = /[rR]/.test(prefix)
    const q = src.startsWith(src[i].repeat(3), i) ? src[i].repeat(3) : src[i]
    i += q.length
    let out = ''
    while (!src.startsWith(q, i)) {
      if (i >= src.length || (q.length === 1 && src[i] === '\n')) fail()
      if (src[i] === '\\' && !raw) {
        out += escape()
      } else if (src[i] === '\\') {
        out += src.slice(i, i + 2)
        i += 2
      } else {
        out += src[i++]
      }
    }
    i += q.length
    return out
  }

  function escape(): string {
    const c = src[i + 1]
    i += 2
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' }
    if (c in simple) return simple[c]
    const hex = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0
    if (hex) {
      const digits = src.slice(i, i + hex)
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) fail()
      i += hex
      return String.fromCodePoint(parseInt(digits, 16))
    }
    return `\\${c}`
  }

  function seq(close: string): unknown[] {
    i++
    const items: unknown[] = []
    skip()
    while (src[i] !== close) {
      items.push(value())
      skip()
      if (src[i] === ',') {
        i++
        skip()
      } else if (src[i] !== close) fail()
    }
    i++
    return items
  }

  function braces(): unknown {
    i++
    skip()
    const dict: Record<string, unknown> = {}
    const set: unknown[] = []
    let kind: 'dict' | 'set' | undefined
    while (src[i] !== '}') {
      const key = value()
      skip()
      if (src[i] === ':') {
        if (kind === 'set') fail()
        kind = 'dict'
        i++
        skip()
        dict[String(key)] = value()
        skip()
      } else {
        if (kind === 'dict') fail()
        kind = 'set'
        if (!set.includes(key)) set.push(key)
      }
      if (src[i] === ',') {
        i++
        skip()
      } else if (src[i] !== '}') fail()
    }
    i++
    return kind === 'set' ? set : dict
  }
}
