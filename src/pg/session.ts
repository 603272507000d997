// One way in for the postgres modules: the pg client over the transport's stream when PostgreSQL lets the
// SSH login user in, else psql on the host as the task's become user. Why both: the stream needs no shell
// and keeps one connection for all of a task's queries, but under Debian's default pg_hba (`peer`) only
// the OS user postgres may log in as postgres, which `sudo -u postgres psql` is and the SSH login is not.
import { PghaError } from '../errors.js'
import { clientQuery, connectPg } from './client.js'
import { psqlSession } from './psql.js'
import { quoteIdent } from './sql.js'
import type { PgHost, PgSession, PsqlOptions } from './types.js'

/** Runs `fn` with a session on the best route; query errors propagate, only connect errors fall back. */
export async function withPgSession<T>(host: PgHost, o: PsqlOptions, fn: (s: PgSession) => Promise<T>): Promise<T> {
  let client
  if (host.openStream) {
    try {
      client = await connectPg(host, o)
    } catch (err) {
      if (!(err instanceof PghaError)) throw err
    }
  }
  if (!client) return fn(psqlSession(host, o))
  try {
    if (o.role !== undefined) await clientQuery(client, `SET ROLE ${quoteIdent(o.role)}`, [], {})
    return await fn({ route: 'stream', query: (text, values, opts) => clientQuery(client, text, values, opts) })
  } finally {
    await client.end().catch(() => undefined)
  }
}
