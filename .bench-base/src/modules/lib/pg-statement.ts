// What a SQL text does, read from its leading keywords: a read (runs in plan and in check mode), a DML
// statement (changed when it touched rows) or anything else (changed). Not a parser: string literals
// that contain keywords can only make a read look like a change, never the reverse for DML verbs.

export type StatementKind = 'read' | 'dml' | 'other'

const READ = new Set(['SELECT', 'SHOW', 'VALUES', 'TABLE', 'EXPLAIN', 'WITH'])
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE'])

/** The kind of the whole text: `read` only when every statement in it reads. */
export function statementKind(sql: string): StatementKind {
  const kinds = splitStatements(stripComments(sql)).map(oneKind)
  if (kinds.length === 0) return 'read'
  if (kinds.every((k) => k === 'read')) return 'read'
  return kinds.length === 1 ? kinds[0] : 'other'
}

/** The first keyword, for descriptions that must not show the query (it may hold a password). */
export function statementVerb(sql: string): string {
  return /^[\s(]*([A-Za-z]+)/.exec(stripComments(sql))?.[1]?.toUpperCase() ?? 'SQL'
}

function oneKind(stmt: string): StatementKind {
  const verb = statementVerb(stmt)
  if (DML.has(verb)) return 'dml'
  if (!READ.has(verb)) return 'other'
  const rest = stmt.replace(/'(?:[^']|'')*'/g, "''")
  if (verb === 'WITH' && /\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(rest)) return 'dml'
  if (verb === 'SELECT' && /\bINTO\b/i.test(rest)) return 'other'
  if (verb === 'EXPLAIN' && /\bANALY[SZ]E\b/i.test(rest)) return 'other'
  return 'read'
}

function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ')
}

function splitStatements(sql: string): string[] {
  return sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}
