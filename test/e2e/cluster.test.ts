// From freshly booted nodes, site.yml builds a verified repmgr primary/standby cluster; a second
// run changes nothing; drift made by hand is repaired exactly, and --check --diff predicts it first.
import { describe, expect, it, beforeAll } from 'vitest'
import { lab, labReset, net, skipReason } from './lab-env.js'
import { eventually, onNode, psql, runShipped, totalChanged } from './cluster-helpers.js'

const sortUniq = (xs: string[]): string[] => [...new Set(xs)].sort()

describe.skipIf(skipReason)('site.yml on the lab: a fresh pair to a verified primary/standby cluster', () => {
  beforeAll(async () => {
    // Freshly booted nodes, as the article starts: no PostgreSQL, no repmgr.
    await labReset(['node1', 'node2'])
  })

  it('previews the fresh install with --check: it runs to the end, predicts changes on both nodes and touches nothing', async () => {
    const check = await runShipped('site.yml', lab.inventory, { check: true })
    expect(check.failures).toEqual([])
    expect(check.exitCode).toBe(0)
    expect(check.recap.node1.changed).toBeGreaterThan(10)
    expect(check.recap.node2.changed).toBeGreaterThan(10)
    // Nothing of it is on the nodes: no postgres account, no repmgr configuration.
    expect((await onNode('node1', 'getent passwd postgres || echo none')).trim()).toBe('none')
    expect((await onNode('node2', 'test -e /etc/sudoers.d/postgres && echo there || echo none')).trim()).toBe('none')
  })

  it('builds the cluster from fresh nodes, and verify passes', async () => {
    const run = await runShipped('site.yml', lab.inventory)
    console.log(`e2e: fresh site.yml took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expect(run.failures).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.recap.node1.failed + run.recap.node2.failed).toBe(0)
    // What the article checks by hand (step 11): the primary streams to node2, node2 receives from node1.
    expect(await psql('node1', "SELECT application_name || ':' || state FROM pg_stat_replication")).toBe('node2:streaming')
    expect(await psql('node2', 'SELECT status || \':\' || sender_host FROM pg_stat_wal_receiver')).toBe('streaming:node1')
    const show = await onNode('node1', 'runuser -u postgres -- /usr/lib/postgresql/15/bin/repmgr -f /usr/lib/postgresql/15/repmgr.conf cluster show')
    expect(show).toMatch(/\|\s*node1\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
  })

  it('archives WAL into the pgBackRest repository on the standby node2, which holds a full backup', async () => {
    // Without a backup host the lab puts the last standby in group backup: the repository is on its disk.
    const info = await onNode('node2', 'runuser -u postgres -- pgbackrest --stanza=pgha info')
    expect(info).toMatch(/^stanza: pgha\n\s+status: ok/)
    expect(info).toMatch(/full backup: \d{8}-\d{6}F/)
    const archived = Number(await psql('node1', 'SELECT archived_count FROM pg_stat_archiver'))
    await psql('node1', 'SELECT pg_switch_wal()')
    expect(await eventually(() => psql('node1', 'SELECT archived_count FROM pg_stat_archiver').then(Number), (n) => n > archived)).toBeGreaterThan(archived)
    // Segments written before the stanza existed failed once; none fails since.
    expect(await psql('node1', 'SELECT coalesce(last_failed_time < last_archived_time, true) FROM pg_stat_archiver')).toBe('t')
    // Each standby streams through its own replication slot, kept by repmgr on the primary.
    expect(await psql('node1', "SELECT slot_name || ':' || active FROM pg_replication_slots")).toBe('repmgr_slot_2:true')
  })

  it('replicates a row written on the primary to the standby', async () => {
    await psql('node1', 'CREATE TABLE IF NOT EXISTS e2e_rows (id int primary key, note text)')
    await psql('node1', "INSERT INTO e2e_rows VALUES (1, 'written on node1') ON CONFLICT (id) DO UPDATE SET note = excluded.note")
    const seen = await eventually(() => psql('node2', 'SELECT note FROM e2e_rows WHERE id = 1'), (v) => v === 'written on node1')
    expect(seen).toBe('written on node1')
  })

  it('a second run changes nothing on any host', async () => {
    const run = await runShipped('site.yml', lab.inventory)
    console.log(`e2e: converged site.yml re-run took ${(run.elapsedMs / 1000).toFixed(2)} s, ${run.roundTrips} round trips`)
    expect(run.failures).toEqual([])
    expect(run.changed).toEqual([])
    // Read ahead across the playbooks: 11 round trips on a quiet machine (19 when the step 7 check was a
    // command and a read of the cluster served one task only). A slow machine reads the cluster again
    // after 1 s (facts/cache.ts), so the bound leaves room for that.
    expect(run.roundTrips).toBeLessThanOrEqual(16)
    expect(run.recap.node1.changed).toBe(0)
    expect(run.recap.node2.changed).toBe(0)
  })

  it('repairs exactly what drifted, predicted first by --check --diff; a reload-only drift does not restart PostgreSQL', async () => {
    const started = await psql('node1', 'SELECT pg_postmaster_start_time()')
    await onNode('node1', "sed -i \"s|^archive_command = .*|archive_command = '/bin/false'|\" /home/postgres/data/postgresql.conf")
    await onNode('node2', 'rm /etc/sudoers.d/postgres')
    await onNode('node1', `sed -i -E '/^host\\s+replication\\s+repmgr\\s+${net.prefix.replace(/\./g, '\\.')}\\.12\\/32/d' /home/postgres/data/pg_hba.conf`)
    const snapshot = 'md5sum /home/postgres/data/postgresql.conf /home/postgres/data/pg_hba.conf; ls /etc/sudoers.d'
    const before = { node1: await onNode('node1', snapshot), node2: await onNode('node2', snapshot) }

    const check = await runShipped('site.yml', lab.inventory, { check: true })
    expect(check.failures).toEqual([])
    // --check touched nothing.
    expect(await onNode('node1', snapshot)).toBe(before.node1)
    expect(await onNode('node2', snapshot)).toBe(before.node2)

    const real = await runShipped('site.yml', lab.inventory)
    expect(real.failures).toEqual([])
    const expected = [
      'replication settings that need a reload @ node1',
      'pg_hba.conf generated from the inventory @ node1',
      'PostgreSQL reloaded for the changed files (where no restart reads them first) @ node1',
      'sudoers for postgres (checked with visudo before it is put in place) @ node2',
    ].sort()
    expect(sortUniq(real.changed)).toEqual(expected)
    expect(sortUniq(check.changed)).toEqual(expected)
    expect(await psql('node1', 'SELECT pg_postmaster_start_time()')).toBe(started)
    expect(await onNode('node1', 'grep -c "^archive_command = \'/usr/bin/pgbackrest --stanza=pgha archive-push %p\'" /home/postgres/data/postgresql.conf')).toBe('1')
    expect(await onNode('node2', 'stat -c "%a %U" /etc/sudoers.d/postgres')).toBe('440 root')
  })

  /**
   * A hand-made drift on node2 that repmgrd must be restarted for: --check predicts `expected` and touches
   * nothing (the drift still there), the real run makes exactly those changes, removes the drift and gives
   * repmgrd a new PID, and the run after changes nothing.
   */
  async function repairsRepmgrdDrift(drift: string, drifted: string, expected: string[]): Promise<void> {
    const pid = async (): Promise<string> => onNode('node2', 'systemctl show -p MainPID --value repmgrd')
    const before = await pid()
    await onNode('node2', drift)
    const check = await runShipped('site.yml', lab.inventory, { check: true })
    expect(check.failures).toEqual([])
    expect(await onNode('node2', `grep -c ${drifted}; true`)).toBe('1')
    const real = await runShipped('site.yml', lab.inventory)
    expect(real.failures).toEqual([])
    expect(sortUniq(real.changed)).toEqual(expected)
    expect(sortUniq(check.changed)).toEqual(expected)
    expect(await onNode('node2', `grep -c ${drifted}; true`)).toBe('0')
    expect(await pid()).not.toBe(before)
  }

  it('restarts repmgrd when repmgr.conf drifted, predicted first by --check, and touches nothing else', async () => {
    await repairsRepmgrdDrift("sed -i -E 's|^(monitor_interval_secs)=.*|\\1=7|' /usr/lib/postgresql/15/repmgr.conf",
      '"^monitor_interval_secs=7" /usr/lib/postgresql/15/repmgr.conf',
      ['repmgr.conf @ node2', 'repmgrd restarted to read the changed repmgr.conf @ node2'])
    expect(totalChanged(await runShipped('site.yml', lab.inventory))).toBe(0)
  })

  it('restarts repmgrd when its unit drifted, predicted first by --check, and the run ends with it registered', async () => {
    await repairsRepmgrdDrift("echo '# drifted' >> /etc/systemd/system/repmgrd.service", '"# drifted" /etc/systemd/system/repmgrd.service',
      // systemd reloading the changed unit is not a change (as in Ansible's systemd): the unit and the restart are
      ['repmgrd unit @ node2', 'restart repmgrd @ node2'])
    // The handler ran before the registration wait: the restarted repmgrd is already registered.
    expect(await psql('node2', 'SELECT repmgr.repmgrd_is_running()', 'repmgr')).toBe('t')
    expect(totalChanged(await runShipped('site.yml', lab.inventory))).toBe(0)
  })

  /**
   * After a restart by hand, repmgrd marks the standby inactive in repmgr.nodes for 2-3 s; a site.yml run in
   * that window rightly registers it again. The tests below start site.yml once the cluster has settled.
   */
  const activeAgain = async (node: string): Promise<void> => {
    const active = () => psql('node1', `SELECT active FROM repmgr.nodes WHERE node_name = '${node}'`, 'repmgr')
    expect(await eventually(active, (v) => v === 't', 60_000)).toBe('t')
  }

  it('restarts PostgreSQL when the server runs a drifted restart-requiring setting, and only then', async () => {
    // Edited in the file only: the server still runs the inventory's value, so the line is written back
    // and nothing restarts.
    const started1 = await psql('node1', 'SELECT pg_postmaster_start_time()')
    await onNode('node1', "sed -i 's|^max_wal_senders = .*|max_wal_senders = 7|' /home/postgres/data/postgresql.conf")
    const fileOnly = await runShipped('site.yml', lab.inventory)
    expect(fileOnly.failures).toEqual([])
    expect(sortUniq(fileOnly.changed)).toEqual(['replication settings that need a restart (postgresql.conf, one line each) @ node1'])
    expect(await onNode('node1', 'grep -c "^max_wal_senders = 10$" /home/postgres/data/postgresql.conf')).toBe('1')
    expect(await psql('node1', 'SELECT pg_postmaster_start_time()')).toBe(started1)
    // Edited and applied by a restart by hand on the standby: the line is written back and node2 restarted on it.
    await onNode('node2', "sed -i 's|^max_wal_senders = .*|max_wal_senders = 12|' /home/postgres/data/postgresql.conf && systemctl restart pgserver")
    expect(await psql('node2', 'SHOW max_wal_senders')).toBe('12')
    await activeAgain('node2')
    const started2 = await psql('node2', 'SELECT pg_postmaster_start_time()')
    const real = await runShipped('site.yml', lab.inventory)
    expect(real.failures).toEqual([])
    expect(sortUniq(real.changed)).toEqual(['a standby (or the witness) restarted @ node2', 'replication settings that need a restart (postgresql.conf, one line each) @ node2'])
    expect(await psql('node2', 'SHOW max_wal_senders')).toBe('10')
    expect(await psql('node2', 'SELECT pg_postmaster_start_time()')).not.toBe(started2)
    expect(await psql('node1', 'SELECT pg_postmaster_start_time()')).toBe(started1)
    const again = await runShipped('site.yml', lab.inventory)
    expect(totalChanged(again)).toBe(0)
  })

  /** What systemd did to the server on a node from a journal cursor on: starts and reloads, counted. */
  const serverJournal = {
    cursor: async (n: string): Promise<string> =>
      (await onNode(n, 'journalctl -u pgserver -n 1 --show-cursor -o cat')).split('\n').filter((l) => l.startsWith('-- cursor: ')).pop()!.slice(11),
    since: async (n: string, cursor: string): Promise<{ starts: number; reloads: number }> => {
      const lines = (await onNode(n, `journalctl -u pgserver -o cat --after-cursor='${cursor}'`)).split('\n')
      return { starts: lines.filter((l) => l.startsWith('Started ')).length, reloads: lines.filter((l) => l.startsWith('Reloaded ')).length }
    },
  }

  it('writes every drifted file before it restarts: a standby restarts once, with the repaired pg_hba.conf its primary already reloaded', async () => {
    const hba = '/home/postgres/data/pg_hba.conf'
    const generated = await onNode('node1', `md5sum < ${hba}`)
    // node2: a restart-requiring setting edited and applied by hand, and its pg_hba.conf edited too.
    await onNode('node2', `sed -i 's|^max_wal_senders = .*|max_wal_senders = 12|' /home/postgres/data/postgresql.conf && echo 'host all all 192.0.2.0/24 trust' >> ${hba} && systemctl restart pgserver`)
    expect(await psql('node2', 'SHOW max_wal_senders')).toBe('12')
    await eventually(() => psql('node1', 'SELECT count(*) FROM pg_stat_replication'), (n) => n === '1', 60_000)
    await activeAgain('node2')
    // node1: node2's replication line removed and reloaded. node2 streams on; once restarted it could not
    // reconnect to a primary still running this file.
    await onNode('node1', `sed -i -E '/^host\\s+replication\\s+repmgr\\s+${net.prefix.replace(/\./g, '\\.')}\\.12\\/32/d' ${hba} && systemctl reload pgserver`)
    const started = { node1: await psql('node1', 'SELECT pg_postmaster_start_time()'), node2: await psql('node2', 'SELECT pg_postmaster_start_time()') }
    const cursor = { node1: await serverJournal.cursor('node1'), node2: await serverJournal.cursor('node2') }

    const run = await runShipped('site.yml', lab.inventory)
    expect(run.failures).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(sortUniq(run.changed)).toEqual([
      'PostgreSQL reloaded for the changed files (where no restart reads them first) @ node1',
      'a standby (or the witness) restarted @ node2',
      'pg_hba.conf generated from the inventory @ node1',
      'pg_hba.conf generated from the inventory @ node2',
      'replication settings that need a restart (postgresql.conf, one line each) @ node2',
    ])
    expect(run.recap.node1.changed).toBe(2)
    expect(run.recap.node2.changed).toBe(3)
    expect(run.recap.node1.failed + run.recap.node2.failed).toBe(0)
    // Both files as generated, the setting live, node2 restarted once and never reloaded; node1 reloaded once.
    expect(await onNode('node1', `md5sum < ${hba}`)).toBe(generated)
    expect(await onNode('node2', `md5sum < ${hba}`)).toBe(generated)
    expect(await psql('node2', 'SHOW max_wal_senders')).toBe('10')
    expect(await psql('node2', 'SELECT pg_postmaster_start_time()')).not.toBe(started.node2)
    expect(await psql('node1', 'SELECT pg_postmaster_start_time()')).toBe(started.node1)
    expect(await serverJournal.since('node2', cursor.node2)).toEqual({ starts: 1, reloads: 0 })
    expect(await serverJournal.since('node1', cursor.node1)).toEqual({ starts: 0, reloads: 1 })
    expect(await psql('node1', 'SELECT count(*) FROM pg_stat_replication WHERE state = \'streaming\'')).toBe('1')
    expect(totalChanged(await runShipped('site.yml', lab.inventory))).toBe(0)
  })
})
