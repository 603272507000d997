// `pgha render` on the shipped site.yml and the article's CentOS 7 pair (inventory/production.example/):
// the configs a DBA reviews before touching the hosts, rendered without any connection.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { pgha, PRODUCTION, readTree, repmgrHbaRows, tempDir, watchSockets, type CliResult } from './helpers.js'

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
    // '/bin/true', and restore_command, wal_keep_size, max_slot_wal_keep_size and password_encryption are
    // additions to its list.
    expect(lines.map((l) => l.split(' = ')[0]).filter((k) => !SETTINGS.some((s) => s.startsWith(`${k} =`))).sort())
      .toEqual(['max_slot_wal_keep_size', 'password_encryption', 'restore_command', 'wal_keep_size'])
    expect(lines).toContain('password_encryption = scram-sha-256')
    expect(lines).toContain("restore_command = '/usr/bin/pgbackrest --stanza=pgha archive-get %f \"%p\"'")
  })

  it.each(['node1', 'node2'])('%s: pg_hba.conf is the whole file pgha generates: postgres by peer, repmgr by scram-sha-256 from both nodes, nothing else', (host) => {
    const text = file(host, 'home/postgres/data/pg_hba.conf')
    const rows = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/))
    expect(rows).toEqual([
      ['local', 'all', 'postgres', 'peer'],
      ...repmgrHbaRows(['192.168.100.151/32', '192.168.100.152/32'], 'scram-sha-256'),
    ])
    expect(readTree(join(out, host))['home/postgres/data/pg_hba.conf'].mode).toBe('0600')
  })

  it.each(['node1', 'node2'])('%s: .pgpass of postgres is 0600 and holds no password while the inventory gives none', (host) => {
    const tree = readTree(join(out, host))
    expect(tree['home/postgres/.pgpass'].mode).toBe('0600')
    expect(tree['home/postgres/.pgpass'].text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([])
  })

  it.each(['node1', 'node2'])('%s: the pgserver unit lets backends be OOM-killed and waits pg_stop_timeout_sec for a shutdown checkpoint', (host) => {
    const text = file(host, 'etc/systemd/system/pgserver.service')
    expect(text).toMatch(/^OOMScoreAdjust=-1000$/m)
    expect(text).toMatch(/^Environment=PG_OOM_ADJUST_FILE=\/proc\/self\/oom_score_adj$/m)
    expect(text).toMatch(/^Environment=PG_OOM_ADJUST_VALUE=0$/m)
    expect(text).toMatch(/^TimeoutStopSec=600$/m)
    expect(text).toMatch(/^ExecStop=\/usr\/local\/pgsql\/bin\/pg_ctl stop -D \/home\/postgres\/data -s -m fast -t 600$/m)
  })

  it.each(['node1', 'node2'])('%s: repmgrd runs in the foreground under systemd, reloads with SIGHUP, restarts on failure within a limit', (host) => {
    const text = file(host, 'etc/systemd/system/repmgrd.service')
    expect(text).toMatch(/^Type=simple$/m)
    expect(text).not.toMatch(/^PIDFile=/m)
    expect(text).toMatch(/^ExecStart=\/usr\/local\/pgsql\/bin\/repmgrd -f \/usr\/local\/pgsql\/repmgr.conf --daemonize=false --verbose$/m)
    expect(text).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m)
    expect(text).toMatch(/^Restart=on-failure$/m)
    expect(text).toMatch(/^StartLimitBurst=30$/m)
  })

  it.each(['node1', 'node2'])('%s: logrotate rotates the server log and repmgr.log daily, copying and truncating', (host) => {
    const text = file(host, 'etc/logrotate.d/pgserver')
    expect(text).toMatch(/^\/home\/postgres\/pgserver.log \/home\/postgres\/repmgr.log \{$/m)
    expect(text).toMatch(/^ {4}copytruncate$/m)
    expect(text).toMatch(/^ {4}rotate 14$/m)
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

describe('pgha render on a copy of the production example, edited as the README says', () => {
  it('uses the edited data directory, address and SSH port in every file that names them, without a warning', async () => {
    const dir = tempDir('prod-edit')
    const inv = join(dir, 'production')
    cpSync(PRODUCTION, inv, { recursive: true })
    const edit = (file: string, from: string, to: string): void => {
      const text = readFileSync(join(inv, file), 'utf8')
      expect(text).toContain(from)
      writeFileSync(join(inv, file), text.replace(from, to))
    }
    edit('group_vars/all.yml', 'pg_data: /home/postgres/data\n', 'pg_data: /srv/pgdata\n')
    edit('hosts.yml', 'ansible_host: 192.168.100.152', 'ansible_host: 10.1.2.3\n          ansible_port: 2202')
    // An inventory copied before pgha_peer_ssh_port existed: the peer's ansible_port still reaches ssh.
    edit('group_vars/all.yml', 'pgha_peer_ssh_port: "{{ ansible_port | default(22) }}"\n', '')
    const edited = await pgha(['render', '-i', inv, '--out', join(dir, 'out')])
    expect(edited.stderr).toBe('')
    expect(edited.code).toBe(0)
    const text = (host: string, path: string): string => readFileSync(join(dir, 'out', host, path), 'utf8')
    for (const host of ['node1', 'node2']) {
      expect(text(host, 'etc/systemd/system/pgserver.service')).toMatch(/^ExecStart=\/usr\/local\/pgsql\/bin\/pg_ctl start -D \/srv\/pgdata /m)
      expect(text(host, 'usr/local/pgsql/repmgr.conf')).toMatch(/^data_directory='\/srv\/pgdata'$/m)
      expect(text(host, 'srv/pgdata/pg_hba.conf')).toMatch(/^host\s+replication\s+repmgr\s+10\.1\.2\.3\/32\s+scram-sha-256$/m)
      expect(existsSync(join(dir, 'out', host, 'home/postgres/data'))).toBe(false)
    }
    // node2's sshd listens on 2202: node1's postgres reaches it there (repmgr's switchover, pgBackRest);
    // node2 reaches node1 on 22 and gets no such block.
    expect(text('node1', 'home/postgres/.ssh/config')).toBe(
      "# BEGIN pgha: the peers' SSH ports (pgha_peer_ssh_port)\nHost node2 10.1.2.3\n  Port 2202\n# END pgha: the peers' SSH ports (pgha_peer_ssh_port)\n")
    expect(existsSync(join(dir, 'out', 'node2', 'home/postgres/.ssh/config'))).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })

  it('warns, naming both places, when a value is written inline where a group_vars file overrides it', async () => {
    const dir = tempDir('prod-inline')
    const inv = join(dir, 'production')
    cpSync(PRODUCTION, inv, { recursive: true })
    const hosts = join(inv, 'hosts.yml')
    writeFileSync(hosts, readFileSync(hosts, 'utf8').replace('all:\n', 'all:\n  vars:\n    pg_data: /srv/pgdata\n'))
    const r = await pgha(['render', '-i', inv, '--out', join(dir, 'out')])
    expect(r.code).toBe(0)
    const line = readFileSync(join(inv, 'group_vars/all.yml'), 'utf8').split('\n').indexOf('pg_data: /home/postgres/data') + 1
    expect(r.stderr).toContain(`WARNING: ${hosts}:11:5: pg_data is set here for group 'all', but ${join(inv, 'group_vars/all.yml')}:${line}:1 sets it too and wins`)
    expect(r.stderr.match(/pg_data is set here/g)).toHaveLength(1)
    rmSync(dir, { recursive: true, force: true })
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
