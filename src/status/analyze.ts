// `pgha status`'s report: the cluster model's judgement of what each node said, one row per node with the
// lag its primary lists for it, and the judgement's problems. Healthy means exactly one primary, every
// standby streaming from it, repmgr's records agreeing with the servers, and repmgrd running wherever it
// is expected.
import { judge, lagProblem, type JudgeOptions, type NodeJudgement, type NodeObservation, type PgRole, type ReplicationClient } from '../cluster/index.js'
import type { BackupSummary, NodeRow, StatusReport } from './types.js'

export function analyze(observations: NodeObservation[], opts: JudgeOptions = {}): StatusReport {
  const j = judge(observations, opts)
  const byHost = (host: string | null): NodeObservation | undefined => observations.find((o) => o.host === host)
  const nodes = observations.map((o, i) => rowOf(o, j.nodes[i], byHost(j.nodes[i].upstream) ?? byHost(j.primary)))
  const backup = backupOf(byHost(j.primary))
  // Lag is read from the walsenders, which only `pgha status` reads: its problem is judged here.
  const lagging = nodes.flatMap((r, i) => {
    const limit = observations[i].maxLagBytes
    return limit !== undefined && r.pgRole === 'standby' && r.lagBytes !== null && r.lagBytes > limit ? [lagProblem(r.node, r.upstream ?? j.primary ?? '?', r.lagBytes, limit, opts)] : []
  })
  const problems = [...j.problems, ...lagging]
  return { nodes, problems, healthy: problems.length === 0, ...(backup ? { backup } : {}) }
}

/** The repository as the current primary read it, when it could. */
function backupOf(primary: NodeObservation | undefined): BackupSummary | undefined {
  if (!primary?.backup || !('info' in primary.backup)) return undefined
  return { stanza: primary.backup.info.stanza, node: primary.host, newest: primary.backup.info.last }
}

/** The walsender entry a primary keeps for this standby: by application_name (repmgr sets the node name) or address. */
function senderEntry(primary: NodeObservation | undefined, standby: NodeObservation, recordName?: string): ReplicationClient | undefined {
  const names = new Set([standby.host, ...standby.addresses, ...(recordName ? [recordName] : [])])
  return primary?.pg?.replication?.find((c) => names.has(c.applicationName) || (c.clientAddr !== null && names.has(c.clientAddr)))
}

/** A node's row; `sender` is the node it streams from (else the current primary), whose walsenders give its lag. */
function rowOf(o: NodeObservation, n: NodeJudgement, sender: NodeObservation | undefined): NodeRow {
  const entry = n.role === 'standby' ? senderEntry(sender, o, n.record?.nodeName) : undefined
  const lagBytes = entry?.replayLagBytes ?? null
  return {
    node: o.host,
    repmgrRole: n.record?.type ?? '-',
    repmgrActive: n.record ? n.record.active : null,
    pgRole: n.role,
    upstream: n.upstream,
    repmgrUpstream: n.repmgrUpstream,
    timeline: n.timeline,
    replication: replicationOf(o, n.role, entry),
    lagBytes,
    writeLagBytes: entry?.writeLagBytes ?? null,
    flushLagBytes: entry?.flushLagBytes ?? null,
    // replay_lag turns NULL a while after a standby has caught up and nothing is written: no lag.
    lagSeconds: entry?.replayLagSeconds ?? (lagBytes === 0 ? 0 : null),
    repmgrd: o.repmgrd ?? null,
    ...(o.error ? { error: o.error } : {}),
  }
}

function replicationOf(o: NodeObservation, role: PgRole, entry: ReplicationClient | undefined): string | null {
  if (role === 'primary') return `${(o.pg?.replication ?? []).filter((c) => c.state === 'streaming').length} streaming`
  if (role !== 'standby') return null
  return entry?.state ?? o.pg?.receiver?.status ?? 'not streaming'
}
