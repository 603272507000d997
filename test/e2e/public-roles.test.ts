// A public role this project did not write (test/fixtures/roles-public/, copied unchanged with its licence
// and source), run unmodified on the lab by pgha and by ansible-playbook (Debian's ansible-core), each after
// the other on the same hosts with the same inventory, key and known_hosts: the tool that comes second must
// find nothing to change, in both orders. node1 gets pgha first, node2 Ansible first; then each tool runs on
// both. That is what says pgha converges a host to the state Ansible does, and reads it back as Ansible does.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { labExec, labReset, skipReason } from './lab-env.js'
import { offlineInstall, spawnCollect, writeLabInventory } from './ansible-on-lab.js'

const ROLES = resolve('test/fixtures/roles-public')
const NODES = ['node1', 'node2']

interface Counts { ok: number; changed: number; failed: number; unreachable: number }
interface ToolRun { code: number; recap: Record<string, Counts>; output: string }

interface AnsibleJson {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { changed?: boolean; failed?: boolean; unreachable?: boolean; msg?: unknown }> }[] }[]
  stats: Record<string, { ok: number; changed: number; failures: number; unreachable: number }>
}
interface PghaJson {
  plays: { tasks: { name: string; hosts: Record<string, { status: string; result?: { msg?: unknown } }> }[] }[]
  recap: Record<string, Counts>
}

/** What a failed or changing run did, a line a task and host: short enough that a CI log keeps every failure. */
function ansibleFailures(doc: AnsibleJson): string {
  return doc.plays.flatMap((p) => p.tasks.flatMap((t) => Object.entries(t.hosts)
    .filter(([, r]) => r.failed || r.unreachable || r.changed)
    .map(([h, r]) => `${h} ${r.failed || r.unreachable ? 'FAILED' : 'changed'}: ${t.task.name}${r.msg ? `: ${String(r.msg).slice(0, 400)}` : ''}\n`))).join('')
}

function pghaNotOk(doc: PghaJson): string {
  return doc.plays.flatMap((p) => p.tasks.flatMap((t) => Object.entries(t.hosts)
    .filter(([, r]) => r.status !== 'ok' && r.status !== 'skipped')
    .map(([h, r]) => `${h} ${r.status}: ${t.name}${r.result?.msg ? `: ${String(r.result.msg).slice(0, 400)}` : ''}\n`))).join('')
}

describe.skipIf(skipReason)('public roles, unmodified, with pgha and ansible-playbook on the same hosts', () => {
  let dir = ''
  let inventory = ''
  let ansibleCfg = ''

  /** `pgha run -o json`, as a user runs it, the roles found through ANSIBLE_ROLES_PATH. */
  async function pgha(playbook: string, limit: string): Promise<ToolRun> {
    const r = await spawnCollect(process.execPath, [BIN, 'run', join(ROLES, playbook), '-i', inventory, '-l', limit, '-o', 'json'],
      { ...process.env, NO_COLOR: '1', ANSIBLE_ROLES_PATH: ROLES }, dir)
    const doc = r.stdout.trim() === '' ? undefined : (JSON.parse(r.stdout) as PghaJson)
    return { code: r.code, recap: doc?.recap ?? {}, output: `${doc ? pghaNotOk(doc) : ''}${r.stderr.slice(-2000)}` }
  }

  /** ansible-playbook with its json callback, its own empty ansible.cfg, the same inventory (strict host key checking). */
  async function ansible(playbook: string, limit: string): Promise<ToolRun> {
    const r = await spawnCollect('ansible-playbook', ['-i', inventory, '-l', limit, join(ROLES, playbook)], {
      ...process.env, ANSIBLE_CONFIG: ansibleCfg, ANSIBLE_ROLES_PATH: ROLES, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(dir, '.ansible-tmp'), ANSIBLE_HOME: join(dir, '.ansible'),
    }, dir)
    const doc = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as AnsibleJson
    const recap = Object.fromEntries(Object.entries(doc.stats).map(([h, s]) => [h, { ok: s.ok, changed: s.changed, failed: s.failures, unreachable: s.unreachable }]))
    return { code: r.code, recap, output: `${ansibleFailures(doc)}${r.stderr.slice(-2000)}` }
  }

  /**
   * Ansible's first run, once more if it failed. It is the oracle, not what this file tests: a fault of its
   * own on a loaded machine (CI once saw Debian's postgresql@15-main fail to restart right after its
   * install) would otherwise fail pgha's checks. The failure and the node's journal are printed.
   */
  async function ansibleFirst(playbook: string, limit: string): Promise<ToolRun> {
    const first = await ansible(playbook, limit)
    if (first.code === 0) return first
    const journal = await onHost(limit, 'journalctl --no-pager -n 40 -o short-monotonic 2>&1; true')
    console.log(`e2e: ansible-playbook's first run of ${playbook} on ${limit} failed, run once more:\n${first.output}\n--- ${limit}: journal ---\n${journal}`)
    return ansible(playbook, limit)
  }

  /** The run succeeded on every host it names and changed something on each (first) or nothing (second). */
  function expectRun(run: ToolRun, hosts: string[], changes: 'some' | 'none'): void {
    expect(run.code, run.output).toBe(0)
    expect(Object.keys(run.recap).sort(), run.output).toEqual(hosts)
    for (const h of hosts) {
      expect(run.recap[h].failed + run.recap[h].unreachable, `${h}: ${run.output}`).toBe(0)
      if (changes === 'some') expect(run.recap[h].changed, `${h}: ${run.output}`).toBeGreaterThan(0)
      else expect(run.recap[h].changed, `${h} should have nothing to change: ${run.output}`).toBe(0)
    }
  }

  const onHost = async (node: string, cmd: string): Promise<string> => {
    const r = await labExec(node, ['sh', '-c', cmd])
    return `${r.stdout}${r.stderr}`.trim()
  }

  /**
   * The runs that say both tools agree: pgha first on node1 and Ansible first on node2, each changing its
   * node; then pgha on both (its own second run, and after Ansible) and Ansible on both, each changing nothing.
   */
  function convergesBothWays(playbook: string): void {
    it('first runs: pgha on node1 and ansible-playbook on node2 each change what the role manages', async () => {
      const [ours, theirs] = await Promise.all([pgha(playbook, 'node1'), ansibleFirst(playbook, 'node2')])
      expectRun(ours, ['node1'], 'some')
      expectRun(theirs, ['node2'], 'some')
    })

    it('pgha then finds nothing to change on either node: its own second run, and after Ansible', async () => {
      expectRun(await pgha(playbook, 'all'), NODES, 'none')
    })

    it('ansible-playbook finds nothing to change on either node: after pgha, and its own second run', async () => {
      expectRun(await ansible(playbook, 'all'), NODES, 'none')
    })
  }

  beforeAll(async () => {
    // Pristine nodes: an earlier test file may have left a cluster or these roles' results on them.
    await labReset(NODES)
    // What Ansible needs on a node and pgha does not: python3, from the node's offline apt cache, and sudo
    // without requiretty (the lab's image sets it to test pgha's become), since geerlingguy.postgresql turns
    // on ansible_ssh_pipelining for its become tasks, which gives sudo no tty.
    await Promise.all(NODES.map((n) => offlineInstall(n, ['python3'], 'rm -f /etc/sudoers.d/00-requiretty')))
    dir = mkdtempSync(join(tmpdir(), 'pgha-public-roles-'))
    const written = writeLabInventory(dir, NODES)
    inventory = written.inventory
    ansibleCfg = written.ansibleCfg
  }, 600_000)

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    // The nodes go back to the image: the suites after this one expect its sudo (requiretty) and no
    // PostgreSQL of the role's on port 5432.
    await labReset(NODES)
  }, 600_000)

  describe('robertdebock.users: a group with sudo rules, a user with groups, an authorized key, password ageing and cron.allow', () => {
    convergesBothWays('users.yml')

    it('leaves on each node what the role promises: the group, the user, the sudo rules, the key, the ageing, cron.allow', async () => {
      for (const n of NODES) {
        expect(await onHost(n, 'getent group dbadmins'), n).toBe('dbadmins:x:2100:alice')
        expect(await onHost(n, 'getent passwd alice'), n).toBe('alice:x:2101:2101:Alice the DBA:/home/alice:/bin/bash')
        expect(await onHost(n, 'cat /etc/sudoers.d/dbadmins; stat -c %a /etc/sudoers.d/dbadmins'), n).toBe('#\n# Ansible managed\n#\n%dbadmins ALL=(postgres) NOPASSWD: ALL\n640')
        expect(await onHost(n, 'grep -v "^#" /etc/sudoers.d/alice'), n).toBe('alice ALL=(ALL) NOPASSWD: /usr/bin/systemctl status postgresql*')
        expect(await onHost(n, 'cat /home/alice/.ssh/authorized_keys'), n).toContain('alice@example.test')
        expect(await onHost(n, 'chage -l alice | grep "Maximum number"'), n).toMatch(/:\s*90$/)
        expect(await onHost(n, 'grep -v "^#" /etc/cron.allow'), n).toBe('alice')
        expect(await onHost(n, 'visudo -cf /etc/sudoers.d/alice && visudo -cf /etc/sudoers.d/dbadmins'), n).toBe('/etc/sudoers.d/alice: parsed OK\n/etc/sudoers.d/dbadmins: parsed OK')
      }
      // What pgha wrote first (node1) and what Ansible wrote first (node2) are the same bytes.
      const sums = 'cd / && md5sum etc/sudoers.d/dbadmins etc/sudoers.d/alice etc/cron.allow home/alice/.ssh/authorized_keys'
      expect(await onHost('node1', sums)).toBe(await onHost('node2', sums))
    })
  })
  describe('geerlingguy.postgresql: PostgreSQL 15 from the apt cache, a locale, pg_hba, a database and a user with a password', () => {
    convergesBothWays('postgresql.yml')

    it('leaves on each node a running server with the database and the role, which logs in with its password over TCP', async () => {
      for (const n of NODES) {
        const psql = (sql: string): Promise<string> => onHost(n, `cd / && runuser -u postgres -- psql -XAtc "${sql}"`)
        expect(await psql("SELECT datname, pg_get_userbyid(datdba), datcollate FROM pg_database WHERE datname = 'example_db'"), n).toBe('example_db|postgres|en_US.UTF-8')
        expect(await psql("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = 'example_user'"), n).toBe('example_user|t')
        // pg_hba's host line (md5) and the password the role set: what a client of the server relies on.
        expect(await onHost(n, "PGPASSWORD=supersecure psql -XAt -h 127.0.0.1 -U example_user -d example_db -c 'SELECT current_user'"), n).toBe('example_user')
        // Debian's generator enables each cluster's unit at run time: neither tool changes that.
        expect(await onHost(n, 'systemctl is-enabled postgresql@15-main; systemctl is-active postgresql@15-main'), n).toBe('enabled-runtime\nactive')
      }
      // What pgha wrote first (node1) and what Ansible wrote first (node2) are the same bytes.
      const sums = 'cd / && md5sum etc/postgresql/15/main/pg_hba.conf etc/postgresql/15/main/postgresql.conf etc/profile.d/postgres.sh'
      expect(await onHost('node1', sums)).toBe(await onHost('node2', sums))
    })
  })
})
