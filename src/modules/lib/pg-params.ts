// The connection params every postgresql_* module takes (Ansible's names), and the session they open.
import { z } from 'zod'
import { PghaError } from '../../errors.js'
import { psqlRefusal, withPgSession, type PgResult, type PgRow, type PgSession, type PsqlOptions } from '../../pg/index.js'
import { pgQueryFact, type FactRead, type PgQueryArgs, type PgQueryValue, type PgReadConn } from '../../facts/index.js'
import type { ModuleContext } from '../types.js'
import { bool } from './params.js'
import { absolutePathParam, hostAddressParam } from './value-kinds.js'

const SSL_MODES = ['allow', 'disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const
export type SslMode = (typeof SSL_MODES)[number]

/** Connection params (the database to connect to is each module's own: `db` or `maintenance_db`). */
export const pgConnParams = {
  login_user: z.string().min(1).default('postgres').describe('Database role to connect as.'),
  port: z.coerce.number().int().min(1).max(65535).default(5432).describe('PostgreSQL port (also names the unix socket).'),
  unix_socket_dir: absolutePathParam().optional().describe('Unix socket directory; default: /var/run/postgresql, then /tmp. Alias: login_unix_socket.'),
  login_unix_socket: absolutePathParam().optional().describe('Alias of unix_socket_dir.'),
  login_host: hostAddressParam().optional().describe('Connect over TCP to this address, as seen from the host, instead of the unix socket.'),
  bindir: absolutePathParam().optional().describe('Directory of psql on the host, used when pg_hba refuses the direct connection; default: PATH, then the usual install directories.'),
  connect_timeout: z.coerce.number().int().positive().default(5).describe('Seconds to wait for a connection.'),
  login_password: z
    .string()
    .refine((v) => !/[\n\r\0]/.test(v), 'the password is one line without NUL characters')
    .optional()
    .describe('Password of login_user, for password (scram-sha-256, md5) authentication. Never shown.'),
  ssl_mode: z.enum(SSL_MODES).default('prefer').describe('TLS towards login_host, as libpq sslmode (a unix socket never uses TLS).'),
  session_role: z.string().min(1).optional().describe('Role to SET ROLE to once connected: what the module does runs with its privileges (login_user must be a member of it).'),
  ca_cert: absolutePathParam().optional().describe('CA certificate file on the host that verifies the server (verify-ca, verify-full; with require it verifies too, as libpq does).'),
  // community.postgresql's guard against names and values that would be read as SQL: pgha quotes every one
  // of them as an identifier or a literal, so with either value nothing can be read as SQL.
  trust_input: bool(true, 'Accepted as in community.postgresql; pgha passes every name and value to PostgreSQL quoted, so none can be read as SQL whatever it says.'),
}

/** Cross-parameter rules of the connection params: verifying the server needs the CA to verify it with. */
export function sslRules(p: { ssl_mode: SslMode; ca_cert?: string }, ctx: z.RefinementCtx): void {
  if (p.ssl_mode.startsWith('verify') && p.ca_cert === undefined) ctx.addIssue({ code: 'custom', path: ['ssl_mode'], message: `ssl_mode ${p.ssl_mode} needs ca_cert, the CA certificate to verify the server with` })
}

/** Ansible's aliases of the connection params (every community.postgresql module has them). */
export const pgConnAliases: Readonly<Record<string, string>> = { login: 'login_user', login_port: 'port', host: 'login_host', unix_socket: 'login_unix_socket', ssl_rootcert: 'ca_cert' }

/** The `db` param of postgresql_query and postgresql_user. */
export const dbParam = z.string().min(1).default('postgres').describe('Database to connect to.')

/** The aliases of a module with pgConnParams and `db`. */
export const pgDbAliases: Readonly<Record<string, string>> = { ...pgConnAliases, login_db: 'db' }

/** A catalog read: in a READ ONLY transaction that is rolled back, so planning (and check mode) cannot change anything. */
export async function readRows(s: PgSession, sql: string, values: (string | null)[] = []): Promise<PgRow[]> {
  return (await s.query(sql, values, { readOnly: true })).rows
}

export interface PgConn {
  login_user: string
  port: number
  unix_socket_dir?: string
  login_unix_socket?: string
  login_host?: string
  bindir?: string
  connect_timeout: number
  login_password?: string
  ssl_mode: SslMode
  ca_cert?: string
  session_role?: string
}

/** Opens a session on the stream, or through psql as the task's become user, and runs `fn` in it. */
export async function withSession<T>(ctx: ModuleContext, p: PgConn, database: string, fn: (s: PgSession) => Promise<T>): Promise<T> {
  const conn = socketConn(p, database)
  // As community.postgresql: login_host localhost beside a socket directory means that unix socket.
  const host = p.login_host === 'localhost' && conn.socketDir !== undefined ? undefined : p.login_host
  const o: PsqlOptions = {
    ...conn,
    host,
    password: p.login_password,
    ssl: host === undefined ? undefined : { mode: p.ssl_mode, caFile: p.ca_cert, ca: p.ca_cert === undefined ? undefined : await readCa(ctx, p.ca_cert) },
  }
  return withPgSession(ctx, o, fn)
}

/** Whom and which database the params connect to, by the unix socket: all but TCP, TLS and the password. */
function socketConn(p: PgConn, database: string): PgReadConn {
  return { user: p.login_user, database, port: p.port, socketDir: p.unix_socket_dir ?? p.login_unix_socket, bindir: p.bindir, role: p.session_role, connectTimeoutMs: p.connect_timeout * 1000 }
}

/** The CA certificate on the host, which the stream route verifies with on the controller. */
async function readCa(ctx: ModuleContext, path: string): Promise<string> {
  const text = await ctx.readFile(path)
  if (text === undefined) throw new PghaError('task', `ca_cert ${path} does not exist on ${ctx.host}`)
  return text.toString('utf8')
}

/**
 * A catalog read as a fact (src/facts/pg-query.ts), which read-ahead fetches with the reads of the tasks
 * that follow: what a module's `reads` declares and its plan then asks. Undefined where the read keeps to
 * the module's own route: a password or a TCP address (never in a batch), a text psql would not take.
 */
export function pgRead(p: PgConn, database: string, sql: string, values: (string | null)[] = []): FactRead<PgQueryArgs, PgQueryValue> | undefined {
  if (p.login_password !== undefined || p.login_host !== undefined || psqlRefusal(sql) !== undefined) return undefined
  return { def: pgQueryFact, args: { conn: socketConn(p, database), sql, values } }
}

/** The declared reads of a module: its fact reads, none where a read keeps to the module's own route. */
export const pgReads = (...reads: (FactRead | undefined)[]): FactRead[] => reads.filter((r): r is FactRead => r !== undefined)

/**
 * A catalog read for a plan: the fact's answer (read ahead, or psql as the become user), else, when psql
 * could not answer, the module's own route, which fails with PostgreSQL's words.
 */
export async function planQuery(ctx: ModuleContext, p: PgConn, database: string, sql: string, values: (string | null)[] = []): Promise<PgResult> {
  const read = pgRead(p, database, sql, values)
  const answer = read && (await ctx.fact(read.def, read.args))
  if (answer?.ok) return answer.result
  return withSession(ctx, p, database, (s) => s.query(sql, values, { readOnly: true }))
}

/** The rows of planQuery. */
export async function planRows(ctx: ModuleContext, p: PgConn, database: string, sql: string, values: (string | null)[] = []): Promise<PgRow[]> {
  return (await planQuery(ctx, p, database, sql, values)).rows
}
