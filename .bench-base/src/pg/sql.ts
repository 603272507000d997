// Quoting and placeholders for SQL text that pgha builds: identifiers and literals the way PostgreSQL's
// quote_ident/quote_literal write them, and Ansible's `%s` placeholders turned into either route's form.
import { PghaError } from '../errors.js'

/** "name", quoted only when PostgreSQL would need it (so descriptions stay readable). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`
}

/** 'text' with standard_conforming_strings (on since 9.1): only quotes double. */
export function quoteLiteral(value: string | null): string {
  if (value === null) return 'NULL'
  if (value.includes('\0')) throw new PghaError('task', 'a SQL value cannot contain a NUL byte')
  return `'${value.replace(/'/g, "''")}'`
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
 * Ansible's psycopg-style `%s` placeholders (`%%` is a literal %) -> `$1, $2...` for the pg client, or
 * the values spliced in as literals for psql, which cannot bind parameters before version 16.
 */
export function bindPlaceholders(query: string, values: (string | null)[], as: 'numbered' | 'inline'): string {
  let i = 0
  const out = query.replace(/%(%|s)/g, (_m, c: string) => {
    if (c === '%') return '%'
    if (i >= values.length) throw new PghaError('task', `the query has more %s placeholders than positional_args (${values.length})`)
    i++
    return as === 'numbered' ? `$${i}` : quoteLiteral(values[i - 1])
  })
  if (i < values.length) throw new PghaError('task', `positional_args has ${values.length} values but the query has ${i} %s placeholders`)
  return out
}
