// WAL facts for the rejoin's safety rule: where a former primary's timeline left the current primary's
// history (the primary's timeline history file, asked from the node over the network), and what the node's
// own WAL holds past that point (pg_waldump over its pg_wal, counted on the host so that a long divergence
// stays a few lines of output).
import type { FactDef } from './types.js'
import { shq } from '../shell/index.js'
import { upstreamAnswer, upstreamQuery, type UpstreamArgs } from './postgres.js'

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

/** The current primary's timeline and history, asked from this host with repmgr's connection. */
export const pgTimelineHistoryFact: FactDef<TimelineHistoryArgs, TimelineHistory> = {
  name: 'pg_timeline_history',
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
  /** Where to start reading (an LSN at a record boundary: the fork point). */
  start: string
}

/** How many records of one kind (`Heap INSERT`) touched one relation (`databaseOid/relfilenode`; null: none). */
export interface WalRecordCount {
  kind: string
  relation: string | null
  count: number
}

export interface WalSince {
  /** Records from `start` on, and how many of each kind on each relation (its first block reference). */
  records: number
  counts: WalRecordCount[]
  /** The last record read: where it begins and its total length; undefined when there is none. */
  last?: { lsn: string; length: number }
  /**
   * The WAL from `start` could not be read (its segment was already recycled, or pg_waldump failed):
   * pg_waldump's words. Then records and kinds are not known.
   */
  unreadable?: string
}

// pg_waldump ends every listing with an error at the end of the WAL ("invalid record length", or no
// record at all after the start): those are the normal end. Anything else means it could not read.
const NORMAL_END = /(invalid record length|invalid magic number|invalid resource manager ID|record with incorrect prev-link|could not find a valid record after|record length .* too long|contrecord is requested|invalid record offset|missing contrecord|unexpected pageaddr|invalid info bits)/

const COUNT_AWK = `/^rmgr: / {
  n++; d = $0; sub(/.*desc: /, "", d); split(d, w, " ")
  r = "-"; if (match($0, /blkref #0: rel [0-9]+\\/[0-9]+\\/[0-9]+/)) { r = substr($0, RSTART + 15, RLENGTH - 15); sub(/^[0-9]+\\//, "", r) }
  c[$2 " " w[1] " " r]++
  l = $0; sub(/.*lsn: /, "", l); sub(/,.*/, "", l)
  t = $0; sub(/.*len \\(rec\\/tot\\): *[0-9]+\\/ */, "", t); sub(/,.*/, "", t); last = l " " t; next
}
NF { err = $0 }
END { for (k in c) print "kind=" c[k] " " k; print "records=" n + 0; if (last != "") print "last=" last; print "err=" err }`

/** The node's WAL on `timeline` from `start` on, as pg_waldump reads it (a running server's too). */
export const pgWalSinceFact: FactDef<WalSinceArgs, WalSince> = {
  name: 'pg_wal_since',
  command: ({ data_directory, bindir, timeline, start }) => {
    const waldump = shq(`${bindir.replace(/\/$/, '')}/pg_waldump`)
    return `LC_ALL=C ${waldump} --path=${shq(`${data_directory.replace(/\/$/, '')}/pg_wal`)} --timeline=${timeline} --start=${shq(start)} 2>&1 | awk ${shq(COUNT_AWK)}`
  },
  parse(stdout) {
    const lines = stdout.split('\n')
    const value = (key: string): string | undefined => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1)
    const records = Number(value('records') ?? 0)
    const err = (value('err') ?? '').replace(/^pg_waldump: (error|fatal): /, '').trim()
    if (records === 0 && err !== '' && !NORMAL_END.test(err)) return { records: 0, counts: [], unreadable: err }
    const counts = lines.filter((x) => x.startsWith('kind=')).map((l) => {
      const [count, rmgr, type, rel] = l.slice('kind='.length).split(' ')
      return { kind: `${rmgr} ${type}`, relation: rel && rel !== '-' ? rel : null, count: Number(count) }
    })
    const [lsn, length] = (value('last') ?? '').split(' ')
    return { records, counts, last: lsn ? { lsn, length: Number(length) } : undefined }
  },
}
