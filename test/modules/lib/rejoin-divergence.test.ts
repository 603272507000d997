// The rejoin's safety rule: a former primary is rewound only when it wrote nothing after its timeline left
// the current primary's history (checkpoints, vacuum and repmgr's own events are not writes) and committed
// nothing there that it wrote before; otherwise the rejoin is refused with the amount, unless discarding was
// asked for. Listings captured on the lab (PostgreSQL 15) go through pg_wal_since's own shell and awk.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pgWalSinceFact, type DataDirInfo, type TimelineHistory, type WalSince } from '../../../src/facts/index.js'
import { decideRejoin, divergedAmount, forkPoint } from '../../../src/modules/lib/rejoin-divergence.js'
import { formatLsn, parseLsn } from '../../../src/modules/lib/lsn.js'
import { walSince } from '../../facts/waldump-stand-in.js'

const stopped: DataDirInfo = { dir: 'present', entries: 24, standbySignal: false, systemId: '7712584336385451183', clusterState: 'shut down', timeline: 1, checkpointLsn: '0/5000148', server: 'stopped' }
const primary: TimelineHistory = { reachable: true, timeline: 2, lsn: '0/6000060', history: [{ timeline: 1, switchpoint: '0/50000A0' }], ownRelations: ['16389/16408'] }
const ctx = { upstream: 'node2', discard: false, ownRelations: primary.ownRelations }

/** The node's WAL past the fork: what the shutdown wrote, and repmgrd's event. */
const bookkeeping: WalSince = {
  records: 3,
  counts: [
    { kind: 'Heap INSERT', relation: '16389/16408', count: 1 },
    { kind: 'Transaction COMMIT', relation: null, count: 1 },
    { kind: 'XLOG CHECKPOINT_SHUTDOWN', relation: null, count: 1 },
  ],
  last: { lsn: '0/5000148', length: 114 },
}
/** Rows written by an application on the cut-off primary. */
const rows: WalSince = {
  records: 8,
  counts: [
    { kind: 'Heap INSERT', relation: '5/16384', count: 5 },
    { kind: 'Btree INSERT_LEAF', relation: '5/16387', count: 1 },
    { kind: 'Transaction COMMIT', relation: null, count: 1 },
    { kind: 'Heap INSERT', relation: '5/2619', count: 1 },
  ],
  last: { lsn: '0/5002000', length: 34 },
}

/**
 * pg_wal_since's counts (its awk's output) of a former primary's WAL past the fork, captured on the lab
 * (PostgreSQL 15): cut off seconds after its promotion, it ran autovacuum's first ANALYZE of template1's
 * catalogs (pg_class's reltuples kept in place, pg_statistic rewritten, the long histograms' TOAST chunks
 * replaced in pg_toast_2619 and its index), repmgrd logged two events, and the reboot switched WAL and wrote
 * the shutdown checkpoint.
 */
const analyzeAfterCut: WalSince = pgWalSinceFact.parse(readFileSync(resolve(__dirname, '../../fixtures/pg/pg_wal_since-15-analyze-after-cut.txt'), 'utf8'),
  { data_directory: '/home/postgres/data', bindir: '/usr/lib/postgresql/15/bin', timeline: 3, start: '0/8004158' }, 0)
/** repmgr's relations on the lab's primary: repmgr.events is 16385/16404. */
const labOwn = ['16385/16395', '16385/16396', '16385/16397', '16385/16388', '16385/16409', '16385/16410', '16385/16404', '16385/16411', '16385/16414', '16385/16422', '16385/16419']
/** Adds records to a captured listing. */
const plus = (wal: WalSince, ...counts: WalSince['counts']): WalSince => ({ ...wal, records: wal.records + counts.reduce((n, c) => n + c.count, 0), counts: [...wal.counts, ...counts] })

describe('forkPoint', () => {
  it('is where the node\'s timeline ended in the primary\'s history', () => {
    expect(forkPoint(stopped, primary, 'node2')).toEqual({ kind: 'fork', timeline: 1, lsn: '0/50000A0', why: "its timeline 1 left node2's history at 0/50000A0" })
  })

  it('refuses a node on a newer timeline than the primary, and an unreadable control file', () => {
    expect(forkPoint({ ...stopped, timeline: 3 }, primary, 'node2')).toMatchObject({ kind: 'refuse', why: expect.stringContaining("on timeline 3, newer than node2's 2") })
    expect(forkPoint({ ...stopped, timeline: undefined }, primary, 'node2')).toMatchObject({ kind: 'refuse' })
  })

  it('a standby on the primary\'s timeline wrote nothing of its own', () => {
    expect(forkPoint({ ...stopped, timeline: 2, standbySignal: true }, primary, 'node2')).toMatchObject({ kind: 'same' })
  })

  it('cannot tell when the node\'s timeline is not in the primary\'s lineage', () => {
    expect(forkPoint({ ...stopped, timeline: 1 }, { ...primary, timeline: 4, history: [{ timeline: 2, switchpoint: '0/3000000' }, { timeline: 3, switchpoint: '0/4000000' }] }, 'node2'))
      .toMatchObject({ kind: 'unknown', why: expect.stringContaining("its timeline 1 is not in node2's history (timeline 4: 2, 3)") })
  })

  it('refuses when the primary cannot be asked', () => {
    expect(forkPoint(stopped, { reachable: false, error: 'Connection refused', history: [], ownRelations: [] }, 'node2')).toEqual({ kind: 'refuse', why: 'cannot ask node2 for its timeline history: Connection refused' })
  })
})

describe('decideRejoin', () => {
  const fork = forkPoint(stopped, primary, 'node2')

  it('rejoins a node whose WAL past the fork holds only checkpoints and repmgr\'s own events', () => {
    const d = decideRejoin(stopped, fork, bookkeeping, ctx)
    expect(d.action).toBe('rejoin')
    expect(d.why).toBe("its timeline 1 left node2's history at 0/50000A0; it wrote nothing after that (282 bytes of WAL up to 0/50001BA, 3 records, none of them a write (checkpoints, vacuum, repmgr's own events))")
  })

  it('refuses a node that wrote rows, saying how much and naming the override', () => {
    const d = decideRejoin(stopped, fork, rows, ctx)
    expect(d).toEqual({
      action: 'refuse',
      why: "its timeline 1 left node2's history at 0/50000A0; after that it wrote 8066 bytes of WAL up to 0/5002022, 8 records, 6 of them writes: 5 Heap INSERT, 1 Btree INSERT_LEAF, " +
        'which node2 does not have; a rewind would discard them. Save what you need from it first; -e rejoin_discard_diverged=true discards them, after keeping a copy of the data directory',
    })
  })

  it('with discard, the same node is rejoined after a copy, and the amount travels with it', () => {
    const d = decideRejoin(stopped, fork, rows, { ...ctx, discard: true })
    expect(d).toMatchObject({ action: 'discard', amount: '8066 bytes of WAL up to 0/5002022, 8 records, 6 of them writes: 5 Heap INSERT, 1 Btree INSERT_LEAF' })
  })

  it('autovacuum\'s ANALYZE after the cut is not a write, TOAST of the statistics included; with it, repmgrd\'s events and the shutdown', () => {
    const lab = forkPoint({ ...stopped, timeline: 3 }, { ...primary, timeline: 4, history: [{ timeline: 3, switchpoint: '0/8004158' }] }, 'node2')
    expect(decideRejoin({ ...stopped, timeline: 3 }, lab, analyzeAfterCut, { ...ctx, ownRelations: labOwn })).toEqual({
      action: 'rejoin',
      why: "its timeline 3 left node2's history at 0/8004158; it wrote nothing after that (16760642 bytes of WAL up to 0/900009A, 499 records, none of them a write (checkpoints, vacuum, repmgr's own events))",
    })
  })

  it('a user\'s rows, their TOAST, and DDL in the same WAL as the ANALYZE are writes', () => {
    const lab = forkPoint({ ...stopped, timeline: 3 }, { ...primary, timeline: 4, history: [{ timeline: 3, switchpoint: '0/8004158' }] }, 'node2')
    const decide = (wal: WalSince) => decideRejoin({ ...stopped, timeline: 3 }, lab, wal, { ...ctx, ownRelations: labOwn })
    // One UPDATE of a row whose long value lives in TOAST: the table's, its TOAST table's and TOAST index's records.
    expect(decide(plus(analyzeAfterCut, { kind: 'Heap HOT_UPDATE', relation: '5/16424', count: 1 }, { kind: 'Heap DELETE', relation: '5/16427', count: 1 }, { kind: 'Heap INSERT', relation: '5/16427', count: 1 }, { kind: 'Btree INSERT_LEAF', relation: '5/16428', count: 1 })))
      .toMatchObject({ action: 'refuse', why: expect.stringContaining('503 records, 4 of them writes: 1 Btree INSERT_LEAF, 1 Heap DELETE, 1 Heap HOT_UPDATE, 1 Heap INSERT, which node2 does not have') })
    // CREATE TABLE: its new file and the catalogs' rows in the user's database.
    expect(decide(plus(analyzeAfterCut, { kind: 'Storage CREATE', relation: null, count: 1 }, { kind: 'Heap INSERT', relation: '5/1259', count: 1 }, { kind: 'Heap2 MULTI_INSERT', relation: '5/1249', count: 1 })))
      .toMatchObject({ action: 'refuse', why: expect.stringContaining('3 of them writes: 1 Heap INSERT, 1 Heap2 MULTI_INSERT, 1 Storage CREATE') })
    // A statistics catalog rewritten by VACUUM FULL has a relfilenode of its own: counted, the safe side.
    expect(decide(plus(analyzeAfterCut, { kind: 'Heap UPDATE', relation: '1/16500', count: 1 })).action).toBe('refuse')
  })

  it('PostgreSQL 13\'s pruning (Heap2 CLEAN, CLEANUP_INFO) is vacuum, not a write', () => {
    const pg13 = plus(bookkeeping, { kind: 'Heap2 CLEAN', relation: '16389/1259', count: 3 }, { kind: 'Heap2 CLEANUP_INFO', relation: '16389/1259', count: 1 })
    expect(decideRejoin(stopped, fork, pg13, ctx)).toMatchObject({ action: 'rejoin', why: expect.stringContaining('7 records, none of them a write') })
  })

  it('WAL it cannot read counts as written, measured from its last checkpoint', () => {
    const d = decideRejoin({ ...stopped, checkpointLsn: '0/9000028' }, fork, { records: 0, counts: [], unreadable: 'could not find file "000000010000000000000005"' }, ctx)
    expect(d.action).toBe('refuse')
    expect(d.why).toContain('at least 67108744 bytes of WAL (its last checkpoint is at 0/9000028), which pg_waldump cannot read: could not find file')
  })

  it('nothing past the fork at all is a rejoin', () => {
    expect(decideRejoin(stopped, fork, { records: 0, counts: [] }, ctx)).toMatchObject({ action: 'rejoin', why: expect.stringContaining('(0 bytes of WAL)') })
  })

  it('a lineage it cannot place is refused, or discarded when asked', () => {
    const unknown = { kind: 'unknown' as const, why: "its timeline 1 is not in node2's history" }
    expect(decideRejoin(stopped, unknown, undefined, ctx)).toMatchObject({ action: 'refuse', why: expect.stringContaining('rejoin_discard_diverged=true') })
    expect(decideRejoin(stopped, unknown, undefined, { ...ctx, discard: true })).toMatchObject({ action: 'discard' })
  })
})

describe('transactions that end after the fork', () => {
  /** Node1 on timeline 1, whose timeline left node2's history at `fork`. */
  const at = (fork: string) => forkPoint(stopped, { ...primary, history: [{ timeline: 1, switchpoint: fork }] }, 'node2')
  const decide = (fork: string, wal: WalSince, discard = false) => decideRejoin(stopped, at(fork), wal, { ...ctx, discard, ownRelations: labOwn })
  // pg_waldump-15-commit-after-fork.txt: transaction 738 inserted five rows (streamed to node2, uncommitted);
  // node2 was promoted at 0/6038D98; cut off, node1 committed 738 there.
  const LISTING = 'pg_waldump-15-commit-after-fork.txt'

  it('a COMMIT after the fork of rows written before it is refused, though no record after the fork is a write', async () => {
    expect(decide('0/6038D98', await walSince(LISTING, '0/6038D98'))).toEqual({
      action: 'refuse',
      why: "its timeline 1 left node2's history at 0/6038D98; after that it wrote 34 bytes of WAL up to 0/6038DBA, 1 record, none of them a write (checkpoints, vacuum, repmgr's own events); " +
        '1 transaction committed after the fork had written before it: 5 Btree INSERT_LEAF, 5 Heap INSERT, which node2 does not have; a rewind would discard them. ' +
        'Save what you need from it first; -e rejoin_discard_diverged=true discards them, after keeping a copy of the data directory',
    })
  })

  it('with discard, the amount names the transaction', async () => {
    expect(decide('0/6038D98', await walSince(LISTING, '0/6038D98'), true)).toMatchObject({
      action: 'discard', amount: expect.stringMatching(/, 1 record, none of them a write .*; 1 transaction committed after the fork had written before it: 5 Btree INSERT_LEAF, 5 Heap INSERT$/),
    })
  })

  it('every transaction that committed after the fork on writes from before it is counted', async () => {
    // A fork one record earlier: 739's commit (one row) follows it too.
    expect(decide('0/6038D70', await walSince(LISTING, '0/6038D70')).why).toContain('2 records, none of them a write (checkpoints, vacuum, repmgr\'s own events); 2 transactions committed after the fork had written before it: 6 Btree INSERT_LEAF, 6 Heap INSERT, which')
  })

  it('a transaction whose writes all follow the fork is counted by its writes only', async () => {
    expect(decide('0/6038990', await walSince(LISTING, '0/6038990')).why).toMatch(/, 14 records, 12 of them writes: 6 Btree INSERT_LEAF, 6 Heap INSERT, which node2 does not have/)
  })

  it('a transaction that wrote only repmgr\'s rows before the fork loses nothing by its commit', async () => {
    // repmgrd's event (733, in repmgr.events) committed just after the fork; the node's own DDL follows.
    const amount = divergedAmount('0/60055C0', await walSince(LISTING, '0/60055C0'), stopped, labOwn)
    expect(amount.transactions).toBe(0)
    expect(amount.writes).toBeGreaterThan(0)
    expect(amount.text).not.toContain('transaction')
  })

  it('two-phase: COMMIT PREPARED after the fork of a transaction prepared before it is counted, with its subtransaction\'s rows', async () => {
    const d = decide('0/1525058', await walSince('pg_waldump-15-two-phase.txt', '0/1525058'))
    expect(d.action).toBe('refuse')
    expect(d.why).toContain('; 1 transaction committed after the fork had written before it: 2 Btree INSERT_LEAF, 1 Btree NEWROOT, 1 Heap INSERT, 1 Heap INSERT+INIT, which node2')
  })

  it('two-phase: a transaction prepared after the fork and rolled back there loses nothing', async () => {
    expect(decide('0/1525248', await walSince('pg_waldump-15-two-phase.txt', '0/1525248'))).toMatchObject({ action: 'rejoin', why: expect.stringContaining('3 records, none of them a write') })
  })

  it('a transaction prepared after the fork on writes from before it is counted as prepared', () => {
    const wal: WalSince = { ...bookkeeping, straddling: [{ xid: 900, end: 'Transaction PREPARE', before: [{ kind: 'Heap UPDATE', relation: '5/16384', count: 2 }] }] }
    expect(decideRejoin(stopped, at('0/50000A0'), wal, ctx).why).toContain('; 1 transaction prepared after the fork had written before it: 2 Heap UPDATE, which node2')
  })

  it('a transaction that may have begun before the WAL read is counted: what it wrote before the fork is not known', async () => {
    const d = decide('0/1525058', await walSince('pg_waldump-15-two-phase.txt', '0/1525058', { skipBefore: '0/1524DE0' }))
    expect(d.action).toBe('refuse')
    // 725 (COMMIT PREPARED) and 727 (COMMIT); only the shutdown checkpoint at the end bounds their xids.
    expect(d.why).toContain('6 of them writes: 3 Btree INSERT_LEAF, 3 Heap INSERT; 2 transactions committed after the fork began before 0/1000000, where the WAL read starts: what they wrote before the fork is not known, which node2')
  })
})

describe('LSNs', () => {
  it('read and print as PostgreSQL does', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n)
    expect(formatLsn(0x16b374d848n)).toBe('16/B374D848')
    expect(() => parseLsn('nope')).toThrow('not a WAL position')
  })
})
