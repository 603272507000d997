// `pgha status`: every cluster node read in parallel over SSH (the pg client through the SSH stream, no
// database port opened towards the controller), judged as a whole, with an exit code for scripts:
// 0 healthy, 2 problems found, 4 some node unreachable over SSH (bad input throws ConfigErrors: exit 1).
import { openTransport, type ConnectionSpec, type Transport } from '../transport/index.js'
import { analyze } from './analyze.js'
import { probeNode } from './probe.js'
import { statusTargets, type StatusOptions } from './targets.js'
import type { StatusReport } from './types.js'

export interface ClusterStatusOptions extends StatusOptions {
  /** Opens a transport for a node; the default picks ssh or local from the connection spec. */
  openTransport?: (spec: ConnectionSpec) => Transport
}

export interface ClusterStatus {
  report: StatusReport
  exitCode: 0 | 2 | 4
  /** Values that must not appear in what is printed. */
  secrets: string[]
}

export async function clusterStatus(o: ClusterStatusOptions): Promise<ClusterStatus> {
  const { targets, secrets } = statusTargets(o) // throws ConfigErrors before any node is contacted
  const open = o.openTransport ?? ((spec: ConnectionSpec) => openTransport(spec))
  const observations = await Promise.all(targets.map((t) => probeNode(t, open)))
  const report = analyze(observations, { inventory: o.inventory, partial: o.limit !== undefined })
  const exitCode = observations.some((x) => !x.ssh) ? 4 : report.healthy ? 0 : 2
  return { report, exitCode, secrets }
}

export { analyze, clusterView, type AnalyzeOptions, type ClusterView } from './analyze.js'
export { probeNode, type StatusTarget } from './probe.js'
export { statusTargets, CLUSTER_GROUPS, type StatusOptions, type StatusTargets } from './targets.js'
export { renderText, renderJson, formatTable, cells, COLUMNS } from './render.js'
export { CAPABILITIES_SQL, probeSql, parseProbe, parseCapabilities } from './probe-sql.js'
export type * from './types.js'
