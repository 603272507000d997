// The pure judgement of `pgha status`: from what each node said, one row per node and the problems an
// operator must act on. Healthy means exactly one primary, every standby streaming from it, repmgr's
// records agreeing with the servers, and repmgrd running wherever it is expected.
import { describeProblems } from './problems.js'
import type { NodeRow, Observation, PgRole, RepmgrRecord, ReplicationClient, StatusReport } from './types.js'

/** The cluster as seen across nodes: who is primary, whose repmgr table counts, who is who by address. */
export interface ClusterView {
  observations: Observation[]
  /** Data nodes running as primary (not in recovery, not a witness). */
  primaries: Observation[]
  /** The single primary, or in split brain the one alone on the newest timeline; else undefined. */
  current?: Observation
  /** repmgr.nodes as the current primary holds it (the authoritative copy), else any node's copy. */
  table: RepmgrRecord[] | null
  recordOf(o: Observation): RepmgrRecord | undefined
  /** The inventory name of a node known by this address or name (sender_host, conninfo host). */
  nodeAt(address: string | null): Observation | undefined
  nameOfNodeId(id: number | null): string | null
}

export interface AnalyzeOptions {
  /** The inventory path as the user gave it, for the commands the messages suggest. */
  inventory?: string
  /** Only some cluster nodes were read (--limit): a missing primary may just be left out. */
  partial?: boolean
}

export function analyze(observations: Observation[], opts: AnalyzeOptions = {}): StatusReport {
  const view = clusterView(observations)
  const nodes = observations.map((o) => rowOf(o, view))
  const problems = describeProblems(view, nodes, opts)
  return { nodes, problems, healthy: problems.length === 0 }
}

export function clusterView(observations: Observation[]): ClusterView {
  const ownRecord = (o: Observation): RepmgrRecord | undefined => findRecord(o.pg?.repmgrNodes ?? null, o)
  const isWitness = (o: Observation): boolean => o.witness || ownRecord(o)?.type === 'witness'
  const primaries = observations.filter((o) => o.pg && !o.pg.inRecovery && !isWitness(o))
  const current = primaries.length === 1 ? primaries[0] : newestAlone(primaries)
  const table = current?.pg?.repmgrNodes ?? observations.map((o) => o.pg?.repmgrNodes).find((t) => t) ?? null
  const byAddress = new Map<string, Observation>()
  for (const o of observations) for (const a of o.addresses) byAddress.set(a, o)
  for (const r of table ?? []) {
    const o = observations.find((x) => findRecord([r], x))
    if (o) for (const a of [r.nodeName, r.conninfoHost]) if (a && !byAddress.has(a)) byAddress.set(a, o)
  }
  return {
    observations, primaries, current, table,
    recordOf: (o) => (table ? findRecord(table, o) : undefined),
    nodeAt: (address) => (address === null ? undefined : byAddress.get(address)),
    nameOfNodeId: (id) => (id === null ? null : (table?.find((r) => r.nodeId === id)?.nodeName ?? `node id ${id}`)),
  }
}

/** The node's record: by repmgr_node_id when the inventory sets it, else by name. */
function findRecord(table: RepmgrRecord[] | null, o: Observation): RepmgrRecord | undefined {
  if (!table) return undefined
  return o.nodeId !== undefined ? table.find((r) => r.nodeId === o.nodeId) : table.find((r) => r.nodeName === o.host)
}

function newestAlone(primaries: Observation[]): Observation | undefined {
  const tl = (o: Observation): number => o.pg?.timeline ?? -1
  const top = Math.max(...primaries.map(tl))
  const newest = primaries.filter((o) => tl(o) === top)
  return newest.length === 1 ? newest[0] : undefined
}

export function pgRoleOf(o: Observation, view: ClusterView): PgRole {
  if (!o.ssh) return 'unreachable'
  if (!o.pg) return 'down'
  if (o.pg.inRecovery) return 'standby'
  return view.primaries.includes(o) ? 'primary' : 'witness'
}

/** The walsender entry a primary keeps for this standby: by application_name (repmgr sets the node name) or address. */
export function senderEntry(primary: Observation | undefined, standby: Observation, record?: RepmgrRecord): ReplicationClient | undefined {
  const names = new Set([standby.host, ...standby.addresses, ...(record ? [record.nodeName] : [])])
  return primary?.pg?.replication.find((c) => names.has(c.applicationName) || (c.clientAddr !== null && names.has(c.clientAddr)))
}

function rowOf(o: Observation, view: ClusterView): NodeRow {
  const record = view.recordOf(o)
  const pgRole = pgRoleOf(o, view)
  const receiver = o.pg?.receiver ?? null
  const upstreamNode = pgRole === 'standby' ? view.nodeAt(receiver?.senderHost ?? null) : undefined
  const entry = pgRole === 'standby' ? senderEntry(upstreamNode ?? view.current, o, record) : undefined
  const lagBytes = entry?.replayLagBytes ?? null
  return {
    node: o.host,
    repmgrRole: record?.type ?? '-',
    repmgrActive: record ? record.active : null,
    pgRole,
    upstream: pgRole === 'standby' ? (upstreamNode?.host ?? receiver?.senderHost ?? null) : null,
    repmgrUpstream: view.nameOfNodeId(record?.upstreamNodeId ?? null),
    timeline: o.pg?.timeline ?? null,
    replication: replicationOf(o, pgRole, entry),
    lagBytes,
    writeLagBytes: entry?.writeLagBytes ?? null,
    flushLagBytes: entry?.flushLagBytes ?? null,
    // replay_lag turns NULL a while after a standby has caught up and nothing is written: no lag.
    lagSeconds: entry?.replayLagSeconds ?? (lagBytes === 0 ? 0 : null),
    repmgrd: o.repmgrd ?? null,
    ...(o.error ? { error: o.error } : {}),
  }
}

function replicationOf(o: Observation, role: PgRole, entry: ReplicationClient | undefined): string | null {
  if (role === 'primary') {
    const streaming = o.pg!.replication.filter((c) => c.state === 'streaming').length
    return `${streaming} streaming`
  }
  if (role !== 'standby') return null
  return entry?.state ?? o.pg?.receiver?.status ?? 'not streaming'
}
