// `pgha render` on the shipped site.yml and the article's CentOS 7 pair (inventory/production.example.yml):
// the configs a DBA reviews before touching the hosts, rendered without any connection.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { pgha, PRODUCTION, readTree, tempDir, watchSockets, type CliResult } from './helpers.js'

// Any transport the engine could open is recorded here; render must never ask for one.
const opened = vi.hoisted(() => [] as unknown[])
vi.mock('../../src/transport/index.js', async (original) => {
  const mod = await original<typeof import('../../src/transport/index.js')>()
  return { ...mod, openTransport: (...args: Parameters<typeof mod.openTransport>) => (opened.push(args[0]), mod.openTransport(...args)) }
})

const SETTINGS = [
  'max_wal_senders = 10', 'max_replication_slots = 10', 'wal_level = replica', 'hot_standby = on', 'archive_mode = on',
  "archive_command = '/usr/bin/pgbackrest --stanza=pgha archive-push %p'", 'wal_log_hints = on', "shared_preload_libraries = 'repmgr'", "listen_addresses = '*'",
]

let out: string
let result: CliResult
let sockets: ReturnType<typeof watchSockets>
const file = (host: string, path: string): string => readFileSync(join(out, host, path), 'utf8')

beforeAll(async () => {
  sockets = watchSockets()
  out = join(tempDir('prod'), 'out')
  result = await pgha(['render', '-i', PRODUCTION, '--out', out])
})
afterAll(() => {
  sockets.mockRestore()
  rmSync(join(out, '..'), { recursive: true, force: true })
})

describe('pgha render on the production example', () => {
  it('exits 0, connects nowhere, and prints one summary row per host', () => {
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(opened).toEqual([])
    expect(sockets).not.toHaveBeenCalled()
    expect(result.stdout).toMatch(/^HOST\s+FILES\s+NOTES\s+ERRORS\nnode1\s+\d+\s+\d+\s+0\nnode2\s+\d+\s+\d+\s+0\n/)
    expect(result.stdout).toContain('no host was contacted')
  })

  it.each(['node1', 'node2'])('%s: sudoers lets postgres run systemctl on pgserver without a password, 0440', (host) => {
    const text = file(host, 'etc/sudoers.d/postgres')
    expect(text).toMatch(/^Defaults:postgres !requiretty$/m)
    expect(text).toMatch(/^postgres ALL = \(root\) NOPASSWD: \/usr\/bin\/systemctl start pgserver, \/usr\/bin\/systemctl restart pgserver, \/usr\/bin\/systemctl stop pgserver, \/usr\/bin\/systemctl reload pgserver/m)
    expect(readTree(join(out, host))['etc/sudoers.d/postgres'].mode).toBe('0440')
  })

  it.each(['node1', 'node2'])('%s: the pgserver unit starts /usr/local/pgsql/bin/pg_ctl on /home/postgres/data', (host) => {
    const text = file(host, 'etc/systemd/system/pgserver.service')
    expect(text).toMatch(/^ExecStart=\/usr\/local\/pgsql\/bin\/pg_ctl start -D \/home\/postgres\/data /m)
    expect(text).toMatch(/^User=postgres$/m)
  })

  it.each([['node1', 1], ['node2', 2]])('%s: repmgr.conf is node %i with the article settings', (host, id) => {
    const text = file(host, 'usr/local/pgsql/repmgr.conf')
    expect(text).toMatch(new RegExp(`^node_id=${id}$`, 'm'))
    expect(text).toMatch(new RegExp(`^conninfo='host=${host} (port=5432 )?user=repmgr dbname=repmgr connect_timeout=2'$`, 'm'))
    expect(text).toMatch(/^data_directory='\/home\/postgres\/data'$/m)
    expect(text).toMatch(/^pg_bindir='\/usr\/local\/pgsql\/bin'$/m)
    expect(text).toMatch(/^failover='?automatic'?$/m)
    expect(text).toMatch(/^promote_command='\/usr\/local\/pgsql\/bin\/repmgr standby promote -f \/usr\/local\/pgsql\/repmgr.conf --log-to-file'$/m)
    expect(text).toMatch(/^follow_command='\/usr\/local\/pgsql\/bin\/repmgr standby follow -f \/usr\/local\/pgsql\/repmgr.conf --log-to-file --upstream-node-id=%n'$/m)
    for (const action of ['start', 'stop', 'restart', 'reload']) {
      expect(text).toMatch(new RegExp(`^service_${action}_command='sudo /usr/bin/systemctl ${action} pgserver'$`, 'm'))
    }
  })

  it.each(['node1', 'node2'])("%s: postgresql.conf holds the article's replication settings, once each", (host) => {
    const lines = file(host, 'home/postgres/data/postgresql.conf').trimEnd().split('\n')
    for (const s of SETTINGS) expect(lines.filter((l) => l === s), s).toHaveLength(1)
    expect(lines.every((l) => /^\w+ = \S/.test(l))).toBe(true)
    // Only the settings the playbook manages; the archive_command is pgBackRest's instead of the article's
    // '/bin/true', and restore_command, wal_keep_size and max_slot_wal_keep_size are additions to its list.
    expect(lines.map((l) => l.split(' = ')[0]).filter((k) => !SETTINGS.some((s) => s.startsWith(`${k} =`)))).toEqual(['restore_command', 'wal_keep_size', 'max_slot_wal_keep_size'])
    expect(lines).toContain("restore_command = '/usr/bin/pgbackrest --stanza=pgha archive-get %f \"%p\"'")
  })

  it.each(['node1', 'node2'])("%s: pg_hba.conf's managed block admits both nodes' addresses for replication and the repmgr database", (host) => {
    const text = file(host, 'home/postgres/data/pg_hba.conf')
    const block = /^# BEGIN pgha[^\n]*\n([\s\S]*?)^# END pgha[^\n]*\n/m.exec(text)
    expect(block).not.toBeNull()
    const rows = block![1].trimEnd().split('\n').map((l) => l.split(/\s+/))
    for (const addr of ['192.168.100.151/32', '192.168.100.152/32']) {
      expect(rows).toContainEqual(['host', 'replication', 'repmgr', addr, 'trust'])
      expect(rows).toContainEqual(['host', 'repmgr', 'repmgr', addr, 'trust'])
    }
  })

  it('honours the RedHat facts: no Debian-only file, and the listing says which conditions were assumed', () => {
    for (const host of ['node1', 'node2']) {
      expect(existsSync(join(out, host, 'etc/postgresql-common'))).toBe(false)
      const listing = file(host, '_render.txt')
      expect(listing).toMatch(/^ {2}\/etc\/sudoers.d\/postgres {2}\(mode 0440, owner root, group root\)\n {6}template +\S*playbooks\/repmgr.yml:\d+:\d+ {2}sudoers/m)
      expect(listing).toMatch(/condition 'pg_version_file.stat.exists' reads pg_version_file \(known only when the playbook runs\): assumed true/)
      expect(listing).not.toMatch(/no pgha_render_facts/)
    }
  })
})

describe('pgha render on the production example: pgBackRest with the repository on the standby', () => {
  const settings = (host: string): string[] => file(host, 'etc/pgbackrest/pgbackrest.conf').split('\n').filter((l) => /^(\[|[a-z0-9-]+=)/.test(l))

  it('node1 pushes to the repository on node2, with its own server as pg1', () => {
    expect(settings('node1')).toEqual([
      '[global]', 'log-path=/var/log/pgbackrest', 'log-level-console=warn', 'log-level-file=info', 'compress-type=zst', 'start-fast=y',
      'repo1-host=192.168.100.152', 'repo1-host-user=postgres',
      '[pgha]', 'pg1-path=/home/postgres/data', 'pg1-port=5432', 'pg1-socket-path=/tmp',
    ])
  })

  it('node2 keeps the repository, its own server as pg1 and node1 (repmgr_node_id 1) under its own id, 2', () => {
    const lines = settings('node2')
    expect(lines).toEqual(expect.arrayContaining(['repo1-path=/var/lib/pgbackrest', 'repo1-retention-full=2', 'repo1-retention-diff=6', 'backup-standby=n']))
    expect(lines.slice(lines.indexOf('[pgha]'))).toEqual([
      '[pgha]', 'pg1-path=/home/postgres/data', 'pg1-port=5432', 'pg1-socket-path=/tmp',
      'pg2-host=192.168.100.151', 'pg2-host-user=postgres', 'pg2-path=/home/postgres/data', 'pg2-port=5432', 'pg2-socket-path=/tmp',
    ])
    expect(lines.some((l) => l.startsWith('repo1-host'))).toBe(false)
  })

  it('node2 runs the scheduled backups: a full and a diff timer, no incr timer', () => {
    expect(file('node2', 'etc/systemd/system/pgbackrest-backup-full.timer')).toMatch(/^OnCalendar=Sun \*-\*-\* 01:30:00$/m)
    expect(file('node2', 'etc/systemd/system/pgbackrest-backup-diff.timer')).toMatch(/^Unit=pgbackrest-backup@diff\.service$/m)
    expect(existsSync(join(out, 'node2', 'etc/systemd/system/pgbackrest-backup-incr.timer'))).toBe(false)
    expect(file('node2', 'etc/systemd/system/pgbackrest-backup@.service')).toMatch(/^ExecStart=\/usr\/bin\/pgbackrest --stanza=pgha --type=%i --log-level-console=info backup$/m)
    expect(existsSync(join(out, 'node1', 'etc/systemd/system/pgbackrest-backup@.service'))).toBe(false)
  })
})
