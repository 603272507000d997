// Quoting and placeholders for SQL text that pgha builds: identifiers and literals the way PostgreSQL's
// quote_ident/quote_literal write them, and Ansible's `%s` placeholders turned into bound parameters.
import { PghaError } from '../errors.js'
import { lexSql } from './sql-lexer.js'

/** "name", quoted only when PostgreSQL would need it (so descriptions stay readable). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`
}

/**
 * 'text' with quotes doubled; a value with a backslash is written E'...' with backslashes doubled too, as
 * quote_literal does, so it reads the same whether standard_conforming_strings is on or off.
 */
export function quoteLiteral(value: string | null): string {
  if (value === null) return 'NULL'
  if (value.includes('\0')) throw new PghaError('task', 'a SQL value cannot contain a NUL byte')
  const quoted = value.replace(/'/g, "''")
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`
}

/** PostgreSQL's reserved keywords (also those allowed as function or type names): always quoted. */
const RESERVED = new Set(
  [
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint',
    'create current_catalog current_date current_role current_time current_timestamp current_user default',
    'deferrable desc distinct do else end except false fetch for foreign from grant group having in',
    'initially intersect into lateral leading limit localtime localtimestamp not null offset on only or',
    'order placing primary references returning select session_user some symmetric table then to trailing',
    'true union unique user using variadic when where window with authorization binary collation',
    'concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull',
    'outer overlaps right similar tablesample verbose',
  ].join(' ').split(' '),
)

/**
 * Ansible's psycopg-style `%s` placeholders (`%%` is a literal %) -> `$1, $2...`, which both routes bind
 * as parameters: the values never become SQL text. A `%s` inside a quoted constant would not be a
 * parameter there, so it is refused rather than left for PostgreSQL to read as text.
 */
export function bindPlaceholders(query: string, values: (string | null)[]): string {
  let i = 0
  const out = lexSql(query)
    .map((piece) => {
      if (piece.kind !== 'code') {
        if (piece.kind === 'string' && /%s/.test(piece.text.replace(/%%/g, ''))) {
          throw new PghaError('task', `a %s placeholder inside a quoted constant (${piece.text.slice(0, 40)}) is not a parameter: write %s without quotes, the value is sent as a bound parameter`)
        }
        return piece.kind === 'comment' ? piece.text : piece.text.replace(/%%/g, '%')
      }
      return piece.text.replace(/%(%|s)/g, (_m, c: string) => {
        if (c === '%') return '%'
        if (i >= values.length) throw new PghaError('task', `the query has more %s placeholders than positional_args (${values.length})`)
        i++
        return `$${i}`
      })
    })
    .join('')
  if (i < values.length) throw new PghaError('task', `positional_args has ${values.length} values but the query has ${i} %s placeholders`)
  return out
}
