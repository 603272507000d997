// The psql route: one `psql` run on the host as the task's become user (peer authentication as postgres
// works on any fresh server), the SQL on stdin so no value shows in a process list, the result as CSV
// framed by random markers, NULL told apart from '' by a random null string.
import { randomBytes } from 'node:crypto'
import { PghaError } from '../errors.js'
import { shq } from '../facts/index.js'
import { parseCsv } from './csv.js'
import { quoteLiteral } from './sql.js'
import type { PgHost, PgResult, PgRow, PgSession, PsqlOptions } from './types.js'

export const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/tmp']
/** Where psql lives when it is not on sudo's PATH (a source build, PGDG's EL packages, Debian's). */
const PSQL_DIRS = ['/usr/local/pgsql/bin', '/usr/pgsql-*/bin', '/usr/lib/postgresql/*/bin']

/** The sh command: find psql and the socket directory, then run the script from stdin. */
export function psqlCommand(o: PsqlOptions): string {
  const find = o.bindir
    ? `p=${shq(`${o.bindir.replace(/\/$/, '')}/psql`)}`
    : `p=$(command -v psql || ls -d ${PSQL_DIRS.map((d) => `${d}/psql`).join(' ')} 2>/dev/null | tail -n 1)`
  const dirs = o.socketDir ? [o.socketDir] : DEFAULT_SOCKET_DIRS
  const host = o.host
    ? `h=${shq(o.host)}`
    : `h=${dirs[0]}; for d in ${dirs.join(' ')}; do if [ -S "$d/.s.PGSQL.${o.port}" ]; then h=$d; break; fi; done`
  const timeout = Math.max(1, Math.ceil((o.connectTimeoutMs ?? 5000) / 1000))
  return `${find}; ${host}; PGCONNECT_TIMEOUT=${timeout} "\${p:-psql}" -X -q --csv -v ON_ERROR_STOP=1 -h "$h" -p ${o.port} -U ${shq(o.user)} -d ${shq(o.database)} -f -`
}

/** The script fed to psql: the statement between markers, then the rows it returned or touched. */
export function psqlScript(sql: string, token: string, transaction = false): string {
  const [begin, commit] = transaction ? ['BEGIN;\n', 'COMMIT;\n'] : ['', '']
  return `\\pset null ${token}\n${begin}\\echo ${token}-begin\n${sql}\n;\n\\echo ${token}-end :ROW_COUNT\n${commit}`
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
  const records = parseCsv(stdout.slice(m.index + m[0].length + 1, end + 1))
  if (records.length === 0) return { fields: [], rows: [], rowCount }
  const [fields, ...data] = records
  const rows = data.map((r) => Object.fromEntries(fields.map((f, i): [string, string | null] => [f, r[i] === token ? null : (r[i] ?? null)])) as PgRow)
  return { fields, rows, rowCount }
}

/** `$1`... outside quoted text replaced by the values as literals (psql binds nothing before 16). */
export function inlineValues(text: string, values: (string | null)[]): string {
  return text.replace(/('(?:[^']|'')*'|"(?:[^"]|"")*")|\$(\d+)/g, (m, quoted: string | undefined, n: string | undefined) => {
    if (quoted !== undefined || n === undefined) return m
    const i = Number(n) - 1
    if (i < 0 || i >= values.length) throw new PghaError('task', `no value for placeholder $${n}`)
    return quoteLiteral(values[i])
  })
}

/** psql's error without its `psql:<stdin>:3:` prefix. */
export function psqlError(stderr: string): string {
  return stderr.replace(/^psql:<stdin>:\d+: /gm, '').replace(/^psql: error: /gm, '').trim()
}

/** A session whose every query is one psql run (one round trip each). */
export function psqlSession(host: PgHost, o: PsqlOptions): PgSession {
  const command = psqlCommand(o)
  return {
    route: 'psql',
    async query(text, values = [], opts = {}) {
      const token = `pgha${randomBytes(6).toString('hex')}`
      // ON_ERROR_STOP ends psql at the first error, which rolls an open transaction back.
      const r = await host.exec(command, { stdin: psqlScript(inlineValues(text, values), token, opts.transaction) })
      if (r.rc !== 0) throw new PghaError('task', `psql on ${host.host} failed (rc ${r.rc}): ${psqlError(r.stderr) || r.stdout.trim()}`)
      return parsePsqlOutput(r.stdout)
    },
  }
}
