// The rejoin's safety rule as pure decisions over three facts: the node's data directory, the current
// primary's timeline history, and the node's WAL past the point where its timeline left that history.
// pg_rewind takes back everything the node wrote after that point; when that includes writes (records that
// change data, not the checkpoints and snapshots a server writes on its own) or the commit of a transaction
// that wrote before it, the rejoin is refused unless the user said to discard them, and then a copy of the
// data directory is kept first.
import type { DataDirInfo, TimelineHistory, WalRecordCount, WalSince } from '../../facts/index.js'
import { formatLsn, parseLsn } from './lsn.js'

/** Where the node's WAL stops being the primary's: its timeline and the LSN; or why that cannot be told. */
export type ForkPoint =
  | { kind: 'fork'; timeline: number; lsn: string; why: string }
  /** A standby on the primary's timeline: it writes no WAL of its own. */
  | { kind: 'same'; why: string }
  | { kind: 'unknown'; why: string }
  | { kind: 'refuse'; why: string }

export type RejoinSafety =
  | { action: 'rejoin'; why: string }
  /** Diverged, and the user allowed discarding it: keep a copy of the data directory first. */
  | { action: 'discard'; why: string; amount: string }
  | { action: 'refuse'; why: string }

/**
 * Records that change nobody's data: what a server writes by itself (checkpoints, WAL switches, snapshots of
 * running transactions, hint-bit page images, vacuum and index cleanup of rows written before, statistics
 * kept in place, transaction status pages), row locks, and the records that end a transaction (commit,
 * prepare, abort: what a commit takes back is what its transaction wrote, see discardedTransactions). Any
 * other record is a write, unless it is repmgr's own (its events) or the planner's statistics that
 * autovacuum's ANALYZE refreshes. A write counts whether or not its transaction committed: the node is
 * checked before it stops, while such a transaction may still commit, and one that never does was
 * discarded by the server already, so refusing costs only the override.
 * PostgreSQL 13 names vacuum's pruning 'Heap2 CLEAN' and 'Heap2 CLEANUP_INFO'; 14 on 'Heap2 PRUNE'.
 */
const NOT_WRITES = new Set([
  'XLOG CHECKPOINT_SHUTDOWN', 'XLOG CHECKPOINT_ONLINE', 'XLOG NOOP', 'XLOG NEXTOID', 'XLOG SWITCH', 'XLOG BACKUP_END', 'XLOG PARAMETER_CHANGE',
  'XLOG RESTORE_POINT', 'XLOG FPW_CHANGE', 'XLOG END_OF_RECOVERY', 'XLOG FPI_FOR_HINT', 'XLOG OVERWRITE_CONTRECORD',
  'Transaction COMMIT', 'Transaction ABORT', 'Transaction PREPARE', 'Transaction COMMIT_PREPARED', 'Transaction ABORT_PREPARED', 'Transaction ASSIGNMENT', 'Transaction INVALIDATION',
  'Standby RUNNING_XACTS', 'Standby LOCK', 'Standby INVALIDATIONS',
  'Heap LOCK', 'Heap INPLACE', 'Heap CONFIRM', 'Heap2 PRUNE', 'Heap2 VACUUM', 'Heap2 CLEAN', 'Heap2 CLEANUP_INFO', 'Heap2 FREEZE_PAGE', 'Heap2 VISIBLE', 'Heap2 LOCK_UPDATED', 'Heap2 NEW_CID',
  'Btree VACUUM', 'Btree DELETE', 'Btree MARK_PAGE_HALFDEAD', 'Btree UNLINK_PAGE', 'Btree UNLINK_PAGE_META', 'Btree REUSE_PAGE', 'Btree META_CLEANUP',
  'Hash VACUUM_ONE_PAGE', 'Hash DELETE', 'Hash SPLIT_CLEANUP', 'Gin VACUUM_PAGE', 'Gin DELETE_PAGE', 'Gin VACUUM_DATA_LEAF_PAGE', 'Gin DELETE_LISTPAGE',
  'Gist DELETE', 'Gist PAGE_REUSE', 'SPGist VACUUM_LEAF', 'SPGist VACUUM_ROOT', 'SPGist VACUUM_REDIRECT', 'BRIN REVMAP_EXTEND', 'BRIN DESUMMARIZE',
  'CLOG ZEROPAGE', 'CLOG TRUNCATE', 'CommitTs ZEROPAGE', 'CommitTs TRUNCATE',
  'MultiXact ZERO_OFF_PAGE', 'MultiXact ZERO_MEM_PAGE', 'MultiXact CREATE_ID', 'MultiXact TRUNCATE_ID',
])
/**
 * Where ANALYZE (autovacuum's, in any database, template1 too) keeps the planner's statistics: pg_statistic
 * and pg_statistic_ext_data, their indexes, and their TOAST tables and TOAST indexes, which hold the long
 * histograms and most-common-value lists: refreshing one deletes its old TOAST chunks and inserts new ones
 * (Heap DELETE, Heap INSERT, Btree INSERT_LEAF there). As relfilenodes, in every database: initdb gives these
 * catalogs relfilenode = oid, and a relfilenode below 16384 is never assigned after initdb (a catalog
 * rewritten by VACUUM FULL gets a new one above, and its records count as writes: the safe side).
 */
const STATISTICS = new Set([
  '2619', '2696', '2840', '2841', // pg_statistic, pg_statistic_relid_att_inh_index, pg_toast_2619, pg_toast_2619_index
  '3429', '3433', '3430', '3431', // pg_statistic_ext_data, its stxoid index, pg_toast_3429, pg_toast_3429_index
])

/** Whether records of this kind on this relation change someone's data. */
function isWrite(r: WalRecordCount, own: ReadonlySet<string>): boolean {
  if (NOT_WRITES.has(r.kind)) return false
  if (r.relation === null) return true
  return !own.has(r.relation) && !STATISTICS.has(r.relation.split('/')[1] ?? '')
}

export function forkPoint(local: DataDirInfo, primary: TimelineHistory, upstream: string): ForkPoint {
  if (!primary.reachable || primary.timeline === undefined) return { kind: 'refuse', why: `cannot ask ${upstream} for its timeline history: ${primary.error ?? 'no answer'}` }
  const tl = local.timeline
  if (tl === undefined) return { kind: 'refuse', why: 'pg_controldata cannot read its control file, so what it holds cannot be told' }
  if (tl > primary.timeline) return { kind: 'refuse', why: `it is on timeline ${tl}, newer than ${upstream}'s ${primary.timeline}: it holds the writes since a later promotion; rejoin the other node instead` }
  if (tl === primary.timeline) {
    if (local.standbySignal || local.inRecovery) return { kind: 'same', why: `it is a standby on ${upstream}'s timeline ${tl}: it wrote no WAL of its own` }
    return { kind: 'fork', timeline: tl, lsn: primary.lsn ?? '0/0', why: `it ran as primary on ${upstream}'s own timeline ${tl}` }
  }
  const ended = primary.history.find((h) => h.timeline === tl)
  if (!ended) return { kind: 'unknown', why: `its timeline ${tl} is not in ${upstream}'s history (timeline ${primary.timeline}: ${primary.history.map((h) => h.timeline).join(', ') || 'none'}), so ${upstream} does not descend from what it holds` }
  return { kind: 'fork', timeline: tl, lsn: ended.switchpoint, why: `its timeline ${tl} left ${upstream}'s history at ${ended.switchpoint}` }
}

/** Counts by kind, largest first, at most six named: `5 Heap INSERT, 1 Btree INSERT_LEAF`. */
function byKind(records: WalRecordCount[]): string {
  const kinds = new Map<string, number>()
  for (const r of records) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + r.count)
  const sorted = [...kinds].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
  return sorted.slice(0, 6).map(([k, c]) => `${c} ${k}`).join(', ') + (sorted.length > 6 ? ', ...' : '')
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`
/** How transactions ended: committed, prepared (two-phase), or both. */
const ended = (ends: string[]): string => {
  const prepared = ends.some((e) => e === 'Transaction PREPARE')
  return prepared && ends.some((e) => e !== 'Transaction PREPARE') ? 'committed or prepared' : prepared ? 'prepared' : 'committed'
}

/**
 * Transactions that committed (or prepared) after the fork on rows written before it: the standby received
 * those rows, not the commit, so its promotion ended the transaction as aborted, while the node holds it
 * committed; the rewind takes the commit back. A transaction whose writes all follow the fork is counted with
 * them already, one that wrote only what is not a write (repmgr's events, statistics) loses nothing, and one
 * that may have begun before the WAL read is counted, since what it wrote there is not known.
 */
function discardedTransactions(wal: WalSince, own: ReadonlySet<string>): { count: number; text: string[] } {
  const straddling = (wal.straddling ?? []).map((t) => ({ end: t.end, writes: t.before.filter((r) => isWrite(r, own)) })).filter((t) => t.writes.length > 0)
  const unknown = wal.unknownStart ?? []
  const unknownCount = unknown.reduce((n, u) => n + u.count, 0)
  const text: string[] = []
  if (straddling.length) {
    text.push(`${plural(straddling.length, 'transaction')} ${ended(straddling.map((t) => t.end))} after the fork had written before it: ${byKind(straddling.flatMap((t) => t.writes))}`)
  }
  if (unknownCount) {
    text.push(`${plural(unknownCount, 'transaction')} ${ended(unknown.map((u) => u.end))} after the fork began before ${wal.readFrom ?? 'the WAL read'}, where the WAL read starts: what ${unknownCount === 1 ? 'it' : 'they'} wrote before the fork is not known`)
  }
  return { count: straddling.length + unknownCount, text }
}

/**
 * How much WAL the node holds past the fork, how many of its records are writes, and how many transactions
 * committed past it on writes from before it; `text` says all three.
 */
export function divergedAmount(fork: string, wal: WalSince, local: DataDirInfo, ownRelations: string[]): { writes: number; transactions: number; text: string } {
  const start = parseLsn(fork)
  if (wal.unreadable !== undefined) {
    const ckpt = local.checkpointLsn ? parseLsn(local.checkpointLsn) : undefined
    const bytes = ckpt !== undefined && ckpt > start ? ckpt - start : 0n
    const known = bytes > 0n ? `at least ${bytes} bytes of WAL (its last checkpoint is at ${local.checkpointLsn})` : 'an unknown amount of WAL'
    return { writes: 1, transactions: 0, text: `${known}, which pg_waldump cannot read: ${wal.unreadable}` }
  }
  if (wal.records === 0 || !wal.last) return { writes: 0, transactions: 0, text: '0 bytes of WAL' }
  const end = parseLsn(wal.last.lsn) + BigInt(wal.last.length)
  const own = new Set(ownRelations)
  const written = wal.counts.filter((r) => isWrite(r, own))
  const writes = written.reduce((n, r) => n + r.count, 0)
  const tx = discardedTransactions(wal, own)
  const records = plural(wal.records, 'record')
  const which = writes === 0 ? 'none of them a write (checkpoints, vacuum, repmgr\'s own events)' : `${writes} of them ${writes === 1 ? 'a write' : 'writes'}: ${byKind(written)}`
  return { writes, transactions: tx.count, text: [`${end - start} bytes of WAL up to ${formatLsn(end)}, ${records}, ${which}`, ...tx.text].join('; ') }
}

export interface RejoinContext {
  upstream: string
  /** The user allows discarding what diverged (rejoin_discard_diverged). */
  discard: boolean
  /** repmgr's own relations (TimelineHistory.ownRelations): its rows are not the user's writes. */
  ownRelations: string[]
}

const OVERRIDE = '-e rejoin_discard_diverged=true discards them, after keeping a copy of the data directory'

export function decideRejoin(local: DataDirInfo, fork: ForkPoint, wal: WalSince | undefined, c: RejoinContext): RejoinSafety {
  if (fork.kind === 'refuse') return { action: 'refuse', why: fork.why }
  if (fork.kind === 'same') return { action: 'rejoin', why: fork.why }
  if (fork.kind === 'unknown') {
    return c.discard ? { action: 'discard', why: fork.why, amount: 'all it wrote on its own lineage' } : { action: 'refuse', why: `${fork.why}: a rewind may discard writes only it holds; ${OVERRIDE}` }
  }
  const amount = divergedAmount(fork.lsn, wal ?? { records: 0, counts: [] }, local, c.ownRelations)
  if (amount.writes + amount.transactions === 0) return { action: 'rejoin', why: `${fork.why}; it wrote nothing after that (${amount.text})` }
  const what = `${fork.why}; after that it wrote ${amount.text}, which ${c.upstream} does not have`
  if (c.discard) return { action: 'discard', why: what, amount: amount.text }
  return { action: 'refuse', why: `${what}; a rewind would discard them. Save what you need from it first; ${OVERRIDE}` }
}
