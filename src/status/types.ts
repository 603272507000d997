// What `pgha status` makes of the cluster's judgement (NodeRow, with the lag it reads from the primary),
// and the document it prints with --output json (StatusReport). What it reads from each node is the cluster
// model's NodeObservation; the problems are the cluster model's.
import type { PgRole, Problem } from '../cluster/index.js'

export type { PgRole, Problem, ProblemKind } from '../cluster/index.js'

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

/** The newest backup, as `pgbackrest info` on the primary lists it; in the report only when it was read. */
export interface BackupSummary {
  stanza: string
  /** The node that read it: the current primary. */
  node: string
  newest: { label: string; type: string; stoppedAt: number } | null
}

export interface StatusReport {
  nodes: NodeRow[]
  problems: Problem[]
  healthy: boolean
  backup?: BackupSummary
}
