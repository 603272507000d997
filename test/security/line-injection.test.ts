// Line and field injection: a value written into a line-oriented input is refused when it holds a line
// break (or a field separator the format cannot quote), and quoted where the format has quoting.
// - module parameters that become lines (chpasswd's NAME:HASH, lineinfile's line, blockinfile's markers,
//   authorized_keys options, the passwd comment): input errors when literal, failed tasks at run time,
//   the target file unchanged and no second chpasswd line;
// - the shipped playbooks and templates (repmgr.conf, sudoers, systemd units, pg_hba.conf,
//   postgresql.conf, /etc/hosts) rendered by `pgha render` from a hostile inventory: refused values stop
//   the file, quotable values come out quoted;
// - the quoting read back by the real parsers: PostgreSQL's configuration file parser, visudo, pg_hba.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pghaCommand } from '../../src/command-hint.js'
import { havePostgres, startCluster, type TempCluster } from '../pg/temp-cluster.js'
import { calls, cleanupProjects, inventory, lineOf, overSsh, pgha, play, project, recap, task, taskResult, type HostLine, type Project, type Run } from './exec-harness.js'

afterAll(cleanupProjects)

const REPO = resolve(__dirname, '../..')
const TOOLS = ['useradd', 'usermod', 'chpasswd']
const HASH = '$6$saltsalt$0123456789abcdefABCDEF./'

// --- module parameters, literal ----------------------------------------------------------------------

interface LiteralCase {
  id: string
  module: string
  args: (dir: string) => Record<string, unknown>
  param: string
  value: string
  secret?: boolean
}

const literal: LiteralCase[] = [
  { id: 'lineinfile line with a newline', module: 'lineinfile', args: (d) => ({ path: `${d}/f.conf`, line: 'a = 1\nb = 2' }), param: 'line', value: 'a = 1\nb = 2' },
  { id: 'lineinfile line with a carriage return', module: 'lineinfile', args: (d) => ({ path: `${d}/f.conf`, line: 'a = 1\rroot ALL=(ALL) ALL' }), param: 'line', value: 'a = 1\rroot ALL=(ALL) ALL' },
  { id: 'blockinfile marker with a newline', module: 'blockinfile', args: (d) => ({ path: `${d}/f.conf`, block: 'x', marker: '# {mark}\nhost all all 0.0.0.0/0 trust' }), param: 'marker', value: '# {mark}\nhost all all 0.0.0.0/0 trust' },
  { id: 'blockinfile marker_end with a newline', module: 'blockinfile', args: (d) => ({ path: `${d}/f.conf`, block: 'x', marker_end: 'END\nevil' }), param: 'marker_end', value: 'END\nevil' },
  { id: 'user comment with a colon', module: 'user', args: () => ({ name: 'pghaseclit', comment: 'x:0:0:root' }), param: 'comment', value: 'x:0:0:root' },
  { id: 'user comment with a newline', module: 'user', args: () => ({ name: 'pghaseclit', comment: 'x\nroot::0:0::/:/bin/sh' }), param: 'comment', value: 'x\nroot::0:0::/:/bin/sh' },
  { id: 'user ssh_key_comment with a newline', module: 'user', args: () => ({ name: 'pghaseclit', generate_ssh_key: true, ssh_key_comment: 'c\nx' }), param: 'ssh_key_comment', value: 'c\nx' },
  { id: 'authorized_key options with a newline', module: 'authorized_key', args: (d) => ({ user: 'root', path: `${d}/ak`, key: 'ssh-ed25519 AAAAC3Nza x', key_options: 'no-pty\ncommand="touch PWNED" ssh-ed25519 AAAAevil' }), param: 'key_options', value: 'no-pty\ncommand="touch PWNED" ssh-ed25519 AAAAevil' },
  { id: 'file path with a newline', module: 'file', args: (d) => ({ path: `${d}/x\ny`, state: 'touch' }), param: 'path', value: '/x\ny' },
  { id: 'copy dest with a newline', module: 'copy', args: (d) => ({ dest: `${d}/x\ny`, content: 'x' }), param: 'dest', value: '/x\ny' },
]

const secretLiteral = { id: 'user password hash with a newline (never shown)', value: `${HASH}\nroot:$6$evil$evil` }

describe('line injection: literal values are input errors', () => {
  let p: Project
  let text: string
  let run: Run
  beforeAll(async () => {
    p = project('line-literal', TOOLS)
    const tasks = [task('anything ran', 'copy', { dest: join(p.dir, 'ran'), content: 'x' })]
    tasks.push(...literal.map((c) => task(c.id, c.module, c.args(p.dir))))
    tasks.push(task(secretLiteral.id, 'user', { name: 'pghaseclit', password: secretLiteral.value }))
    text = play(p, tasks)
    run = await pgha(p, ['run', p.write('site.yml', text), '-i', inventory(p)])
  }, 60_000)

  it('exits 1 before any host is contacted', () => {
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toContain('no host was contacted')
    expect(p.marker('ran')).toBe(false)
  })

  it.each(literal.map((c) => [c.id, c] as const))('%s: named at site.yml:line:col', (_id, c) => {
    const written = JSON.stringify(c.args(p.dir)[c.param])
    const line = lineOf(text, written, `name: ${JSON.stringify(c.id)}`)
    const col = text.split('\n')[line - 1].indexOf(written) + 1
    expect(run.stderr).toMatch(new RegExp(`site\\.yml:${line}:${col}: parameter '${c.param}' of module '${c.module}': .* is not a`))
  })

  it('a password hash with a newline: named at its line, the hash itself never printed', () => {
    const line = lineOf(text, 'password:', secretLiteral.id)
    expect(run.stderr).toContain(`site.yml:${line}:`)
    expect(run.stderr).toContain("parameter 'password' of module 'user': the value is not a crypt hash")
    expect(run.stderr + run.stdout).not.toContain('evil$evil')
    expect(run.stderr + run.stdout).not.toContain(HASH)
  })
})

// --- module parameters, at run time ------------------------------------------------------------------

const BEFORE = '# managed by hand\nlisten_addresses = localhost\n'
const KEYS = 'ssh-ed25519 AAAAC3NzaKEEP keep@host\n'

function runtimeSuite(label: string, host: () => HostLine) {
  let p: Project
  let run: Run
  const v = {
    hash: `${HASH}\nroot:$6$evil$evilhash`,
    hashColon: `${HASH}:0:0`,
    line: "listen_addresses = '*'\nlocal all all trust",
    marker: '# {mark} X\nhost all all 0.0.0.0/0 trust',
    options: 'from="10.0.0.1"\ncommand="touch PWNED" ssh-ed25519 AAAAEVIL',
    comment: 'Ops:0:0',
  }
  beforeAll(async () => {
    p = project(`line-runtime-${label}`, TOOLS)
    p.write('pg.conf', BEFORE)
    p.write('authorized_keys', KEYS)
    const tasks = [
      task('chpasswd line with a newline', 'user', { name: 'pghasecrt1', password: '{{ v.hash }}' }, ['ignore_errors: true']),
      task('chpasswd hash with a colon', 'user', { name: 'pghasecrt2', password: '{{ v.hashColon }}' }, ['ignore_errors: true']),
      task('passwd comment with a colon', 'user', { name: 'pghasecrt3', comment: '{{ v.comment }}' }, ['ignore_errors: true']),
      task('lineinfile line with a newline', 'lineinfile', { path: join(p.dir, 'pg.conf'), line: '{{ v.line }}' }, ['ignore_errors: true']),
      task('blockinfile marker with a newline', 'blockinfile', { path: join(p.dir, 'pg.conf'), block: 'x', marker: '{{ v.marker }}' }, ['ignore_errors: true']),
      task('authorized_key options with a newline', 'authorized_key', { user: 'root', path: join(p.dir, 'authorized_keys'), key: 'ssh-ed25519 AAAAC3NzaNEW new', key_options: '{{ v.options }}' }, ['ignore_errors: true']),
      // A line a host printed: two lines where one is expected.
      task('host says', 'command', { argv: ['printf', 'a = 1\\nlocal all all trust'] }, ['register: said']),
      task('line from host output', 'lineinfile', { path: join(p.dir, 'pg.conf'), line: '{{ said.stdout }}' }, ['ignore_errors: true']),
      // The control: a valid hash is set, through chpasswd's stdin, as one line.
      task('a valid hash', 'user', { name: 'pghasecrt4', password: HASH }),
    ]
    const vars = p.write('hostile.json', JSON.stringify({ v }))
    run = await pgha(p, ['run', p.write('site.yml', play(p, tasks)), '-i', inventory(p, host()), '-e', `@${vars}`, '-o', 'json'])
  }, 120_000)

  it('every hostile task failed (ignored, so the run goes on) and nothing else did', () => {
    expect(run.code, run.stderr).toBe(0)
    expect(recap(run)).toMatchObject({ failed: 0, ignored: 7 })
  })

  it.each([
    ['chpasswd line with a newline', 'invalid arguments for user: password: the value is not a crypt hash'],
    ['chpasswd hash with a colon', 'invalid arguments for user: password: the value is not a crypt hash'],
    ['passwd comment with a colon', 'invalid arguments for user: comment: "Ops:0:0" is not a passwd comment'],
    ['lineinfile line with a newline', 'invalid arguments for lineinfile: line:'],
    ['blockinfile marker with a newline', 'invalid arguments for blockinfile: marker:'],
    ['authorized_key options with a newline', 'invalid arguments for authorized_key: key_options:'],
    ['line from host output', 'invalid arguments for lineinfile: line: "a = 1\\nlocal all all trust" is not a single line'],
  ])('%s: the task fails saying why', (name, msg) => {
    const r = taskResult(run, name)
    expect(r.result.failed).toBe(true)
    expect(r.result.msg).toContain(msg)
  })

  it('chpasswd got exactly one line, the valid one, and no hostile hash is in any output', () => {
    expect(readFileSync(join(p.dir, 'chpasswd.stdin'), 'utf8')).toBe(`pghasecrt4:${HASH}\n`)
    expect(run.stdout + run.stderr).not.toContain('evilhash')
    expect(calls(p, 'useradd').map((argv) => argv.at(-1))).toEqual(['pghasecrt4'])
  })

  it('the edited files are unchanged', () => {
    expect(readFileSync(join(p.dir, 'pg.conf'), 'utf8')).toBe(BEFORE)
    expect(readFileSync(join(p.dir, 'authorized_keys'), 'utf8')).toBe(KEYS)
    expect(p.marker('PWNED')).toBe(false)
  })
}

describe('line injection: values known at run time (local)', () => runtimeSuite('local', () => ({ ansible_connection: 'local' })))

// --- the shipped playbooks, rendered from a hostile inventory ------------------------------------------

interface Rendered {
  run: Run
  out: string
  /** The inventory file rendered from, as passed with -i. */
  inventory: string
  file(host: string, path: string): string | undefined
  errors(host: string): string
}

/** `pgha render` of the shipped site.yml for node1 (primary) and node2 (standby) with extra host vars. */
async function render(label: string, node1: Record<string, unknown>, node2: Record<string, unknown> = {}): Promise<Rendered> {
  const p = project(`render-${label}`)
  cpSync(join(REPO, 'inventory/group_vars'), join(p.dir, 'group_vars'), { recursive: true })
  const facts = { os_family: 'Debian', distribution: 'Debian', distribution_major_version: '12', pkg_mgr: 'apt' }
  const inv = {
    all: {
      vars: { ansible_user: 'root', pgha_render_facts: facts },
      children: {
        primary: { hosts: { node1: { ansible_host: '10.0.0.1', repmgr_node_id: 1, ...node1 } } },
        standby: { hosts: { node2: { ansible_host: '10.0.0.2', repmgr_node_id: 2, ...node2 } } },
        witness: {},
        // the pgBackRest repository on the standby, as the production example keeps it
        backup: { hosts: { node2: {} } },
      },
    },
  }
  const out = join(p.dir, 'out')
  const inventory = p.write('inventory.yml', JSON.stringify(inv))
  const run = await pgha(p, ['render', '-i', inventory, '--out', out])
  return {
    run,
    out,
    inventory,
    file: (host, path) => (existsSync(join(out, host, path)) ? readFileSync(join(out, host, path), 'utf8') : undefined),
    errors: (host) => readFileSync(join(out, host, '_render.txt'), 'utf8'),
  }
}

interface RefusedCase {
  id: string
  vars: Record<string, unknown>
  /** The file that must not be written for node1 (or, with `injected`, must not hold that text), and what the error says. */
  file: string
  says: string
  injected?: string
}

const refused: RefusedCase[] = [
  { id: 'repmgr.conf: data directory with a newline', vars: { pg_data: "/srv/pg\nrestore_command='touch /tmp/PWNED'" }, file: '/usr/local/pgsql/repmgr.conf', says: 'cannot be written into a PostgreSQL configuration file: it contains a line break' },
  { id: 'repmgr.conf: node id with a newline', vars: { repmgr_node_id: '1\nfailover=manual' }, file: '/usr/local/pgsql/repmgr.conf', says: 'cannot be written into a PostgreSQL configuration file' },
  { id: 'repmgr.conf: conninfo host with a newline', vars: { repmgr_conninfo_host: 'node1\npromote_command=sh' }, file: '/usr/local/pgsql/repmgr.conf', says: 'cannot be written into a conninfo string' },
  { id: 'sudoers: a user that grants everything', vars: { postgres_user: 'postgres ALL=(ALL) NOPASSWD: ALL #' }, file: '/etc/sudoers.d/postgres', says: 'cannot be written into a sudoers rule' },
  { id: 'sudoers: a %group for the user', vars: { postgres_user: '%sudo' }, file: '/etc/sudoers.d/postgres', says: 'cannot be written into a sudoers rule' },
  { id: 'sudoers: a second command in the service name', vars: { pg_service: 'pgserver, /bin/sh' }, file: '/etc/sudoers.d/postgres', says: 'cannot be written into a sudoers rule' },
  { id: 'sudoers: a new rule in the systemctl path', vars: { systemctl_path: '/usr/bin/systemctl\npostgres ALL=(ALL) NOPASSWD: ALL' }, file: '/etc/sudoers.d/postgres', says: 'cannot be written into a sudoers rule' },
  { id: 'pgserver.service: a directive in the data directory', vars: { pg_data: '/srv/pg\nExecStartPre=/bin/touch /tmp/PWNED' }, file: '/etc/systemd/system/pgserver.service', says: 'cannot be written into a systemd unit file: it contains a line break' },
  { id: 'pgserver.service: a trailing backslash joining the next line', vars: { postgres_user: 'postgres\\' }, file: '/etc/systemd/system/pgserver.service', says: "a trailing '\\' would continue the setting" },
  { id: 'pg_hba.conf: a rule in the repmgr user', vars: { repmgr_user: 'repmgr\nhost all all 0.0.0.0/0 trust' }, file: '/home/postgres/data/pg_hba.conf', says: 'cannot be written into pg_hba.conf: it contains a line break' },
  { id: 'pg_hba.conf: a group reference as the user', vars: { repmgr_user: '+admins' }, file: '/home/postgres/data/pg_hba.conf', says: "a leading '+' would make it a group reference" },
  { id: 'pg_hba.conf: a double quote in the database', vars: { repmgr_db: 'repmgr" all' }, file: '/home/postgres/data/pg_hba.conf', says: 'the format cannot escape it' },
  { id: 'pgbackrest.conf: a setting in the stanza name', vars: { pgbackrest_stanza: 'main]\nrepo1-cipher-pass=PWNED\n[main' }, file: '/etc/pgbackrest/pgbackrest.conf', says: 'cannot be written into an INI section name' },
  { id: 'pgbackrest.conf: a setting in a path', vars: { pgbackrest_pg_socket_path: '/run/pg\nrepo1-host=evil.example' }, file: '/etc/pgbackrest/pgbackrest.conf', says: 'cannot be written into an INI file: it contains a line break' },
  { id: 'logrotate: a second file to rotate in the log path', vars: { pg_log_file: '/var/log/pg.log /etc/shadow' }, file: '/etc/logrotate.d/pgserver', says: 'cannot be written into a logrotate configuration' },
  { id: 'postgresql.conf: a second setting in a value', vars: { pg_restart_settings: { wal_level: "replica\narchive_command = 'touch /tmp/PWNED'" } }, file: '/home/postgres/data/postgresql.conf', says: 'cannot be written into a PostgreSQL configuration file: it contains a line break', injected: 'touch /tmp/PWNED' },
]

describe('line injection: the shipped playbooks refuse what a line cannot hold (pgha render)', () => {
  it.each(refused.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await render(c.id.replace(/\W+/g, '-').slice(0, 40), c.vars)
    expect(r.run.code, r.run.stdout + r.run.stderr).toBe(2)
    expect(r.errors('node1')).toContain(c.says)
    if (c.injected) expect(r.file('node1', c.file) ?? '').not.toContain(c.injected)
    else expect(r.file('node1', c.file)).toBeUndefined()
  }, 60_000)

  it('/etc/hosts: an address with a space and a comment is refused for every node', async () => {
    const r = await render('hosts', {}, { ansible_host: '10.0.0.2 evil.example #' })
    expect(r.errors('node1')).toContain('"10.0.0.2 evil.example #" cannot be written into /etc/hosts')
    expect(r.file('node1', '/etc/hosts')).toBe('10.0.0.1 node1\n')
  }, 60_000)
})

describe('line injection: the shipped playbooks quote what the format can quote (pgha render)', () => {
  let r: Rendered
  beforeAll(async () => {
    r = await render('quoted', {
      pg_data: "/srv/it's a \\ dir %h $HOME",
      repmgr_conninfo_host: 'node1 password=stolen',
      pg_bindir: '/opt/pg bin',
      repmgr_user: 'all',
      pg_restart_settings: { listen_addresses: "'*'", wal_level: 'replica', max_wal_senders: 10, cluster_name: "it's main" },
    })
  }, 60_000)

  it('renders every file', () => expect(r.run.code, r.run.stdout + r.run.stderr).toBe(0))

  it("repmgr.conf: a value with a quote and a backslash is one quoted value ('' and \\\\)", () => {
    expect(r.file('node1', '/usr/local/pgsql/repmgr.conf')).toContain("\ndata_directory='/srv/it''s a \\\\ dir %h $HOME'\n")
  })

  it('repmgr.conf: a conninfo host with a space stays the host (quoted twice: conninfo, then the file)', () => {
    expect(r.file('node1', '/usr/local/pgsql/repmgr.conf')).toContain("\nconninfo='host=''node1 password=stolen'' port=5432 user=all dbname=repmgr connect_timeout=2'\n")
  })

  it('repmgr.conf: the commands repmgr runs through sh quote the path for sh', () => {
    expect(r.file('node1', '/usr/local/pgsql/repmgr.conf')).toContain("\npromote_command='''/opt/pg bin''/repmgr standby promote -f /usr/local/pgsql/repmgr.conf --log-to-file'\n")
  })

  it('pgserver.service: the data directory is one quoted word, % and $ escaped', () => {
    const unit = r.file('node1', '/etc/systemd/system/pgserver.service')!
    expect(unit).toContain(`\nEnvironment="PGDATA=/srv/it's a \\\\ dir %%h $HOME"\n`)
    expect(unit).toContain(`\nExecStart="/opt/pg bin/pg_ctl" start -D "/srv/it's a \\\\ dir %%h $$HOME" -s -w -t 300`)
  })

  it('pgha-fence: sh reads the script\'s settings back exactly (the data directory with a quote, a backslash and $HOME)', () => {
    const script = r.file('node1', '/usr/local/sbin/pgha-fence')!
    const settings = script.split('\n').filter((l) => /^(PGDATA|BIN|SELF|CONNECT)=/.test(l)).join('\n')
    const read = execFileSync('sh', ['-c', `${settings}\nprintf '%s\\n' "$PGDATA" "$BIN" "$SELF" "$CONNECT"`], { encoding: 'utf8' })
    expect(read).toBe("/srv/it's a \\ dir %h $HOME\n/opt/pg bin\nnode1\nuser=all dbname=repmgr connect_timeout=3\n")
  })

  it('pgha-fence: the rejoin command it tells the journal is the one pgha\'s own hints give, with -i and the inventory', () => {
    const script = r.file('node1', '/usr/local/sbin/pgha-fence')!
    const setting = script.split('\n').filter((l) => l.startsWith('REJOIN_COMMAND=')).join('\n')
    const read = execFileSync('sh', ['-c', `${setting}\nprintf '%s' "$REJOIN_COMMAND"`], { encoding: 'utf8' })
    expect(read).toBe(pghaCommand('run', 'playbooks/rejoin.yml', '-i', r.inventory, '-e', 'node=node1'))
    expect(read).toContain(' -i /')
  })

  it('pg_hba.conf: a role named like the keyword all is quoted, so it means that role only', () => {
    const hba = r.file('node1', "/srv/it's a \\ dir %h $HOME/pg_hba.conf")!
    expect(hba).toMatch(/^host\s+replication\s+"all"\s/m)
    expect(hba).not.toMatch(/replication\s+all\s/)
  })

  it('postgresql.conf: settings already in the file syntax are kept, others quoted', () => {
    const conf = r.file('node1', "/srv/it's a \\ dir %h $HOME/postgresql.conf")!
    expect(conf).toContain("listen_addresses = '*'\n")
    expect(conf).toContain('wal_level = replica\n')
    expect(conf).toContain('max_wal_senders = 10\n')
    expect(conf).toContain("cluster_name = 'it''s main'\n")
  })
})

// --- the quoting read back by the real parsers ------------------------------------------------------

describe.skipIf(!havePostgres)('line injection: PostgreSQL reads the quoted values back exactly', () => {
  let pg: TempCluster
  let p: Project
  beforeAll(() => {
    pg = startCluster()
    p = project('line-pgconf')
  }, 60_000)
  afterAll(() => pg?.stop())

  const tricky = ["it's", 'back\\slash', "both ' and \\ and '' end\\", '%m [%p] #not a comment', "a'; log_statement = 'all"]
  it.each(tricky.map((v) => [v]))('log_line_prefix %j survives the file parser', async (value) => {
    // The line as the shipped playbook writes a postgresql.conf setting, then the server re-reads its files.
    const conf = join(pg.data, 'pgha-test.conf')
    writeFileSync(join(pg.data, 'postgresql.conf'), `${readFileSync(join(pg.data, 'postgresql.conf'), 'utf8').replace(/\ninclude_if_exists.*$/s, '')}\ninclude_if_exists = 'pgha-test.conf'\n`)
    const tasks = [task('setting', 'lineinfile', { path: conf, create: true, regexp: '^log_line_prefix', line: '{{ item.key }} = {{ item.value | conf_value }}' }, ['loop: "{{ settings | dict2items }}"'])]
    const vars = p.write('settings.json', JSON.stringify({ settings: { log_line_prefix: value } }))
    const run = await pgha(p, ['run', p.write('site.yml', play(p, tasks)), '-i', inventory(p), '-e', `@${vars}`])
    expect(run.code, run.stdout + run.stderr).toBe(0)
    pg.run('pg_ctl', ['-D', pg.data, 'reload', '-s'])
    const shown = execFileSync('runuser', ['-u', 'postgres', '--', '/usr/lib/postgresql/15/bin/postgres', '-D', pg.data, '-C', 'log_line_prefix'], { encoding: 'utf8' })
    expect(shown.replace(/\n$/, '')).toBe(value)
  }, 60_000)
})

describe('line injection: visudo accepts the rendered sudoers of plain values', () => {
  it('the shipped sudoers template passes visudo -cf', async () => {
    const r = await render('visudo', {})
    const path = join(r.out, 'node1', '/etc/sudoers.d/postgres')
    expect(existsSync(path)).toBe(true)
    expect(() => execFileSync('visudo', ['-cf', path], { encoding: 'utf8' })).not.toThrow()
  }, 60_000)
})

overSsh('line injection over SSH', (host) => describe('values known at run time', () => runtimeSuite('ssh', host)))
