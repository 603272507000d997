// Splits Jinja2 text into tokens as Jinja2's lexer does: template data, `{{ }}` and `{% %}` tags with
// their expression tokens, comments dropped, `{% raw %}` kept as data, whitespace control (`{%-`, `-%}`)
// and trim_blocks (the newline after a block tag or comment is dropped, as Ansible configures Jinja2).
// Every token keeps its offset in the text, for errors at file:line:col.
import { JinjaError } from './errors.js'

export type TokenKind = 'data' | 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'name' | 'string' | 'int' | 'float' | 'op' | 'eof'

export interface Token {
  kind: TokenKind
  /** Data text, a name, an operator, a string's decoded value or a number's source text. */
  value: string
  pos: number
}

export interface LexOptions {
  /** Drop the first newline after a block tag (Ansible: true). */
  trimBlocks: boolean
  /**
   * Ansible's playbook strings: backslashes in string literals inside `{{ }}` are taken literally, so a
   * YAML `"\\1"` reaches regex_replace as `\1` (Ansible doubles them before Jinja2 reads the string).
   */
  literalBackslashes: boolean
}

const OPERATORS = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';']
/** Operators of other languages typed by habit, with the Jinja2 spelling. */
const HABITS: [string, string][] = [
  ['===', "use '=='"],
  ['!==', "use '!='"],
  ['&&', "use 'and'"],
  ['||', "use 'or'"],
]
const FLOAT = /(\d+_)*\d+((\.(\d+_)*\d+)?[eE][+-]?(\d+_)*\d+|\.(\d+_)*\d+)/y
const INTEGER = /(0[bB](_?[01])+|0[oO](_?[0-7])+|0[xX](_?[\da-fA-F])+|[1-9](_?\d)*|0(_?0)*)/y
const NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y
const STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy
const WHITESPACE = /\s+/y
const TAG_START = /\{\{|\{%|\{#/g
const RAW_BEGIN = /\{%[-+]?\s*raw\s*(-%\}\s*|%\})/y
const normalizeNewlines = (s: string): string => s.replace(/\r\n|\r/g, '\n')

function sticky(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at
  return re.exec(text)?.[0]
}

/** Python's unicode-escape decoding of a string literal's body, as Jinja2 reads string literals. */
export function unescapePython(body: string, pos: number): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c !== '\\' || i + 1 >= body.length) {
      out += c
      continue
    }
    const n = body[++i]
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' }
    if (n in simple) out += simple[n]
    else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))?.[0] as string
      out += String.fromCodePoint(parseInt(oct, 8))
      i += oct.length - 1
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8
      const hex = body.slice(i + 1, i + 1 + len)
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new JinjaError(`truncated \\${n} escape in a string`, pos, true)
      out += String.fromCodePoint(parseInt(hex, 16))
      i += len
    } else out += '\\' + n
  }
  return out
}

/** Expression tokens from `at` until the tag's end (`end` names it: '}}' or '%}'); returns where it stopped. */
function lexTag(text: string, at: number, end: string | undefined, opts: LexOptions, inVariable: boolean, out: Token[], tagStart = at): { next: number; strip: boolean; trim: boolean } {
  let i = at
  const stop = text.length
  /** Open brackets: a `}}` inside `{'a': {'b': 1}}` closes a dict, not the tag. */
  const balance: string[] = []
  while (i < stop) {
    if (end && balance.length === 0) {
      const sign = text[i] === '-' || text[i] === '+' ? text[i] : ''
      if (text.startsWith(end, i + sign.length)) {
        out.push({ kind: end === '}}' ? 'var_end' : 'block_end', value: end, pos: i })
        return { next: i + sign.length + end.length, strip: sign === '-', trim: sign === '' && end === '%}' }
      }
    }
    const ws = sticky(WHITESPACE, text, i)
    if (ws) {
      i += ws.length
      continue
    }
    const f = /\d/.test(text[i]) && text[i - 1] !== '.' ? sticky(FLOAT, text, i) : undefined
    if (f) {
      out.push({ kind: 'float', value: f, pos: i })
      i += f.length
      continue
    }
    const n = /\d/.test(text[i]) ? sticky(INTEGER, text, i) : undefined
    if (n) {
      out.push({ kind: 'int', value: n, pos: i })
      i += n.length
      continue
    }
    const name = sticky(NAME, text, i)
    if (name) {
      out.push({ kind: 'name', value: name, pos: i })
      i += name.length
      continue
    }
    if (text[i] === "'" || text[i] === '"') {
      const s = sticky(STRING, text, i)
      if (!s) throw new JinjaError('unexpected end of string: the quote is never closed', i, true)
      const body = normalizeNewlines(s.slice(1, -1))
      if (opts.literalBackslashes && inVariable) {
        const escapedQuote = /\\./g
        for (const m of body.matchAll(escapedQuote)) {
          if (m[0][1] === s[0]) {
            throw new JinjaError(`in a playbook string, a backslash inside {{ }} is taken literally (as Ansible does), so \\${s[0]} does not escape the quote; use the other quote character`, i + 1 + (m.index ?? 0), true)
          }
        }
      }
      out.push({ kind: 'string', value: opts.literalBackslashes && inVariable ? body : unescapePython(body, i), pos: i })
      i += s.length
      continue
    }
    const habit = HABITS.find(([h]) => text.startsWith(h, i))
    if (habit) throw new JinjaError(`'${habit[0]}' is not an operator in Jinja2; ${habit[1]}`, i, true)
    const op = OPERATORS.find((o) => text.startsWith(o, i))
    if (!op) throw new JinjaError(text[i] === '!' ? "'!' is not an operator in Jinja2; use 'not'" : `unexpected character '${text[i]}'`, i, true)
    if (op === '{' || op === '(' || op === '[') balance.push(op === '{' ? '}' : op === '(' ? ')' : ']')
    else if (op === '}' || op === ')' || op === ']') {
      const expected = balance.pop()
      if (expected === undefined) throw new JinjaError(`unexpected '${op}'`, i, true)
      if (expected !== op) throw new JinjaError(`unexpected '${op}', expected '${expected}'`, i, true)
    }
    out.push({ kind: 'op', value: op, pos: i })
    i += op.length
  }
  if (end) throw new JinjaError(`'${end === '}}' ? '{{' : '{%'}' is never closed; add '${end}'`, tagStart, true)
  return { next: i, strip: false, trim: false }
}

/** The tokens of one expression (a `when` condition): `text` from `start` to `end`. */
export function lexExpression(text: string, start = 0, end = text.length): Token[] {
  const out: Token[] = []
  lexTag(text.slice(0, end), start, undefined, { trimBlocks: false, literalBackslashes: false }, false, out)
  out.push({ kind: 'eof', value: '', pos: end })
  return out
}

/** The tokens of a template. */
export function lexTemplate(source: string, opts: LexOptions): Token[] {
  // Jinja2 drops one trailing newline of the template (keep_trailing_newline=False).
  const text = source.replace(/(\r\n|\r|\n)$/, '')
  const out: Token[] = []
  let i = 0
  /** Strip leading whitespace of the next data (a `-%}` before it), or drop one newline (trim_blocks). */
  let lstrip: 'none' | 'all' | 'newline' = 'none'
  const data = (from: number, to: number, rstrip: boolean): void => {
    let s = text.slice(from, to)
    let at = from
    if (lstrip === 'all') {
      const t = s.replace(/^\s+/, '')
      at += s.length - t.length
      s = t
    } else if (lstrip === 'newline' && s.startsWith('\n')) {
      s = s.slice(1)
      at++
    }
    lstrip = 'none'
    if (rstrip) s = s.replace(/\s+$/, '')
    if (s !== '') out.push({ kind: 'data', value: normalizeNewlines(s), pos: at })
  }
  TAG_START.lastIndex = 0
  while (i < text.length) {
    TAG_START.lastIndex = i
    const m = TAG_START.exec(text)
    if (!m) {
      data(i, text.length, false)
      break
    }
    const at = m.index
    const sign = text[at + 2] === '-' || text[at + 2] === '+' ? text[at + 2] : ''
    const inner = at + 2 + sign.length
    const raw = m[0] === '{%' ? sticky(RAW_BEGIN, text, at) : undefined
    data(i, at, sign === '-')
    if (raw) {
      const close = /\{%([-+]?)\s*endraw\s*(\+%\}|-%\}\s*|%\}\n?)/g
      close.lastIndex = at + raw.length
      const e = close.exec(text)
      if (!e) throw new JinjaError("'{% raw %}' is never closed; add '{% endraw %}'", at, true)
      if (raw.includes('-%}')) lstrip = 'all'
      data(at + raw.length, e.index, e[1] === '-')
      i = e.index + e[0].length
      if (!opts.trimBlocks && e[2].startsWith('%}') && e[2].endsWith('\n')) i--
      continue
    }
    if (m[0] === '{#') {
      const close = /(\+#\}|-#\}\s*|#\}\n?)/g
      close.lastIndex = inner
      const e = close.exec(text)
      if (!e) throw new JinjaError("a comment '{#' is never closed; add '#}'", at, true)
      i = e.index + e[0].length
      if (!opts.trimBlocks && e[0].startsWith('#}') && e[0].endsWith('\n')) i--
      continue
    }
    const variable = m[0] === '{{'
    out.push({ kind: variable ? 'var_begin' : 'block_begin', value: m[0], pos: at })
    const end = variable ? '}}' : '%}'
    const tag = lexTag(text, inner, end, opts, variable, out, at)
    i = tag.next
    if (tag.strip) lstrip = 'all'
    else if (tag.trim && opts.trimBlocks) lstrip = 'newline'
  }
  out.push({ kind: 'eof', value: '', pos: source.length })
  return out
}
