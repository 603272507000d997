// Observations as `pgha status` reads them from nodes, built from a few words, for the analysis tests.
import type { NodeObservation as Observation, RepmgrRecord, ReplicationClient } from '../../src/cluster/index.js'

export function record(nodeId: number, nodeName: string, type: string, upstreamNodeId: number | null = null, active = true): RepmgrRecord {
  return { nodeId, nodeName, type, upstreamNodeId, active, location: 'default', conninfoHost: nodeName }
}

/** The repmgr table of a healthy node1 primary / node2 (/node3) standby cluster. */
export function table(...extra: RepmgrRecord[]): RepmgrRecord[] {
  return [record(1, 'node1', 'primary'), record(2, 'node2', 'standby', 1), ...extra]
}

export function client(name: string, lagBytes = 0, lagSeconds: number | null = null, state = 'streaming'): ReplicationClient {
  return {
    applicationName: name, clientAddr: null, state, syncState: 'async',
    writeLagBytes: lagBytes, flushLagBytes: lagBytes, replayLagBytes: lagBytes, replayLagSeconds: lagSeconds,
  }
}

const base = (host: string, nodeId: number): Observation => ({
  host, addresses: [host, `10.0.0.${nodeId}`], witness: false, nodeId, repmgrdExpected: true, ssh: true, repmgrd: true,
})

export function primary(host: string, nodeId: number, o: { timeline?: number; clients?: ReplicationClient[]; nodes?: RepmgrRecord[] | null } = {}): Observation {
  return {
    ...base(host, nodeId),
    pg: { inRecovery: false, timeline: o.timeline ?? 1, receiver: null, replication: o.clients ?? [], repmgrNodes: o.nodes === undefined ? table() : o.nodes, route: 'stream' },
  }
}

export function standby(host: string, nodeId: number, o: { from?: string | null; status?: string; timeline?: number; nodes?: RepmgrRecord[] } = {}): Observation {
  const from = o.from === undefined ? 'node1' : o.from
  return {
    ...base(host, nodeId),
    pg: {
      inRecovery: true, timeline: o.timeline ?? 1,
      receiver: from === null ? null : { status: o.status ?? 'streaming', senderHost: from, senderPort: 5432 },
      replication: [], repmgrNodes: o.nodes ?? table(), route: 'psql',
    },
  }
}

export function witness(host: string, nodeId: number, nodes: RepmgrRecord[]): Observation {
  return { ...primary(host, nodeId, { nodes }), witness: true }
}

export function down(host: string, nodeId: number, error = 'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory'): Observation {
  return { ...base(host, nodeId), repmgrd: false, error }
}

export function unreachable(host: string, nodeId: number): Observation {
  const { repmgrd: _, ...rest } = base(host, nodeId)
  return { ...rest, ssh: false, error: 'connect ECONNREFUSED 10.0.0.3:22' }
}
