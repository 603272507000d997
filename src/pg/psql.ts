// The psql route: one `psql` run on the host as the task's become user (peer authentication as postgres
// works on any fresh server), the SQL on stdin so no value shows in a process list, the result as CSV
// framed by random markers, NULL told apart from '' by a random null string. Values are bound as the
// stream route binds them: the statement is PREPAREd with its $1, $2... and EXECUTEd with the values as
// constants pgha writes itself, so no value is ever read as SQL text or as a psql command.
import { randomBytes } from 'node:crypto'
import { PghaError } from '../errors.js'
import { dbnameArg, shq } from '../shell/index.js'
import { parseCsv } from './csv.js'
import { PgQueryError } from './query-error.js'
import { endsInsideQuote, hasPsqlBackslash } from './sql-lexer.js'
import { memoByText } from '../text-memo.js'
import { quoteIdent, quoteLiteral } from './sql.js'
import type { PgHost, PgResult, PgRow, PgSession, PsqlOptions, QueryOptions } from './types.js'

export const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/tmp']
/** Where psql lives when it is not on sudo's PATH (a source build, PGDG's EL packages, Debian's). */
const PSQL_DIRS = ['/usr/local/pgsql/bin', '/usr/pgsql-*/bin', '/usr/lib/postgresql/*/bin']

/** The sh command: find psql and the socket directory, then run the script from stdin. */
export function psqlCommand(o: PsqlOptions): string {
  const find = o.bindir
    ? `p=${shq(`${o.bindir.replace(/\/$/, '')}/psql`)}`
    // A psql on the PATH that cannot run is passed over: Debian's pg_wrapper (postgresql-common, which
    // pgBackRest's package pulls in) without any postgresql-client-<N>, beside a server built from source.
    : `p=$(command -v psql || true); "$p" --version >/dev/null 2>&1 || p=$(ls -d ${PSQL_DIRS.map((d) => `${d}/psql`).join(' ')} 2>/dev/null | tail -n 1)`
  const dirs = o.socketDir ? [o.socketDir] : DEFAULT_SOCKET_DIRS
  const host = o.host
    ? `h=${shq(o.host)}`
    : `h=${dirs[0]}; for d in ${dirs.join(' ')}; do if [ -S "$d/.s.PGSQL.${o.port}" ]; then h=$d; break; fi; done`
  const timeout = Math.max(1, Math.ceil((o.connectTimeoutMs ?? 5000) / 1000))
  // The password is the first line of stdin, read into psql's environment: never in a command line.
  const password = o.password === undefined ? '' : 'IFS= read -r PGPASSWORD && export PGPASSWORD; '
  const ssl = o.ssl && o.host ? `PGSSLMODE=${o.ssl.mode} ${o.ssl.caFile === undefined ? '' : `PGSSLROOTCERT=${shq(o.ssl.caFile)} `}` : ''
  // A -d value holding '=' would be read as a conninfo: such a database name goes as dbname=...
  return `${find}; ${host}; ${password}${ssl}PGCONNECT_TIMEOUT=${timeout} "\${p:-psql}" -X -w -q --csv -v ON_ERROR_STOP=1 -h "$h" -p ${o.port} -U ${shq(o.user)} -d ${shq(dbnameArg(o.database))} -f -`
}

/** The name the psql route prepares a statement with values under. */
const PREPARED = 'pgha_statement'

/**
 * The script fed to psql: the statement between markers, then the rows it returned or touched. With
 * values, the statement is prepared and executed with them; `readOnly` runs it in a READ ONLY
 * transaction that is rolled back, `transaction` in one that commits. Errors name their SQLSTATE
 * (VERBOSITY verbose), which psqlError reads and takes out again.
 */
export function psqlScript(sql: string, token: string, o: QueryOptions = {}, values: (string | null)[] = []): string {
  const [begin, end] = o.readOnly ? ['BEGIN READ ONLY;\n', 'ROLLBACK;\n'] : o.transaction ? ['BEGIN;\n', 'COMMIT;\n'] : ['', '']
  const statement = values.length > 0 ? `PREPARE ${PREPARED} AS\n${sql}\n;\nEXECUTE ${PREPARED}(${values.map(quoteLiteral).join(', ')})` : sql
  return `\\set VERBOSITY verbose\n\\pset null ${token}\n${begin}\\echo ${token}-begin\n${statement}\n;\n\\echo ${token}-end :ROW_COUNT\n${end}`
}

/**
 * Parses the output of psqlScript. The token is read from the begin marker, which psql prints before any
 * row, so no value can forge it; fields are empty when the statement returned no rows (DDL, INSERT).
 */
export function parsePsqlOutput(stdout: string): PgResult {
  const m = /^(pgha[0-9a-f]+)-begin$/m.exec(stdout)
  const token = m?.[1] ?? ''
  const end = token ? stdout.lastIndexOf(`\n${token}-end `) : -1
  if (!m || end < m.index) throw new PghaError('task', `unexpected psql output: ${stdout.slice(0, 200)}`)
  const rowCount = Number(stdout.slice(end + token.length + 6).trim())
  return framedResult(stdout.slice(m.index + m[0].length + 1, end + 1), token, rowCount)
}

/** The SQLSTATE of psql's first error (VERBOSITY verbose writes `ERROR:  25006: ...`). */
export function psqlSqlState(stderr: string): string | undefined {
  return /^(?:psql:<stdin>:\d+: )?(?:ERROR|FATAL): {2}([0-9A-Z]{5}): /m.exec(stderr)?.[1]
}

/**
 * psql's error without its `psql:<stdin>:3:` prefix, the SQLSTATE and the source LOCATION lines, nor the
 * notice psql prints when it runs as another user in a directory that user cannot enter (`could not change
 * directory to "/root"`: harmless, and not why it failed).
 */
export function psqlError(stderr: string): string {
  return stderr
    .replace(/^could not change directory to ".*": Permission denied\n?/gm, '')
    .replace(/^psql:<stdin>:\d+: /gm, '')
    .replace(/^psql: error: /gm, '')
    .replace(/^((?:ERROR|FATAL|WARNING|NOTICE): {2})[0-9A-Z]{5}: /gm, '$1')
    .replace(/^LOCATION: .*\n?/gm, '')
    .trim()
}

/**
 * Why psql cannot be handed this text as one statement of pgha's script, undefined when it can. psql reads
 * a backslash outside quotes as one of its commands (`\! sh` runs a shell); a text that ends inside a quote
 * or comment would take in what pgha writes after it, its bound values read as SQL. PostgreSQL would
 * refuse either text anyway. Checked once per text (read-ahead asks again for every guess).
 */
export const psqlRefusal: (sql: string) => string | undefined = memoByText((sql) => {
  if (hasPsqlBackslash(sql)) return 'the SQL has a backslash outside quotes, which psql would run as a psql command; PostgreSQL would refuse it anyway'
  if (endsInsideQuote(sql)) return 'the SQL ends inside a quoted string, identifier or comment, which psql would continue into the values and the text after it; PostgreSQL would refuse it anyway'
  return undefined
})

/** A session whose every query is one psql run (one round trip each). */
export function psqlSession(host: PgHost, o: PsqlOptions): PgSession {
  const command = psqlCommand(o)
  return {
    route: 'psql',
    async query(text, values = [], opts = {}) {
      const refused = psqlRefusal(text)
      if (refused !== undefined) throw new PghaError('task', refused)
      const token = `pgha${randomBytes(6).toString('hex')}`
      // ON_ERROR_STOP ends psql at the first error, which rolls an open transaction back.
      // Each run is its own session: the role (session_role) is set again in each, before the statement.
      const role = o.role === undefined ? '' : `SET ROLE ${quoteIdent(o.role)};\n`
      const stdin = `${o.password === undefined ? '' : `${o.password}\n`}${role}${psqlScript(text, token, opts, values)}`
      const r = await host.exec(command, { stdin })
      if (r.rc !== 0) throw new PgQueryError(`psql on ${host.host} failed (rc ${r.rc}): ${psqlError(r.stderr) || r.stdout.trim()}`, psqlSqlState(r.stderr))
      return parsePsqlOutput(r.stdout)
    },
  }
}

/** One catalog read of a batch: the statement and the values of its $1, $2... */
export interface PsqlRead {
  sql: string
  values: (string | null)[]
}

/**
 * The script of many reads in one psql session: each in its own READ ONLY transaction that is rolled back,
 * between markers numbered as the reads, the end marker carrying the row count and whether the statement
 * failed (psql's ERROR). ON_ERROR_STOP is off, so a read that fails leaves the others their answers; each
 * statement with values is prepared under a name of its own (a prepared statement outlives a rollback).
 * `role` (session_role) is set in each transaction, as the session routes set it once connected.
 */
export function psqlReadsScript(reads: readonly PsqlRead[], token: string, role?: string): string {
  // session_role in each transaction: a role that cannot be set fails the read rather than leaving it to the login user.
  const setRole = role === undefined ? '' : `SET LOCAL ROLE ${quoteIdent(role)};\n`
  const body = reads.map(({ sql, values }, i) => {
    // A text psql cannot be handed is not sent: the read is answered as failed.
    if (psqlRefusal(sql) !== undefined) return `\\echo ${token}-begin ${i}\n\\echo ${token}-end ${i} 0 true\n`
    const name = `${PREPARED}_${i}`
    const statement = values.length > 0 ? `PREPARE ${name} AS\n${sql}\n;\nEXECUTE ${name}(${values.map(quoteLiteral).join(', ')})` : sql
    return `BEGIN READ ONLY;\n${setRole}\\echo ${token}-begin ${i}\n${statement}\n;\n\\echo ${token}-end ${i} :ROW_COUNT :ERROR\nROLLBACK;\n`
  })
  return `\\unset ON_ERROR_STOP\n\\set VERBOSITY terse\n\\pset null ${token}\n${body.join('')}`
}

/**
 * The answers of psqlReadsScript's reads, by position: undefined for a read that failed or whose markers
 * are missing (psql ended early), so no error is ever taken for an empty answer.
 */
export function parsePsqlReads(stdout: string, token: string, count: number): (PgResult | undefined)[] {
  const out: (PgResult | undefined)[] = []
  let pos = 0
  for (let i = 0; i < count; i++) {
    const begin = `${token}-begin ${i}\n`
    const start = stdout.indexOf(begin, pos)
    const end = start < 0 ? -1 : stdout.indexOf(`\n${token}-end ${i} `, start + begin.length - 1)
    const eol = end < 0 ? -1 : stdout.indexOf('\n', end + 1)
    if (eol < 0) break
    const [rows, failed] = stdout.slice(end + token.length + String(i).length + 7, eol).trim().split(' ')
    pos = eol
    if (failed !== 'false' || !/^\d+$/.test(rows)) {
      out.push(undefined)
      continue
    }
    out.push(framedResult(stdout.slice(start + begin.length, end + 1), token, Number(rows)))
  }
  return out
}

/** The CSV between a read's markers: its header and rows, NULL told apart by the token. */
function framedResult(csv: string, token: string, rowCount: number): PgResult {
  const records = parseCsv(csv)
  if (records.length === 0) return { fields: [], rows: [], rowCount }
  const [fields, ...data] = records
  const rows = data.map((r) => Object.fromEntries(fields.map((f, i): [string, string | null] => [f, r[i] === token ? null : (r[i] ?? null)])) as PgRow)
  return { fields, rows, rowCount }
}
