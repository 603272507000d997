// The standby clone's safety rules as one pure decision over two facts: the data directory on this host
// and the upstream as this host sees it. Nothing that may hold the only copy of some data is overwritten
// unless the user said so (repmgr_clone_force=true), and a running server never is.
import type { DataDirInfo, UpstreamInfo } from '../../facts/index.js'

export type CloneDecision =
  /** Clone; `overwrite` adds -F (the directory is not empty). */
  | { action: 'clone'; overwrite: boolean; why: string }
  /** Already a standby of this upstream: nothing to do. */
  | { action: 'ok'; why: string }
  /** Stop the run with this message; the data directory is left as it is. */
  | { action: 'refuse'; why: string }

export interface CloneContext {
  dataDirectory: string
  upstream: string
  force: boolean
  /** The unit to stop before a clone over a running server (named in the message). */
  service?: string
}

const OVERRIDE = 'set repmgr_clone_force=true (-e repmgr_clone_force=true) only once you know its data may be thrown away'

export function decideClone(local: DataDirInfo, up: UpstreamInfo, c: CloneContext): CloneDecision {
  const d = c.dataDirectory
  if (!up.reachable) return { action: 'refuse', why: `cannot reach the upstream ${c.upstream} from this host: ${up.error}` }
  if (up.inRecovery) return { action: 'refuse', why: `the upstream ${c.upstream} is itself a standby (in recovery), not the primary` }
  if (local.dir === 'notdir') return { action: 'refuse', why: `${d} exists and is not a directory` }
  if (local.dir === 'unreadable') return { action: 'refuse', why: `cannot read ${d} (run the task as the postgres user), so cannot tell what it holds` }
  if (local.dir === 'missing' || local.entries === 0) return { action: 'clone', overwrite: false, why: `${d} is ${local.dir === 'missing' ? 'missing' : 'empty'}` }
  const sameCluster = local.systemId !== undefined && local.systemId === up.systemId
  if (local.server === 'running') {
    if (sameCluster && local.inRecovery && local.receiverStatus === 'streaming') {
      return { action: 'ok', why: `${d} is a running standby of ${c.upstream}, streaming${local.receiverHost ? ` from ${local.receiverHost}` : ''}` }
    }
    // A standby of this cluster that is between connections (its primary just restarted) is still a
    // healthy standby: recloning it would throw away a good copy. Not when it is on a newer timeline.
    const notNewer = local.timeline === undefined || up.timeline === undefined || local.timeline <= up.timeline
    if (sameCluster && local.inRecovery && !local.queryError && notNewer) {
      return { action: 'ok', why: `${d} is a running standby of this cluster (timeline ${local.timeline ?? '?'} <= ${up.timeline}), reconnecting to ${c.upstream}` }
    }
    const what = local.queryError ? 'a running server that could not be asked what it is' : local.inRecovery ? 'a running standby that is not streaming from this upstream' : 'a running primary'
    const stop = c.service ? `stop it first (systemctl stop ${c.service})` : 'stop it first'
    return { action: 'refuse', why: `${d} belongs to ${what}; a clone never replaces a running server: ${stop} and check that its data may be thrown away` }
  }
  const refuse = (what: string): CloneDecision =>
    c.force
      ? { action: 'clone', overwrite: true, why: `${what}; overwritten because repmgr_clone_force is true` }
      : { action: 'refuse', why: `${what}; the clone would destroy it: ${OVERRIDE}` }
  if (local.systemId === undefined) return refuse(`${d} is not empty and holds no PostgreSQL cluster pg_controldata can read`)
  if (!sameCluster) return refuse(`${d} holds a different cluster (system identifier ${local.systemId}, the upstream's is ${up.systemId})`)
  if (local.timeline !== undefined && up.timeline !== undefined && local.timeline > up.timeline) {
    return refuse(`${d} is on timeline ${local.timeline}, newer than the upstream's ${up.timeline}: it was promoted after the upstream and may hold writes the upstream lacks`)
  }
  if (!local.standbySignal) return refuse(`${d} is a stopped primary of this cluster (no standby.signal): it may hold writes the upstream lacks (rejoin it instead: pgha run playbooks/rejoin.yml -e node=<this node>, which runs repmgr node rejoin)`)
  return { action: 'ok', why: `${d} is a stopped standby of ${c.upstream} (same system identifier, timeline ${local.timeline ?? '?'} <= ${up.timeline})` }
}
