// The operations' rules, decided from the node's own data directory: a switchover is needed only on a
// standby (the target already primary: nothing to do), a rejoin only when the node is not already a
// standby streaming from the given primary.
import { PghaError } from '../../errors.js'
import type { DataDirInfo } from '../../facts/index.js'
import type { Plan } from '../types.js'
import { wrongUpstream } from '../../cluster/index.js'

export function planSwitchover(local: DataDirInfo, host: string, siblingsFollow: boolean): Plan<undefined> {
  if (local.server !== 'running' || local.queryError) {
    throw new PghaError('task', `cannot switch over to ${host}: its server is not running${local.queryError ? ` or does not answer (${local.queryError})` : ''}`)
  }
  if (!local.inRecovery) return { changes: [], result: { msg: `${host} is already the primary` } }
  const siblings = siblingsFollow ? ', the other standbys follow it' : ''
  return { changes: [{ description: `switch over: promote ${host}, the current primary becomes its standby${siblings}` }] }
}

/**
 * A standby streaming from another node than the primary follows the primary (`repmgr standby follow`,
 * which restarts it with the primary's conninfo and its slot there). Anything else is left to the other
 * steps: a stopped or detached standby is not re-pointed on the strength of a missing connection.
 */
export function planFollow(local: DataDirInfo, host: string, primary: string): Plan<undefined> {
  if (local.server !== 'running' || local.queryError || !local.inRecovery || local.receiverStatus !== 'streaming' || !local.receiverHost) {
    return { changes: [], result: { msg: `${host} is not a standby streaming from another node: nothing to follow` } }
  }
  if (local.receiverHost === primary) return { changes: [], result: { msg: `${host} streams from the primary ${primary}` } }
  const problem = wrongUpstream(host, local.receiverHost, primary)
  return { changes: [{ description: `${problem}: repmgr standby follow makes it stream from ${primary}` }], result: { msg: problem } }
}

export function planRejoin(local: DataDirInfo, host: string, upstream: string): Plan<undefined> {
  if (local.dir !== 'present' || local.systemId === undefined) {
    throw new PghaError('task', `cannot rejoin ${host}: its data directory holds no cluster (clone it instead: site.yml)`)
  }
  if (local.server === 'running' && local.inRecovery && local.receiverStatus === 'streaming' && local.receiverHost === upstream) {
    return { changes: [], result: { msg: `${host} is already a standby streaming from ${upstream}` } }
  }
  const what = local.server === 'running' ? (local.inRecovery ? 'a standby not streaming from it' : 'running as primary') : 'stopped'
  return { changes: [{ description: `rejoin ${host} (${what}) as a standby of ${upstream}, rewinding it with pg_rewind where it diverged` }] }
}
