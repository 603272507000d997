// The one place pgha talks to PostgreSQL: the pg client over an SSH stream, psql on the host as fallback.
export { withPg, connectPg, clientQuery } from './client.js'
export { withPgSession } from './session.js'
export { psqlSession, psqlCommand, psqlScript, parsePsqlOutput, inlineValues, DEFAULT_SOCKET_DIRS } from './psql.js'
export { parseCsv } from './csv.js'
export { quoteIdent, quoteLiteral, bindPlaceholders } from './sql.js'
export { scramVerifier, passwordMatches, isVerifier } from './password.js'
export type { PgConnectOptions, PsqlOptions, PgHost, PgRow, PgResult, PgSession, QueryOptions } from './types.js'
