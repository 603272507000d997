// SQL text cut into what PostgreSQL's scanner (and psql's, which follows it) sees: code, string constants
// ('...', E'...' with backslash escapes, $tag$...$tag$), quoted identifiers and comments (-- and nested
// /* */). What pgha decides from SQL text is decided on the code alone: which statements a text holds and
// what they start with (check mode's reads), where a %s placeholder is (never inside a constant), and
// whether psql would read a backslash as one of its own commands. Not a parser: keywords are not read here.

export type SqlPieceKind = 'code' | 'string' | 'ident' | 'comment'

export interface SqlPiece {
  kind: SqlPieceKind
  text: string
}

export interface LexOptions {
  /**
   * standard_conforming_strings: with it on (PostgreSQL's default since 9.1) a backslash in '...' is an
   * ordinary character; with it off it escapes the next one. Decisions about safety read the text both ways.
   */
  standardStrings?: boolean
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/

export function lexSql(sql: string, o: LexOptions = {}): SqlPiece[] {
  const standard = o.standardStrings ?? true
  const pieces: SqlPiece[] = []
  let code = ''
  const flush = () => {
    if (code !== '') pieces.push({ kind: 'code', text: code })
    code = ''
  }
  const push = (kind: SqlPieceKind, text: string) => {
    flush()
    pieces.push({ kind, text })
  }
  let i = 0
  while (i < sql.length) {
    const c = sql[i]
    const next = sql[i + 1]
    const prev = i > 0 ? sql[i - 1] : ''
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end < 0 ? sql.length : end
      push('comment', sql.slice(i, stop))
      i = stop
    } else if (c === '/' && next === '*') {
      const stop = blockCommentEnd(sql, i)
      push('comment', sql.slice(i, stop))
      i = stop
    } else if (c === "'") {
      // E'...' (and e'...') escape with backslashes; so does '...' without standard_conforming_strings.
      const extended = /[eE]/.test(prev) && !IDENT_CHAR.test(sql[i - 2] ?? '')
      if (extended) code = code.slice(0, -1)
      const stop = quotedEnd(sql, i, "'", extended || !standard)
      push('string', sql.slice(extended ? i - 1 : i, stop))
      i = stop
    } else if (c === '"') {
      const stop = quotedEnd(sql, i, '"', false)
      push('ident', sql.slice(i, stop))
      i = stop
    } else if (c === '$' && !IDENT_CHAR.test(prev)) {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i))
      if (tag && (tag[1] === undefined || IDENT_START.test(tag[1][0]))) {
        const end = sql.indexOf(tag[0], i + tag[0].length)
        const stop = end < 0 ? sql.length : end + tag[0].length
        push('string', sql.slice(i, stop))
        i = stop
      } else {
        code += c
        i++
      }
    } else {
      code += c
      i++
    }
  }
  flush()
  return pieces
}

/** The index after a quoted run starting at `start`: a doubled quote stays inside; `backslash` escapes the next character. */
function quotedEnd(sql: string, start: number, quote: string, backslash: boolean): number {
  let i = start + 1
  while (i < sql.length) {
    const c = sql[i]
    if (backslash && c === '\\') i += 2
    else if (c === quote && sql[i + 1] === quote) i += 2
    else if (c === quote) return i + 1
    else i++
  }
  return sql.length
}

/** The index after a /* comment, which nests in PostgreSQL. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0
  let i = start
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2 }
    else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return sql.length
}

/**
 * The statements of a text, each with its code only, split where the code has a ';': a constant stands as
 * '', a comment as a space, a quoted identifier as its name (so `"dblink_exec"(...)` still names the
 * function). Empty statements are left out.
 */
export function sqlStatements(sql: string, o: LexOptions = {}): string[] {
  const out: string[] = []
  let current = ''
  for (const p of lexSql(sql, o)) {
    if (p.kind !== 'code') {
      current += p.kind === 'string' ? " '' " : p.kind === 'ident' ? ` ${p.text.slice(1, -1).replace(/""/g, '"')} ` : ' '
      continue
    }
    const parts = p.text.split(';')
    current += parts[0]
    for (const part of parts.slice(1)) {
      out.push(current)
      current = part
    }
  }
  out.push(current)
  return out.map((s) => s.trim()).filter((s) => s !== '')
}

/** True when psql would read a backslash in the text as a meta-command (`\!` runs a shell), either way of reading strings. */
export function hasPsqlBackslash(sql: string): boolean {
  return [true, false].some((standardStrings) => lexSql(sql, { standardStrings }).some((p) => p.kind === 'code' && p.text.includes('\\')))
}

/**
 * True when the text ends inside a constant, a quoted identifier or a block comment, either way of reading
 * strings: psql would read what pgha writes after it (the values it binds, its markers, the next read of a
 * batch) as part of it, and the rest of that as SQL, so a bound value could become a statement.
 */
export function endsInsideQuote(sql: string): boolean {
  return [true, false].some((standardStrings) => lexSql(`${sql}\n`, { standardStrings }).at(-1)?.kind !== 'code')
}
