// WAL archive and backups with pgBackRest on three nodes: node1 primary, node2 standby, node3 the
// repository host (group backup, no PostgreSQL of its own). site.yml ends with the stanza and a full
// backup; backup.yml takes one now; restore.yml restores to a point in time into a scratch directory and
// rebuilds a standby from the repository; after a switchover the new primary archives into the same
// repository and backups follow it; pgha status reports archiving that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labReset, lab, skipReason } from './lab-env.js'
import { labUp } from '../../src/lab/index.js'
import { clusterShow, eventually, expectClean, onNode, pghaStatus, psql, receiver, role, runShipped, serverLog, timeline, totalChanged } from './ops-helpers.js'

const NODES = ['node1', 'node2', 'node3']
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pgbackrest = (node: string, args: string): Promise<string> => onNode(node, `runuser -u postgres -- pgbackrest --stanza=pgha ${args}`)
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

describe.skipIf(skipReason)('pgBackRest on a three-node lab with a backup host', () => {
  beforeAll(async () => {
    // This reboots the lab with three nodes (or reuses a running three-node lab); node3 starts pristine,
    // since an earlier test may have made it a witness.
    await labUp({ nodes: NODES, backup: 'node3', inventory: lab.inventory, force: true }) // the suite owns its lab instance
    await labReset(['node3'])
    let run = await runShipped('site.yml', lab.inventory)
    if (run.exitCode !== 0) {
      console.log(`e2e: site.yml with a backup host failed (${run.failures.join('; ')}); resetting the nodes\n${(await Promise.all(NODES.map(serverLog))).join('\n')}`)
      await labReset(NODES)
      run = await runShipped('site.yml', lab.inventory)
    }
    console.log(`e2e: site.yml with a backup host took ${seconds(run.elapsedMs)}`)
    expectClean(run, 'site.yml with a backup host')
    if ((await role('node1')) !== 'primary') expectClean(await runShipped('switchover.yml', lab.inventory, { extraVars: ['target=node1'] }), 'switchover back to node1')
  }, 900_000) // three fresh nodes built from scratch, with a reset and a second build if the first fails

  afterAll(async () => {
    await onNode('node2', 'systemctl stop pgha-pitr.service; true').catch(() => undefined)
    // The other e2e files expect the two-node lab.
    await labUp({ nodes: ['node1', 'node2'], inventory: lab.inventory, force: true })
  })

  it('site.yml left the stanza, a full backup, the backup timers on node3, and changes nothing the second time', async () => {
    const info = await pgbackrest('node3', 'info')
    expect(info).toMatch(/^stanza: pgha\n\s+status: ok/)
    expect(info).toMatch(/full backup: \d{8}-\d{6}F/)
    expect((await onNode('node3', 'systemctl is-active pgbackrest-backup-full.timer pgbackrest-backup-diff.timer')).split('\n').filter(Boolean)).toEqual(['active', 'active'])
    // The repository is on node3 only: the data nodes reach it over SSH as postgres.
    expect(await onNode('node1', 'grep -E "^repo1-(host|path)=" /etc/pgbackrest/pgbackrest.conf')).toMatch(/^repo1-host=10\.77\.\d+\.13\s*$/)
    const again = await runShipped('site.yml', lab.inventory)
    expectClean(again, 'second site.yml')
    expect(again.changed).toEqual([])
    const { code, report } = await pghaStatus()
    expect(report.problems).toEqual([])
    expect(code).toBe(0)
  })

  it('restores to a point in time into a scratch directory: exactly the rows written before it', async () => {
    await psql('node1', 'DROP TABLE IF EXISTS pitr_rows')
    await psql('node1', 'CREATE TABLE pitr_rows (id int PRIMARY KEY, written timestamptz NOT NULL DEFAULT clock_timestamp())')
    await psql('node1', 'INSERT INTO pitr_rows (id) SELECT generate_series(1, 3)')
    const backup = await runShipped('backup.yml', lab.inventory, { extraVars: ['backup_type=incr'] })
    console.log(`e2e: backup.yml (incr) took ${seconds(backup.elapsedMs)}`)
    expectClean(backup, 'backup.yml')
    expect(await pgbackrest('node3', 'info')).toMatch(/incr backup: \d{8}-\d{6}F_\d{8}-\d{6}I/)
    await psql('node1', 'INSERT INTO pitr_rows (id) SELECT generate_series(4, 6)')
    await sleep(1100)
    const target = await psql('node1', 'SELECT clock_timestamp()')
    await sleep(1100)
    await psql('node1', 'INSERT INTO pitr_rows (id) SELECT generate_series(7, 9)')

    const restore = await runShipped('restore.yml', lab.inventory, { extraVars: [`target_time='${target}'`] })
    console.log(`e2e: restore.yml to ${target} took ${seconds(restore.elapsedMs)}`)
    expectClean(restore, 'restore.yml -e target_time')
    // The default place is a standby streaming from the primary: node2, port 5499.
    const scratch = (sql: string): Promise<string> => onNode('node2', `runuser -u postgres -- psql -XAtq -p 5499 -d postgres -c "${sql}"`).then((s) => s.trim())
    expect(await scratch("SELECT string_agg(id::text, ',' ORDER BY id) FROM pitr_rows")).toBe('1,2,3,4,5,6')
    expect(await scratch('SHOW archive_mode')).toBe('off')
    expect(await scratch('SELECT pg_is_in_recovery()')).toBe('f')
    // The live cluster is untouched: all nine rows, node2 still its streaming standby.
    expect(await psql('node1', 'SELECT count(*) FROM pitr_rows')).toBe('9')
    expect(await receiver('node2')).toBe('streaming:node1')
    await onNode('node2', 'systemctl stop pgha-pitr.service')
  })

  it('rebuilds the standby node2 from the repository: it streams from node1 again, registered, with every row', async () => {
    const rebuild = await runShipped('restore.yml', lab.inventory, { extraVars: ['rebuild_standby=node2'] })
    console.log(`e2e: restore.yml -e rebuild_standby=node2 took ${seconds(rebuild.elapsedMs)}`)
    expectClean(rebuild, 'restore.yml -e rebuild_standby')
    expect(rebuild.changed).toContain('pgbackrest restore --type=standby --delta @ node2')
    expect(await receiver('node2')).toBe('streaming:node1')
    expect(await eventually(() => psql('node2', 'SELECT count(*) FROM pitr_rows'), (v) => v === '9')).toBe('9')
    expect(await clusterShow('node1')).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
    expect(await psql('node1', "SELECT active FROM pg_replication_slots WHERE slot_name = 'repmgr_slot_2'")).toBe('t')
    expect((await onNode('node2', 'systemctl is-active repmgrd')).trim()).toBe('active')
    // Refused for the current primary, touching nothing.
    const refused = await runShipped('restore.yml', lab.inventory, { extraVars: ['rebuild_standby=node1'] })
    expect(refused.exitCode).toBe(2)
    expect(refused.failures.join('\n')).toContain('not rebuilding node1')
    expect(await role('node1')).toBe('primary')
  })

  it('after a switchover to node2, node2 archives into the same repository and backups are taken from it', async () => {
    expectClean(await runShipped('switchover.yml', lab.inventory, { extraVars: ['target=node2'] }), 'switchover to node2')
    try {
      expect(await role('node2')).toBe('primary')
      const archived = Number(await psql('node2', 'SELECT archived_count FROM pg_stat_archiver'))
      await psql('node2', 'SELECT pg_switch_wal()')
      expect(await eventually(() => psql('node2', 'SELECT archived_count FROM pg_stat_archiver').then(Number), (n) => n > archived)).toBeGreaterThan(archived)
      expect(await psql('node2', 'SELECT coalesce(last_failed_time < last_archived_time, true) FROM pg_stat_archiver')).toBe('t')
      // pgbackrest check from the new primary: a WAL switch there reaches the archive on node3.
      await pgbackrest('node2', 'check')
      const diff = await runShipped('backup.yml', lab.inventory, { extraVars: ['backup_type=diff'] })
      expectClean(diff, 'backup.yml after the switchover')
      // The newest backup starts on node2's timeline: it was taken from node2, the primary now.
      const newest = JSON.parse(await pgbackrest('node3', '--output=json info'))[0].backup.at(-1) as { type: string; archive: { start: string } }
      expect(newest.type).toBe('diff')
      expect(parseInt(newest.archive.start.slice(0, 8), 16)).toBe(await timeline('node2'))
      expect(totalChanged(await runShipped('site.yml', lab.inventory))).toBe(0)
    } finally {
      expectClean(await runShipped('switchover.yml', lab.inventory, { extraVars: ['target=node1'] }), 'switchover back to node1')
    }
  })

  it('pgha status reports archiving that fails on the primary, with the command to see why', async () => {
    await psql('node1', "ALTER SYSTEM SET archive_command = '/bin/false'")
    await psql('node1', 'SELECT pg_reload_conf()')
    try {
      await psql('node1', 'SELECT pg_switch_wal() FROM (SELECT txid_current()) x')
      const seen = await eventually(pghaStatus, (s) => s.report.problems.some((p) => p.kind === 'archive-failing'), 60_000)
      expect(seen.code).toBe(2)
      expect(seen.report.problems.find((p) => p.kind === 'archive-failing')?.message)
        .toMatch(/^archiving WAL fails on the primary node1: .*see why with: sudo -u postgres pgbackrest --stanza=pgha check \(on node1/)
    } finally {
      await psql('node1', 'ALTER SYSTEM RESET archive_command')
      await psql('node1', 'SELECT pg_reload_conf()')
    }
    const healed = await eventually(pghaStatus, (s) => s.report.problems.length === 0, 60_000)
    expect(healed.code).toBe(0)
  })
})
