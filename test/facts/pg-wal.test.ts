// The WAL facts behind the rejoin's safety rule: pg_wal_since's command runs here over a stand-in
// pg_waldump that prints a listing captured on the lab (a primary cut off from its standby, which was
// promoted meanwhile: repmgrd's event, autovacuum, the shutdown checkpoint), and pg_timeline_history's
// parser reads a primary's answer.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pgTimelineHistoryFact, pgWalSinceFact } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'

const work = mkdtempSync(join(tmpdir(), 'pgha-walfact-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A bindir whose pg_waldump prints `listing` on stdout and `error` on stderr, and records its arguments. */
function waldump(name: string, listing: string, error: string): string {
  const b = join(work, name)
  mkdirSync(b)
  writeFileSync(join(b, 'listing.txt'), listing)
  writeFileSync(join(b, 'pg_waldump'), `#!/bin/sh\necho "$@" > '${b}/args'\ncat '${b}/listing.txt'\necho '${error}' >&2\nexit 1\n`)
  chmodSync(join(b, 'pg_waldump'), 0o755)
  return b
}

describe('pg_wal_since fact', () => {
  const captured = readFileSync(resolve(__dirname, '../fixtures/pg/pg_waldump-15-cut-off-primary.txt'), 'utf8')
  const [listing, end] = [captured.split('\n').filter((l) => l.startsWith('rmgr: ')).join('\n'), captured.split('\n').find((l) => l.startsWith('pg_waldump: '))!]

  it('counts the records by kind and relation, and keeps the last one', async () => {
    const b = waldump('cut', listing, end)
    const wal = await localFact(pgWalSinceFact, { data_directory: '/home/postgres/data', bindir: b, timeline: 5, start: '0/70054E0' })
    expect(readFileSync(join(b, 'args'), 'utf8').trim()).toBe('--path=/home/postgres/data/pg_wal --timeline=5 --start=0/70054E0')
    expect(wal.records).toBe(88)
    expect(wal.unreadable).toBeUndefined()
    expect(wal.last).toEqual({ lsn: '0/08000028', length: 114 })
    expect(wal.counts).toContainEqual({ kind: 'Heap INSERT', relation: '16389/16408', count: 1 })
    expect(wal.counts).toContainEqual({ kind: 'XLOG CHECKPOINT_SHUTDOWN', relation: null, count: 1 })
    expect(wal.counts.reduce((n, c) => n + c.count, 0)).toBe(88)
  })

  it('nothing after the start is no record, not an error', async () => {
    const b = waldump('none', '', 'pg_waldump: error: could not find a valid record after 0/8000028')
    expect(await localFact(pgWalSinceFact, { data_directory: '/d', bindir: b, timeline: 1, start: '0/8000028' })).toEqual({ records: 0, counts: [] })
  })

  it('a recycled segment is unreadable, with pg_waldump\'s words', async () => {
    const b = waldump('gone', '', 'pg_waldump: error: could not find file "000000010000000000000003": No such file or directory')
    expect(await localFact(pgWalSinceFact, { data_directory: '/d', bindir: b, timeline: 1, start: '0/3000158' })).toEqual({
      records: 0, counts: [], unreadable: 'could not find file "000000010000000000000003": No such file or directory',
    })
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
