// Who is primary, read from what the nodes say about themselves (never from the inventory's `primary`
// group, which names the node installed as primary: a switchover or failover moves the role). Pure: the
// same observations give the same judgement, whichever way they were read, so `pgha status`, the
// pg_cluster module and the playbooks that read it (verify.yml, rejoin.yml, failover.yml, cluster.yml)
// agree on the primary and describe every problem with the same sentence.
import type { NodeObservation, RepmgrRecord } from './observation.js'
import { describeProblems, type Problem } from './problems.js'

/** What a node is, as its server says: pg_is_in_recovery(), or why there is no answer. */
export type PgRole = 'primary' | 'standby' | 'witness' | 'down' | 'unreachable'

export interface NodeJudgement {
  host: string
  role: PgRole
  /** In the witness group, or recorded by repmgr as a witness: its own primary instance is not a cluster primary. */
  witness: boolean
  /** The node a standby streams from, by inventory name when known (else the address its receiver names); null otherwise. */
  upstream: string | null
  timeline: number | null
  /** The WAL receiver's status ('streaming', 'stopping', ...); null when it has none. */
  receiver: string | null
  /** Its record in repmgr.nodes, from the authoritative copy (see Judgement.records). */
  record?: RepmgrRecord
  /** The upstream that record names, by node name. */
  repmgrUpstream: string | null
  error?: string
}

export interface Judgement {
  /** One per observation, in the same order. */
  nodes: NodeJudgement[]
  /** The current primary: the only data node running as primary, or in a split brain the one alone on the newest timeline. */
  primary: string | null
  /** Data nodes running as primary (two or more: split brain). */
  primaries: string[]
  splitBrain: boolean
  /** In a split brain: the primary alone on the newest timeline, which holds the writes since the promotion. */
  newer: string | null
  /** Standbys streaming from the current primary (from anyone while no primary can be told). */
  standbys: string[]
  /** Data nodes whose server did not answer (or whose host was not reached). */
  down: string[]
  /** Standbys in recovery that do not stream. */
  detached: string[]
  /** Standbys streaming from another node than the current primary. */
  wrongUpstream: string[]
  /**
   * repmgr.nodes as the current primary holds it (the authoritative copy), else any node's copy; null when
   * no node has the table; undefined when no observer read it.
   */
  records?: RepmgrRecord[] | null
  /** What an operator must act on, each one sentence with what to run where pgha has the remedy; [] when healthy. */
  problems: Problem[]
  healthy: boolean
}

export interface JudgeOptions {
  /** The inventory path as the user gave it, for the commands the sentences suggest. */
  inventory?: string
  /** Only some cluster nodes were observed (--limit): a missing primary may just be left out. */
  partial?: boolean
  /** The time of the observation (epoch ms), against which a backup's age is judged; default now. */
  now?: number
}

export function judge(observations: NodeObservation[], opts: JudgeOptions = {}): Judgement {
  const ownRecord = (o: NodeObservation): RepmgrRecord | undefined => findRecord(o.pg?.repmgrNodes, o)
  const isWitness = (o: NodeObservation): boolean => o.witness || ownRecord(o)?.type === 'witness'
  const primaryObs = observations.filter((o) => o.pg && !o.pg.inRecovery && !isWitness(o))
  const current = primaryObs.length === 1 ? primaryObs[0] : newestAlone(primaryObs)
  const records = recordsOf(observations, current)
  const nodeAt = addressBook(observations, records)
  const nameOfNodeId = (id: number | null): string | null =>
    id === null ? null : (records?.find((r) => r.nodeId === id)?.nodeName ?? `node id ${id}`)

  const nodes = observations.map((o): NodeJudgement => {
    const role: PgRole = !o.ssh ? 'unreachable' : !o.pg ? 'down' : o.pg.inRecovery ? 'standby' : primaryObs.includes(o) ? 'primary' : 'witness'
    const senderHost = o.pg?.receiver?.senderHost ?? null
    const record = findRecord(records, o)
    return {
      host: o.host,
      role,
      witness: isWitness(o),
      upstream: role === 'standby' ? (nodeAt(senderHost)?.host ?? senderHost) : null,
      timeline: o.pg?.timeline ?? null,
      receiver: o.pg?.receiver?.status ?? null,
      ...(record ? { record } : {}),
      repmgrUpstream: nameOfNodeId(record?.upstreamNodeId ?? null),
      ...(o.error ? { error: o.error } : {}),
    }
  })

  const primary = current?.host ?? null
  const data = nodes.filter((n) => !n.witness)
  const streaming = data.filter((n) => n.role === 'standby' && n.receiver === 'streaming')
  const judgement: Omit<Judgement, 'problems' | 'healthy'> = {
    nodes,
    primary,
    primaries: primaryObs.map((o) => o.host),
    splitBrain: primaryObs.length > 1,
    newer: primaryObs.length > 1 ? primary : null,
    standbys: streaming.filter((n) => primary === null || n.upstream === primary).map((n) => n.host),
    down: data.filter((n) => n.role === 'down' || n.role === 'unreachable').map((n) => n.host),
    detached: nodes.filter((n) => n.role === 'standby' && n.receiver !== 'streaming').map((n) => n.host),
    wrongUpstream: primary === null ? [] : nodes.filter((n) => n.role === 'standby' && n.receiver === 'streaming' && n.upstream !== primary).map((n) => n.host),
    ...(records !== undefined ? { records } : {}),
  }
  const problems = describeProblems(observations, judgement, opts)
  return { ...judgement, problems, healthy: problems.length === 0 }
}

/** The node's record: by repmgr_node_id when the inventory sets it, else by name. */
function findRecord(table: RepmgrRecord[] | null | undefined, o: NodeObservation): RepmgrRecord | undefined {
  if (!table) return undefined
  return o.nodeId !== undefined ? table.find((r) => r.nodeId === o.nodeId) : table.find((r) => r.nodeName === o.host)
}

function newestAlone(primaries: NodeObservation[]): NodeObservation | undefined {
  const tl = (o: NodeObservation): number => o.pg?.timeline ?? -1
  const top = Math.max(...primaries.map(tl))
  const newest = primaries.filter((o) => tl(o) === top)
  return newest.length === 1 ? newest[0] : undefined
}

/** The current primary's copy of repmgr.nodes, else the first node's that has one; undefined when none was read. */
function recordsOf(observations: NodeObservation[], current: NodeObservation | undefined): RepmgrRecord[] | null | undefined {
  if (!observations.some((o) => o.pg && o.pg.repmgrNodes !== undefined)) return undefined
  return current?.pg?.repmgrNodes ?? observations.map((o) => o.pg?.repmgrNodes).find((t) => t) ?? null
}

/** The observation of the node known by an address or name (sender_host, a conninfo host, a record's name). */
function addressBook(observations: NodeObservation[], records: RepmgrRecord[] | null | undefined): (address: string | null) => NodeObservation | undefined {
  const byAddress = new Map<string, NodeObservation>()
  for (const o of observations) for (const a of o.addresses) byAddress.set(a, o)
  for (const r of records ?? []) {
    const o = observations.find((x) => findRecord([r], x))
    if (o) for (const a of [r.nodeName, r.conninfoHost]) if (a && !byAddress.has(a)) byAddress.set(a, o)
  }
  return (address) => (address === null ? undefined : byAddress.get(address))
}
