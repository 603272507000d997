// The WAL archive and the backups, judged on the current primary (the only server that archives): WAL
// that fails to reach the archive, and a repository whose newest backup is missing or older than the
// inventory allows. Each sentence names the command that shows the cause or takes the backup. Only what an
// observer read is judged: the pg_cluster fact reads neither pg_stat_archiver nor the repository.
import { pghaCommand } from '../command-hint.js'
import type { JudgeOptions } from './judge.js'
import type { BackupExpectation, NodeObservation } from './observation.js'
import type { Problem } from './problems.js'

export function backupProblems(primary: NodeObservation | undefined, opts: JudgeOptions = {}): Problem[] {
  if (!primary?.pg) return []
  return [...archiveProblems(primary), ...repositoryProblems(primary, opts)]
}

/** `pgbackrest check` as postgres on the node: pushes a WAL segment and says what stops it. */
function checkCommand(host: string, expected: BackupExpectation | undefined): string {
  return expected
    ? `see why with: sudo -u postgres pgbackrest --stanza=${expected.stanza} check (on ${host}; the details are in pgBackRest's log and in PostgreSQL's)`
    : `see PostgreSQL's log on ${host} for the archive_command's error`
}

/** Failing: the last failure is newer than the last success (pg_stat_archiver counts attempts, not segments). */
function archiveProblems(o: NodeObservation): Problem[] {
  const a = o.pg?.archiver
  if (!a || a.failedCount === 0 || a.lastFailedAt === null) return []
  if (a.lastArchivedAt !== null && a.lastArchivedAt >= a.lastFailedAt) return []
  const success = a.lastArchivedAt === null ? 'no segment was ever archived' : `the last success was at ${iso(a.lastArchivedAt)} (${a.lastArchivedWal ?? '?'})`
  return [{
    kind: 'archive-failing',
    nodes: [o.host],
    message: `archiving WAL fails on the primary ${o.host}: ${a.failedCount} failed attempt(s), the last at ${iso(a.lastFailedAt)} for ${a.lastFailedWal ?? '?'}, and ${success}; ` +
      `the WAL stays in pg_wal until it is archived: ${checkCommand(o.host, o.backupExpected)}`,
  }]
}

function repositoryProblems(o: NodeObservation, opts: JudgeOptions): Problem[] {
  const expected = o.backupExpected
  if (!expected || !o.backup) return []
  const inventoryArgs = opts.inventory ? ['-i', opts.inventory] : []
  const backupNow = pghaCommand('run', 'playbooks/backup.yml', ...inventoryArgs, '-e', 'backup_type=full')
  const problem = (kind: Problem['kind'], message: string): Problem[] => [{ kind, nodes: [o.host], message }]
  if ('error' in o.backup) {
    return problem('backup-unreadable', `pgbackrest info for stanza ${expected.stanza} fails on ${o.host}: ${o.backup.error}; ${checkCommand(o.host, expected)}`)
  }
  const info = o.backup.info
  // Code 2 is "no valid backups": the stanza itself is sound, which the next branch words.
  if (info.statusCode !== 0 && info.statusCode !== 2) {
    return problem('backup-unreadable', `the pgBackRest stanza ${expected.stanza} is not usable, as seen from ${o.host}: ${info.statusMessage}; set it up with: ${pghaCommand('run', 'playbooks/site.yml', ...inventoryArgs)}`)
  }
  if (!info.last) return problem('backup-too-old', `the pgBackRest repository holds no backup of stanza ${expected.stanza}: take one with: ${backupNow}`)
  const ageHours = ((opts.now ?? Date.now()) / 1000 - info.last.stoppedAt) / 3600
  if (ageHours <= expected.maxAgeHours) return []
  return problem('backup-too-old',
    `the newest backup of stanza ${expected.stanza} (${info.last.type}, ${info.last.label}) finished ${ageHours.toFixed(1)} hours ago, more than pgbackrest_backup_max_age_hours (${expected.maxAgeHours}): ` +
    `take one with: ${backupNow}, and see why the scheduled ones stopped with: systemctl list-timers 'pgbackrest-backup-*' on the repository host`)
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z')
}
