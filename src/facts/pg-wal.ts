// WAL facts for the rejoin's safety rule: where a former primary's timeline left the current primary's
// history (the primary's timeline history file, asked from the node over the network), and what the node's
// own WAL holds past that point (pg_waldump over its pg_wal, counted on the host so that a long divergence
// stays a few lines of output).
import type { FactDef } from './types.js'
import { shq } from '../shell/index.js'
import { upstreamAnswer, upstreamQuery, type UpstreamArgs } from './postgres.js'
import { parseLsn } from '../modules/lib/lsn.js'

/** The current primary, asked from this host as the clone asks its upstream. */
export type TimelineHistoryArgs = UpstreamArgs

/** One line of a timeline history file: timeline `timeline` ended at `switchpoint`. */
export interface TimelineSwitch {
  timeline: number
  switchpoint: string
}

export interface TimelineHistory {
  reachable: boolean
  /** psql's error when the primary could not be asked. */
  error?: string
  /** The timeline the primary writes now, and its current WAL position. */
  timeline?: number
  lsn?: string
  /** Its history: every earlier timeline of its lineage and where it ended (empty on timeline 1). */
  history: TimelineSwitch[]
  /**
   * repmgr's own relations (schema repmgr: its tables, their indexes and TOAST) in the database asked, as
   * `databaseOid/relfilenode` the way pg_waldump names a relation: what repmgrd writes by itself (events).
   */
  ownRelations: string[]
}

// pg_read_file's missing_ok: timeline 1 has no history file.
const HISTORY_SQL = `WITH t AS (SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS tli, pg_current_wal_lsn() AS lsn),
own AS (SELECT oid FROM pg_class WHERE relnamespace = to_regnamespace('repmgr'))
SELECT 'tli=' || tli FROM t UNION ALL SELECT 'lsn=' || lsn FROM t
UNION ALL SELECT 'history=' || l FROM t, regexp_split_to_table(coalesce(pg_read_file('pg_wal/' || lpad(upper(to_hex(tli)), 8, '0') || '.history', 0, 1048576, true), ''), E'\\n') AS l WHERE l ~ '^[0-9]'
UNION ALL SELECT 'own=' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/' || pg_relation_filenode(c.oid) FROM pg_class c
  WHERE pg_relation_filenode(c.oid) IS NOT NULL AND (c.oid IN (SELECT oid FROM own) OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE oid IN (SELECT oid FROM own))
    OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM own UNION SELECT reltoastrelid FROM pg_class WHERE oid IN (SELECT oid FROM own))))`

/**
 * The current primary's timeline and history, asked from this host with repmgr's connection. Read ahead
 * with the facts around it; the primary moves on (a promotion, new WAL), so it is volatile.
 */
export const pgTimelineHistoryFact: FactDef<TimelineHistoryArgs, TimelineHistory> = {
  name: 'pg_timeline_history',
  batch: 'joined',
  volatile: true,
  command: (args) => upstreamQuery(args, HISTORY_SQL),
  parse(stdout) {
    const { ok, lines, error } = upstreamAnswer(stdout)
    const value = (key: string): string | undefined => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1)
    const tli = Number(value('tli'))
    if (!ok || !Number.isInteger(tli) || tli < 1) return { reachable: false, error, history: [], ownRelations: [] }
    const history = lines.filter((l) => l.startsWith('history=')).map((l) => l.slice('history='.length).split('\t'))
      .map(([t, s]) => ({ timeline: Number(t), switchpoint: (s ?? '').trim() }))
      .filter((h) => Number.isInteger(h.timeline) && /^[0-9A-F]+\/[0-9A-F]+$/i.test(h.switchpoint))
    const ownRelations = lines.filter((l) => /^own=\d+\/\d+$/.test(l)).map((l) => l.slice('own='.length))
    return { reachable: true, timeline: tli, lsn: value('lsn'), history, ownRelations }
  },
}

export interface WalSinceArgs {
  data_directory: string
  bindir: string
  /** The node's timeline, whose WAL files are read. */
  timeline: number
  /** The fork point: records from here on are the node's own (an LSN at a record boundary). */
  start: string
}

/** How many records of one kind (`Heap INSERT`) touched one relation (`databaseOid/relfilenode`; null: none). */
export interface WalRecordCount {
  kind: string
  relation: string | null
  count: number
}

/** A transaction that ended after the fork (`Transaction COMMIT`, `COMMIT_PREPARED`, `PREPARE`) and wrote records before it. */
export interface StraddlingTransaction {
  xid: number
  end: string
  /** Its records (its subtransactions' too) before the fork, by kind and relation. */
  before: WalRecordCount[]
}

export interface WalSince {
  /** Records from `start` on, and how many of each kind on each relation (its first block reference). */
  records: number
  counts: WalRecordCount[]
  /** The last record read: where it begins and its total length; undefined when there is none. */
  last?: { lsn: string; length: number }
  /** Where the reading began: the start of the fork's WAL segment, or of the one before when it is there. */
  readFrom?: string
  /** Transactions that ended after `start` having written before it, what they wrote there (`ended` below). */
  straddling?: StraddlingTransaction[]
  /**
   * Transactions that ended after `start` but may have begun before `readFrom`, so what they wrote before
   * the fork is not known: how many, by how they ended. Known are those whose xid is at least the nextXid of
   * the first running-transactions snapshot (or shutdown checkpoint) read: it is written holding the lock
   * that hands out xids, so every record of a later xid follows it.
   */
  unknownStart?: { end: string; count: number }[]
  /**
   * The WAL from `start` could not be read (its segment was already recycled, or pg_waldump failed):
   * pg_waldump's words. Then records and kinds are not known.
   */
  unreadable?: string
}

// pg_waldump ends every listing with an error at the end of the WAL ("invalid record length", or no
// record at all after the start): those are the normal end. Anything else means it could not read.
const NORMAL_END = /(invalid record length|invalid magic number|invalid resource manager ID|record with incorrect prev-link|could not find a valid record after|record length .* too long|contrecord is requested|invalid record offset|missing contrecord|unexpected pageaddr|invalid info bits)/

/** How a transaction ends after the fork in a way the rewind takes back: its commit, or its prepare. */
const ENDS = ['Transaction COMMIT', 'Transaction COMMIT_PREPARED', 'Transaction PREPARE']

// One pass over pg_waldump's listing from `from` (before the fork, `f` in bytes): records from the fork on
// are counted by kind and relation; records before it are kept per xid, and printed at the end only for
// transactions that end after the fork (a COMMIT's subxacts are its own; COMMIT_PREPARED names its xid in
// its desc; one prepared and rolled back after the fork ends nothing). Those whose xid precedes the first
// snapshot's nextXid (modulo 2^32) may have begun before `from`: only counted. mawk has no strtonum: LSNs
// are read digit by digit (exact below 2^53 bytes); xids stay strings as keys.
const COUNT_AWK = `function hex(s,  i, n) { n = 0; for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789ABCDEF", toupper(substr(s, i, 1))) - 1; return n }
function pos(s,  p) { split(s, p, "/"); return hex(p[1]) * 4294967296 + hex(p[2]) }
/^rmgr: / {
  d = $0; sub(/.*desc: /, "", d); split(d, w, " "); k = $2 " " w[1]
  r = "-"; if (match($0, /blkref #0: rel [0-9]+\\/[0-9]+\\/[0-9]+/)) { r = substr($0, RSTART + 15, RLENGTH - 15); sub(/^[0-9]+\\//, "", r) }
  x = $0; sub(/.*tx: */, "", x); sub(/,.*/, "", x)
  l = $0; sub(/.*lsn: /, "", l); sub(/,.*/, "", l)
  if (bound == "" && k == "Standby RUNNING_XACTS") bound = w[3] + 0
  if (bound == "" && k == "XLOG CHECKPOINT_SHUTDOWN" && match(d, /xid [0-9]+:[0-9]+/)) { b = substr(d, RSTART, RLENGTH); sub(/.*:/, "", b); bound = b + 0 }
  if (pos(l) < f) { before++; if (x != "0") pre[x " " k " " r]++; next }
  n++; c[k " " r]++
  if (k == "${ENDS[0]}" || k == "${ENDS[1]}" || k == "${ENDS[2]}") {
    t = x; if (k == "${ENDS[1]}" && w[2] ~ /^[0-9]+:$/) t = substr(w[2], 1, length(w[2]) - 1)
    ended[t] = k
    if (match(d, /subxacts:( [0-9]+)+/)) { split(substr(d, RSTART + 9, RLENGTH - 9), s, " "); for (i in s) up[s[i]] = t }
  }
  if (k == "Transaction ABORT_PREPARED" && w[2] ~ /^[0-9]+:$/) { t = substr(w[2], 1, length(w[2]) - 1); if ((t in ended) && ended[t] == "${ENDS[2]}") delete ended[t] }
  z = $0; sub(/.*len \\(rec\\/tot\\): *[0-9]+\\/ */, "", z); sub(/,.*/, "", z); last = l " " z; next
}
NF { err = $0 }
END {
  for (t in ended) { g = t - bound; if (g < 0) g += 4294967296; if (bound == "" || g >= 2147483648) { unknown[ended[t]]++; early[t] = 1 } }
  for (p in pre) {
    split(p, q, " "); t = q[1]; if (t in up) t = up[t]
    if ((t in ended) && !(t in early)) { print "pre=" t " " pre[p] " " q[2] " " q[3] " " q[4]; seen[t] = 1 }
  }
  for (t in seen) print "end=" t " " ended[t]
  for (e in unknown) print "unknown=" unknown[e] " " e
  for (k in c) print "kind=" c[k] " " k; print "records=" n + 0; print "before=" before + 0; if (last != "") print "last=" last; print "err=" err
}`

/** Counts of the same kind on the same relation (a transaction's and its subtransactions') as one, in order. */
function merged(counts: WalRecordCount[]): WalRecordCount[] {
  const by = new Map<string, WalRecordCount>()
  for (const c of counts) {
    const key = `${c.kind} ${c.relation}`
    by.set(key, { ...c, count: (by.get(key)?.count ?? 0) + c.count })
  }
  return [...by.values()].sort((a, b) => a.kind.localeCompare(b.kind) || String(a.relation).localeCompare(String(b.relation)))
}

/**
 * The node's WAL on `timeline` from the fork on, as pg_waldump reads it (a running server's too), read from
 * the start of the fork's segment, or of the segment before when it is still there (pg_controldata gives
 * the segment size), to see what the transactions that end after the fork wrote before it.
 */
export const pgWalSinceFact: FactDef<WalSinceArgs, WalSince> = {
  name: 'pg_wal_since',
  command: ({ data_directory, bindir, timeline, start }) => {
    const b = bindir.replace(/\/$/, '')
    const fork = parseLsn(start)
    return [
      `d=${shq(data_directory.replace(/\/$/, ''))}; export LC_ALL=C`,
      `seg=$(${shq(`${b}/pg_controldata`)} -D "$d" 2>/dev/null | sed -n 's/^Bytes per WAL segment: *//p'); seg=\${seg:-16777216}`,
      `n=$((${fork} / seg)); per=$((4294967296 / seg)); s=$((n * seg))`,
      `if [ "$n" -gt 0 ] && [ -f "$d/pg_wal/$(printf '%08X%08X%08X' ${timeline} $(((n - 1) / per)) $(((n - 1) % per)))" ]; then s=$(((n - 1) * seg)); fi`,
      `from=$(printf '%X/%X' $((s / 4294967296)) $((s % 4294967296))); echo "from=$from"`,
      `${shq(`${b}/pg_waldump`)} --path="$d/pg_wal" --timeline=${timeline} --start="$from" 2>&1 | awk -v f=${fork} ${shq(COUNT_AWK)}`,
    ].join('\n')
  },
  parse(stdout, { start }) {
    const lines = stdout.split('\n')
    const value = (key: string): string | undefined => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1)
    const all = (key: string): string[][] => lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1).split(' '))
    const records = Number(value('records') ?? 0)
    const err = (value('err') ?? '').replace(/^pg_waldump: (error|fatal): /, '').trim()
    if (records === 0 && err !== '' && !NORMAL_END.test(err)) return { records: 0, counts: [], unreadable: err }
    // Read from before the fork, it must have got there: a listing that ends before the fork says nothing of
    // what follows. Where it stopped is the last position its error names ("... at 0/6038DC0: wanted 24").
    const stop = err.match(/\b[0-9A-F]{1,8}\/[0-9A-F]{1,8}\b/gi)?.pop()
    if (records === 0 && Number(value('before') ?? 0) > 0 && stop && parseLsn(stop) < parseLsn(start)) return { records: 0, counts: [], unreadable: `it stopped at ${stop}, before the fork: ${err}` }
    const count = (n: string, rmgr: string, type: string, rel?: string): WalRecordCount => ({ kind: `${rmgr} ${type}`, relation: rel && rel !== '-' ? rel : null, count: Number(n) })
    const counts = all('kind').map(([n, rmgr, type, rel]) => count(n, rmgr, type, rel))
    const straddling = all('end').map(([xid, rmgr, type]) => ({
      xid: Number(xid), end: `${rmgr} ${type}`,
      before: merged(all('pre').filter(([x]) => x === xid).map(([, n, rmgr, type, rel]) => count(n, rmgr, type, rel))),
    })).sort((a, b) => a.xid - b.xid)
    const unknownStart = all('unknown').map(([n, rmgr, type]) => ({ end: `${rmgr} ${type}`, count: Number(n) }))
    const [lsn, length] = (value('last') ?? '').split(' ')
    return { records, counts, last: lsn ? { lsn, length: Number(length) } : undefined, readFrom: value('from'), straddling, unknownStart }
  },
}
