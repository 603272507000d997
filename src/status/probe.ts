// Reads one node: SSH first (a node we cannot reach is a row, not a crash), then PostgreSQL through the pg
// client over the SSH stream (psql on the node as postgres_user when pg_hba refuses the login user), then
// repmgrd from repmgr's own function or, when that does not say yes, pgrep on the node.
import { PghaError } from '../errors.js'
import { shq } from '../shell/index.js'
import { withPgSession, type PgHost, type PsqlOptions } from '../pg/index.js'
import type { Become, ConnectionSpec, Transport } from '../transport/index.js'
import { CAPABILITIES_SQL, parseCapabilities, parseProbe, probeSql, type ProbeAnswer } from './probe-sql.js'
import type { BackupExpectation, BackupObservation, NodeObservation, PgObservation } from '../cluster/index.js'
import { parsePgbackrestInfo, pgbackrestInfoCommand } from './pgbackrest-info.js'

/** How to reach one node and what the inventory expects of it. */
export interface StatusTarget {
  host: string
  spec: ConnectionSpec
  /** The pg session: postgres_user on repmgr_db at pg_port, psql from pg_bindir. */
  pg: PsqlOptions
  /** Who runs psql and pgrep's fallback when the stream is refused (postgres_user through sudo). */
  become: Become
  addresses: string[]
  witness: boolean
  nodeId?: number
  repmgrdExpected: boolean
  /** pg_service: the unit the problems' commands name. */
  service?: string
  maxLagBytes?: number
  /** pgBackRest on this data node (the inventory has a repository host): the binary and what is expected. */
  pgbackrest?: { bin: string; expected: BackupExpectation }
}

/** A command on a node that hangs (a stuck server) must not hang the whole status. */
const COMMAND_TIMEOUT_MS = 30_000

export async function probeNode(t: StatusTarget, open: (spec: ConnectionSpec) => Transport): Promise<NodeObservation> {
  const base: NodeObservation = {
    host: t.host, addresses: t.addresses, witness: t.witness, repmgrdExpected: t.repmgrdExpected, ssh: false,
    ...(t.nodeId !== undefined ? { nodeId: t.nodeId } : {}),
    ...(t.service ? { service: t.service } : {}),
    ...(t.maxLagBytes !== undefined ? { maxLagBytes: t.maxLagBytes } : {}),
    ...(t.pgbackrest ? { backupExpected: t.pgbackrest.expected } : {}),
  }
  const transport = open(t.spec)
  try {
    try {
      await transport.connect()
    } catch (err) {
      return { ...base, error: message(err) }
    }
    const obs: NodeObservation = { ...base, ssh: true }
    try {
      const answer = await readPostgres(t, transport)
      obs.pg = answer.pg
      obs.repmgrd = answer.repmgrd
    } catch (err) {
      // A dropped connection is unreachability, anything else means the server did not answer.
      if (err instanceof PghaError && err.code === 'unreachable') return { ...base, error: message(err) }
      obs.error = message(err)
    }
    // repmgr's function says false while repmgrd has not re-registered after a server restart: ask the OS too.
    if (obs.repmgrd !== true) obs.repmgrd = (await pgrepRepmgrd(transport, t.pg.user)) ?? obs.repmgrd
    // The repository is judged from the primary, whose WAL it archives.
    if (t.pgbackrest && obs.pg && !obs.pg.inRecovery && !t.witness) obs.backup = await readBackups(t, transport, t.pgbackrest.bin, t.pgbackrest.expected.stanza)
    return obs
  } finally {
    await transport.close().catch(() => undefined)
  }
}

async function readPostgres(t: StatusTarget, transport: Transport): Promise<{ pg: PgObservation; repmgrd?: boolean }> {
  const host: PgHost = {
    host: t.host,
    exec: (command, o) => transport.exec(command, { ...t.become, ...o, timeoutMs: COMMAND_TIMEOUT_MS }),
    ...(transport.openStream ? { openStream: transport.openStream.bind(transport) } : {}),
  }
  const read = (o: PsqlOptions): Promise<{ pg: PgObservation; repmgrd?: boolean }> => withPgSession(host, o, async (s) => {
    const caps = parseCapabilities((await s.query(CAPABILITIES_SQL)).rows[0])
    const row = (await s.query(probeSql(caps))).rows[0]
    if (!row) throw new PghaError('task', 'the status query returned no row')
    const answer: ProbeAnswer = parseProbe(row)
    return { ...answer, pg: { ...answer.pg, route: s.route } }
  })
  try {
    return await read(t.pg)
  } catch (err) {
    // Before repmgr is set up its database does not exist; the server's own state is still worth showing.
    if (t.pg.database === 'postgres' || !/database ".*" does not exist/.test(message(err))) throw err
    return read({ ...t.pg, database: 'postgres' })
  }
}

async function readBackups(t: StatusTarget, transport: Transport, bin: string, stanza: string): Promise<BackupObservation> {
  try {
    const r = await transport.exec(pgbackrestInfoCommand(bin, stanza), { ...t.become, timeoutMs: COMMAND_TIMEOUT_MS })
    if (r.rc !== 0) return { error: `rc ${r.rc}${r.rc === 124 ? ' (timed out)' : ''}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') || 'no output'}` }
    return { info: parsePgbackrestInfo(r.stdout, stanza) }
  } catch (err) {
    return { error: message(err) }
  }
}

/** pgrep's rc: 0 found, 1 none; anything else (no pgrep) leaves it unknown. */
async function pgrepRepmgrd(transport: Transport, user: string): Promise<boolean | undefined> {
  try {
    const r = await transport.exec(`pgrep -x -u ${shq(user)} repmgrd`, { timeoutMs: COMMAND_TIMEOUT_MS })
    return r.rc === 0 ? true : r.rc === 1 ? false : undefined
  } catch {
    return undefined
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
