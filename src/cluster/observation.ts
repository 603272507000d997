// What one node of the cluster said about itself, however it was asked: `pgha status` reads every node
// over SSH (its server, repmgr's records, repmgrd), the pg_cluster fact asks every node's server over the
// network from one host with repmgr's conninfo. Both produce this, and judge() reads only this.

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

/** pg_stat_archiver: how archive_command fares on this server (times in epoch seconds). */
export interface ArchiverStats {
  archivedCount: number
  failedCount: number
  lastArchivedWal: string | null
  lastArchivedAt: number | null
  lastFailedWal: string | null
  lastFailedAt: number | null
}

/** What `pgbackrest info` says about the cluster's stanza. */
export interface BackupInfo {
  stanza: string
  /** pgBackRest's status of the stanza: 0 ok, 2 no valid backups, other codes a repository problem. */
  statusCode: number
  statusMessage: string
  /** The newest backup (by stop time), null when the repository holds none. */
  last: { label: string; type: string; stoppedAt: number } | null
}

/** What the inventory expects of a data node's backups (pgBackRest with a repository host in group backup). */
export interface BackupExpectation {
  stanza: string
  /** pgbackrest_backup_max_age_hours: the newest backup may be this old. */
  maxAgeHours: number
}

/** pgbackrest info as read on a node: what it said, or why it could not be read. */
export type BackupObservation = { info: BackupInfo } | { error: string }

/** What PostgreSQL said, when it answered. */
export interface PgObservation {
  inRecovery: boolean
  /** The timeline it is on (see TIMELINE_SQL); null when it could not be told. */
  timeline: number | null
  receiver: WalReceiver | null
  /** The walsenders it lists; undefined when the observer does not read them. */
  replication?: ReplicationClient[]
  /**
   * repmgr.nodes as this node holds it: null when the table does not exist (repmgr not set up), undefined
   * when the observer does not read it (then repmgr's records are not judged).
   */
  repmgrNodes?: RepmgrRecord[] | null
  /** pg_control_system()'s identifier, when the observer reads it. */
  systemId?: string
  /** How the session reached the server (`pgha status`: through the SSH stream or psql on the node). */
  route?: 'stream' | 'psql'
  /** pg_stat_archiver, when the observer reads it (`pgha status`). */
  archiver?: ArchiverStats
}

/** Everything known about one node. `ssh` false: the host was not reached; `pg` undefined: PostgreSQL did not answer. */
export interface NodeObservation {
  /** The node's inventory name. */
  host: string
  /** Names and addresses this node may appear as in sender_host or a conninfo. */
  addresses: string[]
  /** In the inventory's witness group. */
  witness: boolean
  /** repmgr_node_id from the inventory, to find the node's own record. */
  nodeId?: number
  /** repmgrd_enabled for this host: whether repmgrd is expected to run. */
  repmgrdExpected: boolean
  /** pgha_status_max_lag_bytes: a standby further behind is a problem (`pgha status`); undefined: not judged. */
  maxLagBytes?: number
  /** The systemd unit running PostgreSQL (pg_service), for the commands the problems suggest; default pgserver. */
  service?: string
  /**
   * The host itself was reached (over SSH, by `pgha status`). An observer asking the server over the
   * network from another host cannot tell a down host from a down server, and says true.
   */
  ssh: boolean
  pg?: PgObservation
  /** Whether repmgrd runs, when known; undefined when it could not be told or was not asked. */
  repmgrd?: boolean
  /** Backups the inventory expects for this node's cluster; undefined when it expects none. */
  backupExpected?: BackupExpectation
  /** The repository as this node reads it (`pgha status` asks a primary only); undefined when not read. */
  backup?: BackupObservation
  /** Why ssh or pg failed. */
  error?: string
}

/**
 * The timeline a server is on, the same for every observer: a primary's from its current WAL file name
 * (which changes at promotion, before any checkpoint); a standby's the newer of its last restartpoint's
 * and the one its WAL receiver gets.
 */
export const TIMELINE_SQL = `CASE WHEN pg_is_in_recovery()
    THEN greatest((SELECT timeline_id FROM pg_control_checkpoint()), (SELECT received_tli FROM pg_stat_wal_receiver))
    ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END`
