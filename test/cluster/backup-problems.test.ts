// The WAL archive and the backups as the cluster model judges them: only the current primary's archiver
// counts (a standby does not archive), a failure older than the last success is history, and the newest
// backup is too old past pgbackrest_backup_max_age_hours. Each sentence names what to run.
import { describe, expect, it } from 'vitest'
import { judge, type ArchiverStats, type BackupObservation, type NodeObservation } from '../../src/cluster/index.js'

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0)
const at = (hoursAgo: number): number => NOW / 1000 - hoursAgo * 3600
const archiver = (o: Partial<ArchiverStats> = {}): ArchiverStats => ({
  archivedCount: 10, failedCount: 0, lastArchivedWal: '00000001000000000000000A', lastArchivedAt: at(0.1), lastFailedWal: null, lastFailedAt: null, ...o,
})
const expected = { stanza: 'pgha', maxAgeHours: 26 }
const backup = (hoursAgo: number, type = 'diff'): BackupObservation => ({
  info: { stanza: 'pgha', statusCode: 0, statusMessage: 'ok', last: { label: '20261206-010000F_20261206-013000D', type, stoppedAt: at(hoursAgo) } },
})

function primary(host: string, o: { archiver?: ArchiverStats; backup?: BackupObservation; expect?: boolean } = {}): NodeObservation {
  return {
    host, addresses: [host], witness: false, repmgrdExpected: false, ssh: true,
    pg: { inRecovery: false, timeline: 1, receiver: null, ...(o.archiver ? { archiver: o.archiver } : {}) },
    ...(o.expect === false ? {} : { backupExpected: expected }),
    ...(o.backup ? { backup: o.backup } : {}),
  }
}
const standby = (host: string, a?: ArchiverStats): NodeObservation => ({
  host, addresses: [host], witness: false, repmgrdExpected: false, ssh: true, backupExpected: expected,
  pg: { inRecovery: true, timeline: 1, receiver: { status: 'streaming', senderHost: 'node1', senderPort: 5432 }, ...(a ? { archiver: a } : {}) },
})

const problems = (nodes: NodeObservation[]): string[] => judge(nodes, { inventory: 'inventory/prod.yml', now: NOW }).problems.map((p) => `${p.kind} ${p.nodes.join(',')}: ${p.message}`)

describe('the WAL archive and the backups in the judgement', () => {
  it('archiving and a recent backup: healthy', () => {
    expect(problems([primary('node1', { archiver: archiver(), backup: backup(3) }), standby('node2')])).toEqual([])
  })

  it('a failure newer than the last success on the primary: archiving fails, with the check to run', () => {
    const failing = archiver({ failedCount: 4, lastFailedWal: '00000001000000000000000B', lastFailedAt: at(0.05) })
    expect(problems([primary('node1', { archiver: failing, backup: backup(3) }), standby('node2')])).toEqual([
      'archive-failing node1: archiving WAL fails on the primary node1: 4 failed attempt(s), the last at 2026-12-06T11:57:00Z for 00000001000000000000000B, ' +
        'and the last success was at 2026-12-06T11:54:00Z (00000001000000000000000A); the WAL stays in pg_wal until it is archived: ' +
        "see why with: sudo -u postgres pgbackrest --stanza=pgha check (on node1; the details are in pgBackRest's log and in PostgreSQL's)",
    ])
  })

  it('never archived at all, and archive_command not from pgBackRest: PostgreSQL\'s log is the place to look', () => {
    const never = archiver({ archivedCount: 0, lastArchivedWal: null, lastArchivedAt: null, failedCount: 1, lastFailedWal: '000000010000000000000001', lastFailedAt: at(1) })
    expect(problems([primary('node1', { archiver: never, expect: false })])).toEqual([
      "archive-failing node1: archiving WAL fails on the primary node1: 1 failed attempt(s), the last at 2026-12-06T11:00:00Z for 000000010000000000000001, and no segment was ever archived; " +
        "the WAL stays in pg_wal until it is archived: see PostgreSQL's log on node1 for the archive_command's error",
    ])
  })

  it('failures older than the last success, or on a standby, are not a problem', () => {
    const recovered = archiver({ failedCount: 6, lastFailedAt: at(2), lastFailedWal: '000000010000000000000001' })
    const failingStandby = archiver({ failedCount: 3, lastFailedAt: at(0.01) })
    expect(problems([primary('node1', { archiver: recovered, backup: backup(3) }), standby('node2', failingStandby)])).toEqual([])
  })

  it('no backup, a stanza that is not usable, info that cannot be read', () => {
    const none: BackupObservation = { info: { stanza: 'pgha', statusCode: 2, statusMessage: 'no valid backups', last: null } }
    expect(problems([primary('node1', { backup: none })])).toEqual([
      'backup-too-old node1: the pgBackRest repository holds no backup of stanza pgha: take one with: npx pgha run playbooks/backup.yml -i inventory/prod.yml -e backup_type=full',
    ])
    const missing: BackupObservation = { info: { stanza: 'pgha', statusCode: 1, statusMessage: 'missing stanza path', last: null } }
    expect(problems([primary('node1', { backup: missing })])).toEqual([
      'backup-unreadable node1: the pgBackRest stanza pgha is not usable, as seen from node1: missing stanza path; set it up with: npx pgha run playbooks/site.yml -i inventory/prod.yml',
    ])
    expect(problems([primary('node1', { backup: { error: 'rc 124 (timed out): no output' } })])).toEqual([
      'backup-unreadable node1: pgbackrest info for stanza pgha fails on node1: rc 124 (timed out): no output; ' +
        "see why with: sudo -u postgres pgbackrest --stanza=pgha check (on node1; the details are in pgBackRest's log and in PostgreSQL's)",
    ])
  })

  it('the newest backup older than pgbackrest_backup_max_age_hours: too old, with the backup to take and the timers to look at', () => {
    expect(problems([primary('node1', { backup: backup(25.9) })])).toEqual([])
    expect(problems([primary('node1', { backup: backup(30, 'full') })])).toEqual([
      'backup-too-old node1: the newest backup of stanza pgha (full, 20261206-010000F_20261206-013000D) finished 30.0 hours ago, more than pgbackrest_backup_max_age_hours (26): ' +
        "take one with: npx pgha run playbooks/backup.yml -i inventory/prod.yml -e backup_type=full, and see why the scheduled ones stopped with: systemctl list-timers 'pgbackrest-backup-*' on the repository host",
    ])
  })

  it('in a split brain, the node on the newer timeline is the one judged', () => {
    const old = { ...primary('node1', { archiver: archiver({ failedCount: 1, lastFailedAt: at(0.01) }), backup: backup(40) }) }
    const newer = primary('node2', { archiver: archiver(), backup: backup(1) })
    newer.pg!.timeline = 2
    expect(problems([old, newer]).filter((p) => !p.startsWith('split-brain'))).toEqual([])
  })
})
