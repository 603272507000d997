// What `pgha status` reads from each node (an Observation), what it makes of them (NodeRow, Problem), and
// the document it prints with --output json (StatusReport).

/** One row of repmgr.nodes, without conninfo (which may carry a password): only its host= part. */
export interface RepmgrRecord {
  nodeId: number
  nodeName: string
  type: string
  upstreamNodeId: number | null
  active: boolean
  location: string
  conninfoHost: string | null
}

/** One walsender as a primary lists it in pg_stat_replication. */
export interface ReplicationClient {
  applicationName: string
  clientAddr: string | null
  state: string
  syncState: string | null
  writeLagBytes: number | null
  flushLagBytes: number | null
  replayLagBytes: number | null
  replayLagSeconds: number | null
}

/** pg_stat_wal_receiver on a standby. */
export interface WalReceiver {
  status: string
  senderHost: string | null
  senderPort: number | null
}

/** What PostgreSQL said, when it answered. */
export interface PgObservation {
  inRecovery: boolean
  timeline: number | null
  receiver: WalReceiver | null
  replication: ReplicationClient[]
  /** repmgr.nodes as this node holds it; null when the table does not exist (repmgr not set up). */
  repmgrNodes: RepmgrRecord[] | null
  /** How the session reached the server. */
  route: 'stream' | 'psql'
}

/** Everything read from one node. `ssh` false: no connection; `pg` undefined: PostgreSQL did not answer. */
export interface Observation {
  host: string
  /** Names and addresses this node may appear as in sender_host or a conninfo. */
  addresses: string[]
  /** In the inventory's witness group. */
  witness: boolean
  /** repmgr_node_id from the inventory, to find the node's own record. */
  nodeId?: number
  /** repmgrd_enabled for this host: whether repmgrd is expected to run. */
  repmgrdExpected: boolean
  ssh: boolean
  pg?: PgObservation
  /** true/false when known; undefined when it could not be told. */
  repmgrd?: boolean
  /** Why ssh or pg failed. */
  error?: string
}

export type PgRole = 'primary' | 'standby' | 'witness' | 'down' | 'unreachable'

/** One line of the table. */
export interface NodeRow {
  node: string
  /** The type repmgr records for the node (`primary`, `standby`, `witness`), `-` when it has no record. */
  repmgrRole: string
  repmgrActive: boolean | null
  /** What the server itself says: pg_is_in_recovery(), or why there is no answer. */
  pgRole: PgRole
  /** The node a standby streams from (inventory name when known), else null. */
  upstream: string | null
  /** The upstream repmgr records, by name. */
  repmgrUpstream: string | null
  timeline: number | null
  /** A standby's state as its primary lists it (else its receiver's); a primary: `N streaming`. */
  replication: string | null
  lagBytes: number | null
  writeLagBytes: number | null
  flushLagBytes: number | null
  lagSeconds: number | null
  repmgrd: boolean | null
  error?: string
}

export type ProblemKind =
  | 'unreachable'
  | 'down'
  | 'split-brain'
  | 'no-primary'
  | 'detached-standby'
  | 'repmgr-mismatch'
  | 'repmgrd-stopped'

export interface Problem {
  kind: ProblemKind
  /** The nodes it concerns. */
  nodes: string[]
  /** One plain sentence for an operator. */
  message: string
}

export interface StatusReport {
  nodes: NodeRow[]
  problems: Problem[]
  healthy: boolean
}
