// What the pg client needs from a host and what a query returns, whichever route it takes.
import type { Duplex } from 'node:stream'
import type { ExecOptions, ExecResult, StreamTarget } from '../transport/types.js'

/** Where and as whom to connect; `host` means TCP to that address as seen from the target host. */
export interface PgConnectOptions {
  user: string
  database: string
  port: number
  /** The unix socket directory; absent: /var/run/postgresql, then /tmp (Debian's and a source build's). */
  socketDir?: string
  host?: string
  /** Fails a connection that is not ready by then (default 5000). */
  connectTimeoutMs?: number
  /** login_user's password, for password authentication; never on a command line. */
  password?: string
  /** TLS towards `host` (never on a unix socket), as libpq's sslmode, sslrootcert. */
  ssl?: PgSsl
}

/** libpq's sslmode and the CA: its file on the host (psql route) and its text (stream route). */
export interface PgSsl {
  mode: 'allow' | 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full'
  caFile?: string
  ca?: string
}

/** Options of the psql route, which runs on the host as the task's become user. */
export interface PsqlOptions extends PgConnectOptions {
  /** Directory holding psql; absent: PATH, then the usual install directories. */
  bindir?: string
  /** SET ROLE to this role once connected (Ansible's session_role): the session's queries run as it. */
  role?: string
}

/** A host as the pg client reaches it: a ModuleContext or a Transport both fit. */
export interface PgHost {
  readonly host: string
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  openStream?(target: StreamTarget): Promise<Duplex>
}

/** Values are PostgreSQL's text output ('t'/'f', numbers as text, NULL as null) on both routes. */
export type PgRow = Record<string, string | null>

export interface PgResult {
  fields: string[]
  rows: PgRow[]
  /** Rows returned or affected (INSERT/UPDATE/DELETE), as the command tag says. */
  rowCount: number
}

export interface QueryOptions {
  /** Run the text in one transaction (BEGIN ... COMMIT), rolled back when any statement fails. */
  transaction?: boolean
  /**
   * Run the text in a READ ONLY transaction that is always rolled back (BEGIN READ ONLY ... ROLLBACK), so
   * it cannot change the database: a statement that would write fails with SQLSTATE 25006.
   */
  readOnly?: boolean
}

/** One connection's worth of queries. `values` bind `$1, $2...` placeholders. */
export interface PgSession {
  /** `stream`: the pg client over the SSH stream; `psql`: psql run on the host through exec. */
  readonly route: 'stream' | 'psql'
  query(text: string, values?: (string | null)[], options?: QueryOptions): Promise<PgResult>
}
