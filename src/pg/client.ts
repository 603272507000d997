// The pg client over a stream the transport opens on the host (ssh2 direct-streamlocal to PostgreSQL's
// unix socket, or direct-tcpip to login_host): no database port is opened towards the controller. The
// connection reaches PostgreSQL as a local connection of the SSH login user, so pg_hba must trust it
// (`local all all trust`, initdb's default without --auth) or the login user must be the database user
// under `peer`; otherwise it is refused and session.ts falls back to psql.
import type { Duplex } from 'node:stream'
import type tls from 'node:tls'
import type pg from 'pg'
import { PghaError } from '../errors.js'
import type { StreamTarget } from '../transport/types.js'
import { DEFAULT_SOCKET_DIRS } from './psql.js'
import { PgQueryError } from './query-error.js'
import type { PgConnectOptions, PgHost, PgResult, PgRow, QueryOptions } from './types.js'

/** Every value as PostgreSQL's text output, so both routes return the same thing. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value }

/** Connects, runs `fn`, and always closes the client. Throws PghaError when no connection is made. */
export async function withPg<T>(host: Pick<PgHost, 'host' | 'openStream'>, o: PgConnectOptions, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectPg(host, o)
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * Opens the stream (trying each socket directory) and completes PostgreSQL's startup on it, with TLS as
 * o.ssl asks: each TLS setting libpq's sslmode would try, in its order, on a fresh stream.
 */
export async function connectPg(host: Pick<PgHost, 'host' | 'openStream'>, o: PgConnectOptions): Promise<pg.Client> {
  const attempts = tlsAttempts(o)
  const errors: PghaError[] = []
  for (const ssl of attempts) {
    try {
      return await connectOnce(host, o, ssl)
    } catch (err) {
      if (!(err instanceof PghaError)) throw err
      errors.push(err)
    }
  }
  throw errors.length === 1 ? errors[0] : new PghaError('task', errors.map((e) => e.message).join('; '), { cause: errors[errors.length - 1] })
}

/** libpq's sslmode as the TLS settings to try in turn (false: no TLS); a unix socket never uses TLS. */
export function tlsAttempts(o: PgConnectOptions): (false | tls.ConnectionOptions)[] {
  if (!o.ssl || !o.host) return [false]
  const loose = { rejectUnauthorized: false }
  const verifyCa = { ca: o.ssl.ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
  switch (o.ssl.mode) {
    case 'disable': return [false]
    case 'allow': return [false, loose]
    case 'prefer': return [loose, false]
    // With a root certificate libpq's require verifies the server's chain too.
    case 'require': return [o.ssl.ca === undefined ? loose : verifyCa]
    case 'verify-ca': return [verifyCa]
    case 'verify-full': return [{ ca: o.ssl.ca, rejectUnauthorized: true }]
  }
}

async function connectOnce(host: Pick<PgHost, 'host' | 'openStream'>, o: PgConnectOptions, ssl: false | tls.ConnectionOptions): Promise<pg.Client> {
  if (!host.openStream) throw new PghaError('task', `the transport of ${host.host} cannot open streams`)
  const timeoutMs = o.connectTimeoutMs ?? 5000
  const targets: StreamTarget[] = o.host
    ? [{ host: o.host, port: o.port }]
    : (o.socketDir ? [o.socketDir] : DEFAULT_SOCKET_DIRS).map((d) => ({ socketPath: `${d}/.s.PGSQL.${o.port}` }))
  let stream: Duplex | undefined
  const errors: string[] = []
  for (const target of targets) {
    try {
      stream = await withTimeout(host.openStream(target), timeoutMs, `opening a stream on ${host.host}`)
      break
    } catch (err) {
      errors.push((err as Error).message)
    }
  }
  if (!stream) throw new PghaError('task', errors.join('; '))
  // Loaded on first use: most runs never open a database session, and pg costs a quarter second to load.
  const { default: { Client } } = await import('pg')
  const client = new Client({
    user: o.user,
    database: o.database,
    password: o.password,
    // The host TLS verifies the server's name against (verify-full); the stream is already open.
    host: o.host,
    ssl,
    stream: () => asSocket(stream!) as never,
    connectionTimeoutMillis: timeoutMs,
    types: TEXT_TYPES,
  })
  // A server-side drop after connect must not crash the process; the pending query rejects instead.
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (err) {
    stream.destroy()
    const how = ssl ? ' over TLS' : o.ssl && o.host ? ' without TLS' : ''
    throw new PghaError('task', `cannot connect to PostgreSQL on ${host.host} as ${o.user}${how}: ${(err as Error).message}`, { cause: err })
  }
  return client
}

/** Runs one query with text values; several statements in one text return the last result. */
export async function clientQuery(client: pg.Client, text: string, values: (string | null)[] = [], opts: QueryOptions = {}): Promise<PgResult> {
  if (!opts.transaction && !opts.readOnly) return runQuery(client, text, values)
  await runQuery(client, opts.readOnly ? 'BEGIN READ ONLY' : 'BEGIN')
  try {
    const r = await runQuery(client, text, values)
    await runQuery(client, opts.readOnly ? 'ROLLBACK' : 'COMMIT')
    return r
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw err
  }
}

async function runQuery(client: pg.Client, text: string, values: (string | null)[] = []): Promise<PgResult> {
  const r = (await client.query(values.length > 0 ? { text, values } : text).catch((err: Error) => {
    throw new PgQueryError(`ERROR:  ${err.message}`, (err as { code?: string }).code, { cause: err })
  })) as pg.QueryResult | pg.QueryResult[]
  const last = Array.isArray(r) ? r[r.length - 1] : r
  const fields = (last.fields ?? []).map((f) => f.name)
  return { fields, rows: (last.rows ?? []) as PgRow[], rowCount: last.rowCount ?? 0 }
}

/** pg calls connect/setNoDelay/setKeepAlive on its stream as on a net.Socket; ours is already open. */
function asSocket(stream: Duplex): Duplex {
  return Object.assign(stream, {
    connect() {
      process.nextTick(() => stream.emit('connect'))
      return stream
    },
    setNoDelay: () => stream,
    setKeepAlive: () => stream,
  })
}

/** A stream that opens after its deadline is destroyed, not leaked. */
function withTimeout(p: Promise<Duplex>, ms: number, what: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let late = false
    const timer = setTimeout(() => {
      late = true
      reject(new Error(`${what} timed out after ${ms} ms`))
    }, ms)
    p.then(
      (s) => (late ? s.destroy() : (clearTimeout(timer), resolve(s))),
      (err: unknown) => (clearTimeout(timer), reject(err)),
    )
  })
}
