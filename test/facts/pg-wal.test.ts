// The WAL facts behind the rejoin's safety rule: pg_wal_since's command runs here over a stand-in
// pg_waldump that prints listings captured on the lab (a primary cut off from its standby, which was
// promoted meanwhile: repmgrd's event, autovacuum, the shutdown checkpoint; a primary that committed after
// the fork a transaction whose rows it wrote before), and pg_timeline_history's parser reads a primary's answer.
import { describe, expect, it } from 'vitest'
import { pgTimelineHistoryFact, pgWalSinceFact } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'
import { capturedListing, walSince, waldumpStandIn } from './waldump-stand-in.js'

describe('pg_wal_since fact', () => {
  it('counts the records from the fork on by kind and relation, and keeps the last one', async () => {
    const { listing, end } = capturedListing('pg_waldump-15-cut-off-primary.txt')
    const stand = waldumpStandIn(listing, end)
    try {
      const wal = await localFact(pgWalSinceFact, { data_directory: stand.dataDirectory, bindir: stand.bindir, timeline: 5, start: '0/70054E0' })
      // No segment before the fork's in pg_wal (and no pg_controldata: 16 MB segments): read from the fork's segment.
      expect(stand.args()).toBe(`--path=${stand.dataDirectory}/pg_wal --timeline=5 --start=0/7000000`)
      expect(wal.records).toBe(88)
      expect(wal.readFrom).toBe('0/7000000')
      expect(wal.unreadable).toBeUndefined()
      expect(wal.last).toEqual({ lsn: '0/08000028', length: 114 })
      expect(wal.counts).toContainEqual({ kind: 'Heap INSERT', relation: '16389/16408', count: 1 })
      expect(wal.counts).toContainEqual({ kind: 'XLOG CHECKPOINT_SHUTDOWN', relation: null, count: 1 })
      expect(wal.counts.reduce((n, c) => n + c.count, 0)).toBe(88)
      // repmgrd's transaction 791 commits after the fork; the first snapshot read (nextXid 792) follows it, so
      // whether it wrote before the fork cannot be told from this listing.
      expect(wal.straddling).toEqual([])
      expect(wal.unknownStart).toEqual([{ end: 'Transaction COMMIT', count: 1 }])
    } finally {
      stand.remove()
    }
  })

  it('reads from the segment before the fork\'s, and keeps what a transaction committed after the fork wrote before it', async () => {
    // Transaction 738 inserted five rows on the primary, streamed to the standby; after the promotion (fork
    // at 0/6038D98) the cut-off primary committed it: its COMMIT is the one record past the fork.
    const wal = await walSince('pg_waldump-15-commit-after-fork.txt', '0/6038D98')
    expect(wal.readFrom).toBe('0/5000000')
    expect(wal.records).toBe(1)
    expect(wal.counts).toEqual([{ kind: 'Transaction COMMIT', relation: null, count: 1 }])
    expect(wal.last).toEqual({ lsn: '0/06038D98', length: 34 })
    expect(wal.straddling).toEqual([{
      xid: 738, end: 'Transaction COMMIT',
      before: [{ kind: 'Btree INSERT_LEAF', relation: '5/16452', count: 5 }, { kind: 'Heap INSERT', relation: '5/16447', count: 5 }],
    }])
    expect(wal.unknownStart).toEqual([])
  })

  it('a subtransaction\'s records are its transaction\'s; COMMIT_PREPARED names the prepared xid', async () => {
    // Transaction 725 (subtransaction 726) prepared, committed with COMMIT PREPARED (tx: 0 in its header).
    const commitPrepared = await walSince('pg_waldump-15-two-phase.txt', '0/1525058')
    expect(commitPrepared.straddling).toEqual([{
      xid: 725, end: 'Transaction COMMIT_PREPARED',
      before: [
        { kind: 'Btree INSERT_LEAF', relation: '5/16389', count: 2 }, { kind: 'Btree NEWROOT', relation: '5/16389', count: 1 },
        { kind: 'Heap INSERT', relation: '5/16384', count: 1 }, { kind: 'Heap INSERT+INIT', relation: '5/16384', count: 1 },
        { kind: 'Transaction PREPARE', relation: null, count: 1 },
      ],
    }])
    // Transaction 727 wrote a row before the fork and one in its subtransaction 728 after; it committed after.
    const sub = await walSince('pg_waldump-15-two-phase.txt', '0/1525110')
    expect(sub.straddling).toEqual([{ xid: 727, end: 'Transaction COMMIT', before: [{ kind: 'Btree INSERT_LEAF', relation: '5/16389', count: 1 }, { kind: 'Heap INSERT', relation: '5/16384', count: 1 }] }])
  })

  it('without a snapshot of running transactions before them, transactions that end after the fork are counted as unknown', async () => {
    // The same WAL read from after the checkpoint's snapshot: only the shutdown checkpoint (next xid 730) bounds the xids.
    const wal = await walSince('pg_waldump-15-two-phase.txt', '0/1525058', { skipBefore: '0/1524DE0' })
    expect(wal.straddling).toEqual([])
    expect(wal.unknownStart?.sort((a, b) => a.end.localeCompare(b.end))).toEqual([
      { end: 'Transaction COMMIT', count: 1 }, { end: 'Transaction COMMIT_PREPARED', count: 1 },
    ]) // 729's PREPARE is rolled back after the fork: it ends nothing
  })

  it('nothing after the start is no record, not an error', async () => {
    const stand = waldumpStandIn([], 'pg_waldump: error: could not find a valid record after 0/8000028')
    try {
      expect(await localFact(pgWalSinceFact, { data_directory: stand.dataDirectory, bindir: stand.bindir, timeline: 1, start: '0/8000028' }))
        .toEqual({ records: 0, counts: [], readFrom: '0/8000000', straddling: [], unknownStart: [] })
    } finally {
      stand.remove()
    }
  })

  it('a listing that stops before the fork is unreadable, not empty', async () => {
    const { listing } = capturedListing('pg_waldump-15-commit-after-fork.txt')
    const stand = waldumpStandIn(listing.slice(0, 20), 'pg_waldump: error: error in WAL record at 0/600D680: invalid record length at 0/600D6A8: wanted 24, got 0')
    try {
      expect(await localFact(pgWalSinceFact, { data_directory: stand.dataDirectory, bindir: stand.bindir, timeline: 1, start: '0/6038D98' })).toEqual({
        records: 0, counts: [], unreadable: 'it stopped at 0/600D6A8, before the fork: error in WAL record at 0/600D680: invalid record length at 0/600D6A8: wanted 24, got 0',
      })
    } finally {
      stand.remove()
    }
  })

  it('a recycled segment is unreadable, with pg_waldump\'s words', async () => {
    const stand = waldumpStandIn([], 'pg_waldump: error: could not find file "000000010000000000000003": No such file or directory')
    try {
      expect(await localFact(pgWalSinceFact, { data_directory: stand.dataDirectory, bindir: stand.bindir, timeline: 1, start: '0/3000158' })).toEqual({
        records: 0, counts: [], unreadable: 'could not find file "000000010000000000000003": No such file or directory',
      })
    } finally {
      stand.remove()
    }
  })
})

describe('pg_timeline_history fact', () => {
  const args = { host: 'node2', port: 5432, user: 'repmgr', db: 'repmgr', bindir: '/usr/local/pgsql/bin' }

  it('parses the primary\'s timeline, position, history and repmgr\'s relations', () => {
    const out = 'tli=3\nlsn=0/9000148\nhistory=1\t0/3000158\tno recovery target specified\nhistory=2\t0/70054E0\tno recovery target specified\nown=16389/16408\nown=16389/16412\nrc=0\n'
    expect(pgTimelineHistoryFact.parse(out, args, 0)).toEqual({
      reachable: true, timeline: 3, lsn: '0/9000148',
      history: [{ timeline: 1, switchpoint: '0/3000158' }, { timeline: 2, switchpoint: '0/70054E0' }],
      ownRelations: ['16389/16408', '16389/16412'],
    })
  })

  it('keeps psql\'s reason when the primary cannot be asked (a standby cannot answer pg_current_wal_lsn)', () => {
    const out = 'psql: error: ERROR:  recovery is in progress\nHINT:  WAL control functions cannot be executed during recovery.\nrc=1\n'
    expect(pgTimelineHistoryFact.parse(out, args, 0)).toMatchObject({ reachable: false, error: expect.stringMatching(/^ERROR: {2}recovery is in progress/) })
  })
})
