// POSIX shell-like word splitting, as Python's shlex.split(line, comments=True) does it for Ansible's INI
// host lines: quotes group words, backslash escapes, `#` starts a comment (even inside a word).
// Each token keeps the 0-based offset where it starts so errors can point at it.

export interface Token {
  text: string
  offset: number
}

export class ShlexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message)
  }
}

export function shlexSplit(line: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < line.length) {
    const c = line[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === '#') break
    const start = i
    let text = ''
    let comment = false
    while (i < line.length && !/\s/.test(line[i])) {
      const ch = line[i]
      if (ch === '#') {
        comment = true
        break
      }
      if (ch === '\\') {
        // An escaped newline-less end of line keeps nothing, as shlex does.
        if (i + 1 < line.length) text += line[i + 1]
        i += 2
      } else if (ch === "'" || ch === '"') {
        const close = quoted(ch)
        text += close.text
        i = close.end
      } else {
        text += ch
        i++
      }
    }
    tokens.push({ text, offset: start })
    if (comment) break
  }
  return tokens

  /** Reads a quoted run starting at `i`; inside double quotes only `\"` and `\\` are escapes. */
  function quoted(q: string): { text: string; end: number } {
    let j = i + 1
    let text = ''
    while (j < line.length && line[j] !== q) {
      if (q === '"' && line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++
      text += line[j]
      j++
    }
    if (j >= line.length) throw new ShlexError('no closing quotation', i)
    return { text, end: j + 1 }
  }
}
