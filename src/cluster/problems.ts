// The problems of a cluster, each one plain sentence that says what is wrong and, where pgha has the
// remedy, which command applies it. `pgha status` prints them as warnings; pg_cluster returns them to the
// playbooks, which fail with them: one wording for both.
import { pghaCommand } from '../command-hint.js'
import type { Judgement, JudgeOptions, NodeJudgement } from './judge.js'
import type { NodeObservation } from './observation.js'
import { backupProblems } from './backup-problems.js'

export type ProblemKind =
  | 'unreachable'
  | 'down'
  | 'split-brain'
  | 'no-primary'
  | 'detached-standby'
  | 'wrong-upstream'
  | 'repmgr-mismatch'
  | 'repmgrd-stopped'
  | 'lagging'
  | 'archive-failing'
  | 'backup-too-old'
  | 'backup-unreadable'

export interface Problem {
  kind: ProblemKind
  /** The nodes it concerns. */
  nodes: string[]
  /** One plain sentence for an operator: what is wrong, then what to run where pgha has the remedy. */
  message: string
}

type Facts = Omit<Judgement, 'problems' | 'healthy'>

export function describeProblems(observations: NodeObservation[], j: Facts, opts: JudgeOptions = {}): Problem[] {
  // The cluster's verdict first (split brain, no primary), then nodes that do not answer, then each node.
  const out: Problem[] = primaryProblems(j, opts)
  observations.forEach((o, i) => {
    const n = j.nodes[i]
    if (n.role === 'unreachable') out.push({ kind: 'unreachable', nodes: [o.host], message: `${o.host} cannot be reached over SSH: ${o.error ?? 'no connection'}; ${unreachableRemedy(o.host, opts)}` })
    else if (n.role === 'down') out.push({ kind: 'down', nodes: [o.host], message: `PostgreSQL on ${o.host} does not answer: ${o.error ?? 'no answer'}; ${downRemedy(o)}` })
  })
  observations.forEach((o, i) => {
    const n = j.nodes[i]
    if (n.role === 'standby') out.push(...standbyProblems(j, n, opts))
    if (o.pg) out.push(...recordProblems(j, o, n, opts))
    if (o.ssh && o.repmgrdExpected && o.repmgrd === false) {
      out.push({ kind: 'repmgrd-stopped', nodes: [o.host], message: `repmgrd is not running on ${o.host} (repmgrd_enabled is true): no automatic failover from there; ${repmgrdRemedy(o.host, opts)}` })
    }
  })
  out.push(...backupProblems(observations.find((o) => o.host === j.primary), opts))
  if (j.records === null && observations.some((o) => o.pg)) {
    const answering = observations.filter((o) => o.pg).map((o) => o.host)
    out.push({ kind: 'repmgr-mismatch', nodes: answering, message: `no node has the table repmgr.nodes: repmgr is not set up on this cluster: set it up with: ${siteCommand(opts)}` })
  }
  return out
}

/** site.yml on the inventory: what converges the cluster (registers, clones, starts, follows). */
function siteCommand(opts: JudgeOptions): string {
  return pghaCommand('run', 'playbooks/site.yml', ...(opts.inventory ? ['-i', opts.inventory] : []))
}

/** A host that does not answer SSH: look at it; one lost for good is replaced (same name) or removed. */
function unreachableRemedy(host: string, opts: JudgeOptions): string {
  const remove = pghaCommand('run', 'playbooks/remove-node.yml', ...(opts.inventory ? ['-i', opts.inventory] : []), '-e', `node=${host}`)
  return `check that the host is up and its sshd answers (ssh to it); a host lost for good is replaced by a new one of the same name with: ${siteCommand(opts)}, or taken out of the cluster with: ${remove}`
}

/** A server that does not answer: its unit's journal says why; a start goes through the fence. */
function downRemedy(o: NodeObservation): string {
  const unit = o.service ?? 'pgserver'
  return `see why with: journalctl -u ${unit} (on ${o.host}), then start it with: systemctl start ${unit} (a former primary is refused by the fence, which names the rejoin command)`
}

/** repmgrd stopped where it should run: its unit starts it again and its log says why it stopped. */
function repmgrdRemedy(host: string, opts: JudgeOptions): string {
  return `see why with: journalctl -u repmgrd (on ${host}), then start it with: systemctl start repmgrd, or with: ${siteCommand(opts)}`
}

/** The command that makes a former primary a standby of the current one. */
function rejoinCommand(node: string, inventory?: string): string {
  return pghaCommand('run', 'playbooks/rejoin.yml', ...(inventory ? ['-i', inventory] : []), '-e', `node=${node}`)
}

function primaryProblems(j: Facts, opts: JudgeOptions): Problem[] {
  if (j.primaries.length === 0) {
    const standbys = j.nodes.filter((n) => n.role === 'standby').map((n) => n.host)
    if (standbys.length === 0 || opts.partial) return []
    const promote = 'repmgr standby promote (as postgres, on the standby furthest ahead: pg_last_wal_replay_lsn())'
    return [{ kind: 'no-primary', nodes: standbys, message: `no node runs as primary: ${list(standbys)} ${standbys.length === 1 ? 'is' : 'are'} in recovery; when the primary is lost, promote one with: ${promote}, then make the others follow it with: ${siteCommand(opts)}` }]
  }
  if (!j.splitBrain) return []
  const primaries = j.primaries.map((name) => j.nodes.find((n) => n.host === name)!)
  const tl = (n: NodeJudgement): string => String(n.timeline ?? '?')
  const head = `split brain: ${list(primaries.map((n) => `${n.host} (timeline ${tl(n)})`))} all run as primary`
  const problem = (message: string): Problem[] => [{ kind: 'split-brain', nodes: [...j.primaries], message }]
  if (j.newer === null) {
    const top = Math.max(...primaries.map((n) => n.timeline ?? -1))
    const tied = primaries.filter((n) => (n.timeline ?? -1) === top)
    const where = tied.length === primaries.length ? ' on the same timeline' : `; ${list(tied.map((n) => n.host))} share the newest timeline (${tl(tied[0])})`
    const others = primaries.length > 2 ? 'the others' : 'the other'
    return problem(
      `${head}${where}, so pgha cannot tell which holds the newer writes: compare their data, keep one, and rejoin ${others} with: ${rejoinCommand('<the one to discard>', opts.inventory)}`,
    )
  }
  const older = j.primaries.filter((name) => name !== j.newer)
  const former = older.length === 1
    ? `${older[0]} is a former primary: rejoin it as a standby with: ${rejoinCommand(older[0], opts.inventory)}`
    : `${list(older)} are former primaries: rejoin them as standbys with: ${older.map((o) => rejoinCommand(o, opts.inventory)).join(', then ')}`
  return problem(`${head}; ${j.newer} is on the newer timeline, so it is the current primary and holds the writes since the promotion; ${former}`)
}

function standbyProblems(j: Facts, n: NodeJudgement, opts: JudgeOptions): Problem[] {
  if (n.receiver !== 'streaming') {
    const rebuild = pghaCommand('run', 'playbooks/restore.yml', ...(opts.inventory ? ['-i', opts.inventory] : []), '-e', `rebuild_standby=${n.host}`)
    return [{
      kind: 'detached-standby', nodes: [n.host],
      message: `${n.host} is a detached standby: in recovery but not streaming from any primary (WAL receiver: ${n.receiver ?? 'none'}); ` +
        `its server log says why; make it follow the primary with: repmgr standby follow (as postgres, on ${n.host}), or rebuild it when the primary no longer has the WAL it needs with: ${rebuild}`,
    }]
  }
  if (j.primary !== null && n.upstream !== j.primary) {
    return [{ kind: 'wrong-upstream', nodes: [n.host, j.primary], message: `${wrongUpstream(n.host, n.upstream, j.primary)}; make it follow the primary with: ${siteCommand(opts)}` }]
  }
  return []
}

/** A standby whose replay is further behind its upstream than pgha_status_max_lag_bytes (`pgha status`). */
export function lagProblem(host: string, upstream: string, bytes: number, limit: number, opts: JudgeOptions): Problem {
  const rebuild = pghaCommand('run', 'playbooks/restore.yml', ...(opts.inventory ? ['-i', opts.inventory] : []), '-e', `rebuild_standby=${host}`)
  return {
    kind: 'lagging', nodes: [host],
    message: `${host} replays ${bytes} bytes behind ${upstream}, more than pgha_status_max_lag_bytes (${limit}): ` +
      `see where it stalls with: SELECT * FROM pg_stat_replication (on ${upstream}: write, flush or replay) and its server log; one that never catches up is rebuilt with: ${rebuild}`,
  }
}

/** A standby streaming from another node than the primary, as `pgha status` and site.yml's repair word it. */
export function wrongUpstream(host: string, upstream: string | null, primary: string): string {
  return `${host} is a standby of ${upstream ?? 'an unknown host'}, not of the current primary ${primary}`
}

/** repmgr's record of a node against what its server says. */
function recordProblems(j: Facts, o: NodeObservation, n: NodeJudgement, opts: JudgeOptions): Problem[] {
  if (!j.records) return []
  const mismatch = (message: string, remedy = `register it again with: ${siteCommand(opts)}`): Problem[] => [{ kind: 'repmgr-mismatch', nodes: [o.host], message: `${message}; ${remedy}` }]
  const record = n.record
  if (!record) return mismatch(`${o.host} has no record in repmgr.nodes${o.nodeId !== undefined ? ` (node_id ${o.nodeId})` : ''}: it is not registered`)
  if (record.type !== n.role) return mismatch(`repmgr records ${o.host} as ${record.type}, but PostgreSQL there runs as ${n.role}`)
  if (!record.active) return mismatch(`repmgr records ${o.host} as inactive, but its ${n.role} is running`)
  if (n.role === 'standby' && n.upstream && n.repmgrUpstream && n.upstream !== n.repmgrUpstream) {
    return mismatch(`repmgr records ${o.host}'s upstream as ${n.repmgrUpstream}, but it streams from ${n.upstream}`, `correct the record with: repmgr standby register --force (as postgres, on ${o.host})`)
  }
  return []
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}
