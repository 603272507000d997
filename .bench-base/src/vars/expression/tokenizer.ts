// Splits a `when` expression into tokens. Keywords (and, or, not, in, is, true...) are names here; the
// parser gives them meaning, so `is defined` and a variable called `defined` cannot be confused.
export type TokenKind = 'num' | 'str' | 'name' | 'op' | 'eof'

export interface Token {
  kind: TokenKind
  /** The source text of the token (for names and operators), or the decoded string/number value. */
  value: string
  num?: number
  pos: number
}

export class TokenError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message)
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ',', '.', '|', '-']
/** Operators of other languages users type by habit, with what this language spells instead. */
const HABITS: [string, string][] = [
  ['===', "'===' is not an operator here; use '=='"], ['!==', "'!==' is not an operator here; use '!='"],
  ['&&', "'&&' is not an operator here; use 'and'"], ['||', "'||' is not an operator here; use 'or'"],
]
const LONE: Record<string, string> = { '=': "a single '=' compares nothing; use '=='", '!': "'!' is not an operator here; use 'not'", '&': "'&' is not an operator here; use 'and'" }
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' }

/** Tokens of `text` between `start` and `end` (offsets keep counting from the start of `text`). */
export function tokenize(text: string, start = 0, end = text.length): Token[] {
  const out: Token[] = []
  let i = start
  while (i < end) {
    const c = text[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    const rest = text.slice(i, end)
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest)
    if (num) {
      out.push({ kind: 'num', value: num[0], num: Number(num[0]), pos: i })
      i += num[0].length
      continue
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)
    if (name) {
      out.push({ kind: 'name', value: name[0], pos: i })
      i += name[0].length
      continue
    }
    if (c === "'" || c === '"') {
      let value = ''
      let j = i + 1
      for (; j < end && text[j] !== c; j++) {
        if (text[j] === '\\' && j + 1 < end) value += ESCAPES[text[++j]] ?? '\\' + text[j]
        else value += text[j]
      }
      if (j >= end) throw new TokenError('unterminated string', i)
      out.push({ kind: 'str', value, pos: i })
      i = j + 1
      continue
    }
    const habit = HABITS.find(([o]) => rest.startsWith(o))
    if (habit) throw new TokenError(habit[1], i)
    const op = OPERATORS.find((o) => rest.startsWith(o))
    if (!op) throw new TokenError(LONE[c] ?? `unexpected character '${c}'`, i)
    out.push({ kind: 'op', value: op, pos: i })
    i += op.length
  }
  out.push({ kind: 'eof', value: '', pos: end })
  return out
}
