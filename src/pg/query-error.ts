// A query PostgreSQL refused, on either route, with the SQLSTATE it gave (when it gave one), so a caller
// can tell a write refused by a READ ONLY transaction (25006) from any other error.
import { PghaError } from '../errors.js'

/** SQLSTATE read_only_sql_transaction: the statement tried to write inside a READ ONLY transaction. */
export const READ_ONLY_VIOLATION = '25006'

export class PgQueryError extends PghaError {
  constructor(
    message: string,
    readonly sqlstate?: string,
    options?: { cause?: unknown },
  ) {
    super('task', message, options)
  }
}
