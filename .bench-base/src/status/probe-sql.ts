// The two queries `pgha status` runs on each node, and the pure parse of their answers. Two because
// repmgr's table and function may not exist (a cluster not yet set up), and a query naming them would fail.
import type { PgRow } from '../pg/index.js'
import type { PgObservation, RepmgrRecord, ReplicationClient, WalReceiver } from './types.js'

/** What exists on this server, so the probe names only those. */
export const CAPABILITIES_SQL = `SELECT to_regclass('repmgr.nodes') IS NOT NULL AS has_nodes,
  to_regprocedure('repmgr.repmgrd_is_running()') IS NOT NULL AS has_repmgrd_fn`

export interface Capabilities {
  hasNodes: boolean
  hasRepmgrdFn: boolean
}

export function parseCapabilities(row: PgRow | undefined): Capabilities {
  return { hasNodes: row?.has_nodes === 't', hasRepmgrdFn: row?.has_repmgrd_fn === 't' }
}

// A standby's own position is the last WAL it received; pg_current_wal_lsn() fails during recovery.
const HERE = 'CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END'

/**
 * One row: recovery state, timeline (a primary's from its current WAL file name, which changes at
 * promotion before any checkpoint; a standby's from what it receives, else its last checkpoint), the WAL
 * receiver, the walsenders with their lag, repmgr's records and whether repmgrd runs (as JSON texts).
 */
export function probeSql(caps: Capabilities): string {
  const nodes = caps.hasNodes
    ? `(SELECT coalesce(json_agg(n ORDER BY n.node_id), '[]') FROM (
        SELECT node_id, node_name, type, upstream_node_id, active, location,
          substring(conninfo from 'host=([^ ]+)') AS conninfo_host FROM repmgr.nodes) n)`
    : 'NULL'
  return `SELECT pg_is_in_recovery() AS in_recovery,
  CASE WHEN pg_is_in_recovery()
    THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver), (SELECT timeline_id FROM pg_control_checkpoint()))
    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END AS timeline,
  (SELECT row_to_json(r) FROM (SELECT status, sender_host, sender_port FROM pg_stat_wal_receiver) r) AS receiver,
  (SELECT coalesce(json_agg(r ORDER BY r.application_name), '[]') FROM (
    SELECT application_name, client_addr::text AS client_addr, state, sync_state,
      pg_wal_lsn_diff(${HERE}, write_lsn) AS write_lag_bytes,
      pg_wal_lsn_diff(${HERE}, flush_lsn) AS flush_lag_bytes,
      pg_wal_lsn_diff(${HERE}, replay_lsn) AS replay_lag_bytes,
      extract(epoch FROM replay_lag) AS replay_lag_seconds
    FROM pg_stat_replication) r) AS replication,
  ${nodes} AS repmgr_nodes,
  ${caps.hasRepmgrdFn ? 'repmgr.repmgrd_is_running()' : 'NULL::boolean'} AS repmgrd_running`
}

export interface ProbeAnswer {
  pg: Omit<PgObservation, 'route'>
  /** From repmgr.repmgrd_is_running(); undefined when the function is missing or cannot tell (NULL). */
  repmgrd?: boolean
}

/** The probe's row; values are PostgreSQL's text output on both routes, JSON columns as JSON text. */
export function parseProbe(row: PgRow): ProbeAnswer {
  const json = <T>(v: string | null): T | null => (v === null || v === '' ? null : (JSON.parse(v) as T))
  const receiver = json<Record<string, unknown>>(row.receiver)
  const replication = json<Record<string, unknown>[]>(row.replication) ?? []
  const nodes = json<Record<string, unknown>[]>(row.repmgr_nodes)
  const answer: ProbeAnswer = {
    pg: {
      inRecovery: row.in_recovery === 't',
      timeline: num(row.timeline),
      receiver: receiver ? walReceiver(receiver) : null,
      replication: replication.map(replicationClient),
      repmgrNodes: nodes ? nodes.map(repmgrRecord) : null,
    },
  }
  if (row.repmgrd_running === 't' || row.repmgrd_running === 'f') answer.repmgrd = row.repmgrd_running === 't'
  return answer
}

function walReceiver(r: Record<string, unknown>): WalReceiver {
  return { status: String(r.status ?? ''), senderHost: str(r.sender_host), senderPort: num(r.sender_port) }
}

function replicationClient(r: Record<string, unknown>): ReplicationClient {
  return {
    applicationName: String(r.application_name ?? ''),
    clientAddr: str(r.client_addr),
    state: String(r.state ?? ''),
    syncState: str(r.sync_state),
    writeLagBytes: num(r.write_lag_bytes),
    flushLagBytes: num(r.flush_lag_bytes),
    replayLagBytes: num(r.replay_lag_bytes),
    replayLagSeconds: num(r.replay_lag_seconds),
  }
}

function repmgrRecord(r: Record<string, unknown>): RepmgrRecord {
  return {
    nodeId: num(r.node_id) ?? 0,
    nodeName: String(r.node_name ?? ''),
    type: String(r.type ?? ''),
    upstreamNodeId: num(r.upstream_node_id),
    active: r.active === true || r.active === 't',
    location: String(r.location ?? ''),
    conninfoHost: str(r.conninfo_host),
  }
}

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null
  const n = Number(v)
  return Number.isFinite(n) ? n : null
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v)
}
