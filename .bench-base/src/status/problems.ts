// The problems `pgha status` names, each a plain sentence that says what is wrong and, where pgha has the
// remedy, which command applies it.
import type { AnalyzeOptions, ClusterView } from './analyze.js'
import type { NodeRow, Observation, Problem } from './types.js'

export function describeProblems(view: ClusterView, rows: NodeRow[], opts: AnalyzeOptions = {}): Problem[] {
  const rowOf = (o: Observation): NodeRow => rows.find((r) => r.node === o.host)!
  const out: Problem[] = []
  for (const o of view.observations) {
    if (!o.ssh) out.push({ kind: 'unreachable', nodes: [o.host], message: `${o.host} cannot be reached over SSH: ${o.error ?? 'no connection'}` })
    else if (!o.pg) out.push({ kind: 'down', nodes: [o.host], message: `PostgreSQL on ${o.host} does not answer: ${o.error ?? 'no answer'}` })
  }
  out.push(...primaryProblems(view, opts.inventory ?? 'INVENTORY', !!opts.partial))
  for (const o of view.observations) {
    const row = rowOf(o)
    if (row.pgRole === 'standby') out.push(...standbyProblems(view, o, row))
    if (o.pg) out.push(...recordProblems(view, o, row))
    if (o.ssh && o.repmgrdExpected && o.repmgrd === false) {
      out.push({ kind: 'repmgrd-stopped', nodes: [o.host], message: `repmgrd is not running on ${o.host} (repmgrd_enabled is true): no automatic failover from there` })
    }
  }
  if (view.table === null && view.observations.some((o) => o.pg)) {
    const answering = view.observations.filter((o) => o.pg).map((o) => o.host)
    out.push({ kind: 'repmgr-mismatch', nodes: answering, message: 'no node has the table repmgr.nodes: repmgr is not set up on this cluster (run playbooks/site.yml)' })
  }
  return out
}

function primaryProblems(view: ClusterView, inventory: string, partial: boolean): Problem[] {
  const { primaries, current } = view
  if (primaries.length === 0) {
    const standbys = view.observations.filter((o) => o.pg?.inRecovery).map((o) => o.host)
    return standbys.length === 0 || partial ? [] : [{ kind: 'no-primary', nodes: standbys, message: `no node runs as primary: ${list(standbys)} ${standbys.length === 1 ? 'is' : 'are'} in recovery` }]
  }
  if (primaries.length === 1) return []
  const names = primaries.map((o) => o.host)
  const head = `SPLIT BRAIN: ${list(names)} all run as primary (not in recovery), each accepting its own writes.`
  if (!current) {
    const tl = primaries[0].pg?.timeline ?? '?'
    return [{
      kind: 'split-brain', nodes: names,
      message: `${head} They are on the same timeline (${tl}), so pgha cannot tell which holds the newer writes: compare their data, keep one, and rejoin the other with: pgha run playbooks/rejoin.yml -i ${inventory} -e node=<the one to discard>`,
    }]
  }
  const others = primaries.filter((o) => o !== current)
  const otherTimelines = others.map((o) => `${o.host} on ${o.pg?.timeline ?? '?'}`).join(', ')
  const rejoin = others.map((o) => `pgha run playbooks/rejoin.yml -i ${inventory} -e node=${o.host}`).join(' ; ')
  return [{
    kind: 'split-brain', nodes: names,
    message: `${head} ${current.host} is on the newer timeline ${current.pg?.timeline} (${otherTimelines}), so it holds writes the other${others.length === 1 ? ' lacks' : 's lack'}: keep ${current.host} and rejoin ${list(others.map((o) => o.host))} with: ${rejoin}`,
  }]
}

function standbyProblems(view: ClusterView, o: Observation, row: NodeRow): Problem[] {
  const receiver = o.pg?.receiver
  if (!receiver || receiver.status !== 'streaming') {
    return [{ kind: 'detached-standby', nodes: [o.host], message: `${o.host} is a detached standby: in recovery but not streaming from any primary (WAL receiver: ${receiver?.status ?? 'none'})` }]
  }
  const current = view.current
  if (current && row.upstream !== current.host) {
    return [{ kind: 'detached-standby', nodes: [o.host, current.host], message: `${o.host} is a detached standby: it streams from ${row.upstream ?? 'an unknown host'}, not from the current primary ${current.host}` }]
  }
  return []
}

/** repmgr's record of a node against what its server says. */
function recordProblems(view: ClusterView, o: Observation, row: NodeRow): Problem[] {
  if (view.table === null) return []
  const record = view.recordOf(o)
  const mismatch = (message: string): Problem[] => [{ kind: 'repmgr-mismatch', nodes: [o.host], message }]
  if (!record) return mismatch(`${o.host} has no record in repmgr.nodes${o.nodeId !== undefined ? ` (node_id ${o.nodeId})` : ''}: it is not registered`)
  const expected = row.pgRole === 'witness' ? 'witness' : row.pgRole
  if (record.type !== expected) return mismatch(`repmgr records ${o.host} as ${record.type}, but PostgreSQL there runs as ${row.pgRole}`)
  if (!record.active) return mismatch(`repmgr records ${o.host} as inactive, but its ${row.pgRole} is running`)
  if (row.pgRole === 'standby' && row.upstream && row.repmgrUpstream && row.upstream !== row.repmgrUpstream) {
    return mismatch(`repmgr records ${o.host}'s upstream as ${row.repmgrUpstream}, but it streams from ${row.upstream}`)
  }
  return []
}

function list(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}
