// Authentication on the lab with the default settings: repmgr logs in with scram-sha-256 and the password
// in postgres's ~/.pgpass, and with nothing else; pg_hba.conf is pgha's whole file with no `trust`;
// postgres gets in only through the socket as the OS user postgres. The password never shows in a run's
// output, --diff -v included. repmgr_auth_method=trust gives back the article's lines, and pgha_tls=true
// admits repmgr only over TLS, replication included; the next default run takes both back out of pg_hba.conf.
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { lab, labExec, node, skipReason } from './lab-env.js'
import { establishCluster, eventually, expectClean, onNode, psql, receiver, runShipped, totalChanged } from './ops-helpers.js'

const PSQL = '/usr/lib/postgresql/15/bin/psql'
const HBA = '/home/postgres/data/pg_hba.conf'
/** The lab's repmgr password (inventory/group_vars/lab.yml). */
const PASSWORD = 'pgha-lab-repmgr-pw'

/** psql on a node as an OS user with a conninfo, never prompting (-w): exit code and what it printed. */
async function connect(node: string, osUser: string, conninfo: string, sql = 'SELECT 1'): Promise<{ rc: number; out: string }> {
  const r = await labExec(node, ['runuser', '-u', osUser, '--', PSQL, '-XAtqw', conninfo, '-c', sql])
  return { rc: r.rc, out: (r.stdout + r.stderr).trim() }
}

/** The rules of a node's pg_hba.conf, comments and blank lines left out, fields separated by one space. */
async function hbaRules(node: string): Promise<string[]> {
  return (await onNode(node, `cat ${HBA}`)).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).join(' '))
}

describe.skipIf(skipReason)('authentication on the lab (scram-sha-256, ~postgres/.pgpass, pgha-generated pg_hba.conf)', () => {
  beforeAll(async () => {
    await establishCluster()
  })

  it('pg_hba.conf has no trust: postgres by peer through the socket, repmgr by scram-sha-256 from each node', async () => {
    for (const n of ['node1', 'node2']) {
      const rules = await hbaRules(n)
      expect(rules.join('\n')).not.toMatch(/\btrust\b/)
      expect(rules).toEqual([
        'local all postgres peer',
        `host replication repmgr ${node('node1').address}/32 scram-sha-256`,
        `host repmgr repmgr ${node('node1').address}/32 scram-sha-256`,
        `host replication repmgr ${node('node2').address}/32 scram-sha-256`,
        `host repmgr repmgr ${node('node2').address}/32 scram-sha-256`,
      ])
    }
    // What the server itself read from the file: no error in any line.
    expect(await psql('node1', 'SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL')).toBe('0')
    expect(await psql('node1', 'SHOW password_encryption')).toBe('scram-sha-256')
    expect(await psql('node1', "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'repmgr'")).toBe('SCRAM-SHA-256$')
  })

  it('~postgres/.pgpass is 0600, owned by postgres, on every node', async () => {
    for (const n of ['node1', 'node2']) expect((await onNode(n, 'stat -c "%a %U %G" /home/postgres/.pgpass')).trim()).toBe('600 postgres postgres')
  })

  it('repmgr over TCP without the password is refused; with the .pgpass it connects, for SQL and for replication', async () => {
    // Without a password file (passfile pointing at none), from the peer node.
    const refused = await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5 passfile=/nonexistent/.pgpass')
    expect(refused.rc).not.toBe(0)
    expect(refused.out).toMatch(/no password supplied|password authentication failed/)
    // A wrong password is refused too.
    const wrong = await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5 password=not-the-password')
    expect(wrong.out).toMatch(/password authentication failed for user "repmgr"/)
    // As the OS user postgres, whose ~/.pgpass holds it.
    expect(await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5')).toEqual({ rc: 0, out: '1' })
    const repl = await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr replication=true connect_timeout=5', 'IDENTIFY_SYSTEM')
    expect(repl.rc, repl.out).toBe(0)
    expect(repl.out).toMatch(/^\d+\|\d+\|/)
    // The standby's WAL receiver authenticated the same way and streams.
    expect(await receiver('node2')).toBe('streaming:node1')
    expect(await psql('node1', "SELECT application_name || ':' || state FROM pg_stat_replication")).toBe('node2:streaming')
  })

  it('postgres gets in only through the socket as the OS user postgres (peer); no other local or loopback login', async () => {
    expect(await connect('node1', 'postgres', 'dbname=postgres')).toEqual({ rc: 0, out: '1' })
    const asRoot = await connect('node1', 'root', 'dbname=postgres user=postgres')
    expect(asRoot.out).toMatch(/Peer authentication failed for user "postgres"/)
    const loopback = await connect('node1', 'postgres', 'host=127.0.0.1 dbname=postgres user=postgres connect_timeout=5')
    expect(loopback.out).toMatch(/no pg_hba.conf entry for host "127.0.0.1"/)
  })

  it('a run with --diff -v that rewrites the .pgpass shows ******** and never the password', async () => {
    await onNode('node2', 'rm /home/postgres/.pgpass')
    const r = spawnSync(process.execPath, [BIN, 'run', 'playbooks/site.yml', '-i', lab.inventory, '--diff', '-v', '--output', 'plain'], { encoding: 'utf8', timeout: 400_000 })
    const output = r.stdout + r.stderr
    expect(r.status, output.slice(-2000)).toBe(0)
    expect(output).not.toContain(PASSWORD)
    // The diff of the recreated file is there, its password masked.
    expect(output).toMatch(/\+node1:5432:\*:repmgr:\*{8}/)
    expect(output).toMatch(/changed: \[node2\]/)
    expect((await onNode('node2', 'stat -c "%a %U" /home/postgres/.pgpass')).trim()).toBe('600 postgres')
  })

  it("repmgr_auth_method=trust gives back the article's lines; the next default run takes them away again", async () => {
    const trust = await runShipped('site.yml', lab.inventory, { extraVars: ['repmgr_auth_method=trust'] })
    expectClean(trust, 'site.yml with repmgr_auth_method=trust')
    const rules = await hbaRules('node1')
    expect(rules).toContain(`host replication repmgr ${node('node2').address}/32 trust`)
    expect(rules).toContain('local replication repmgr trust')
    expect(await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5 passfile=/nonexistent/.pgpass')).toEqual({ rc: 0, out: '1' })

    const back = await runShipped('site.yml', lab.inventory)
    expectClean(back, 'site.yml back to the defaults')
    expect((await hbaRules('node1')).join('\n')).not.toMatch(/\btrust\b/)
    expect((await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5 passfile=/nonexistent/.pgpass')).rc).not.toBe(0)
  })

  it('pgha_tls=true: a self-signed certificate per node, repmgr admitted only over TLS, replication over TLS; off again after', async () => {
    const tls = await runShipped('site.yml', lab.inventory, { extraVars: ['{"pgha_tls": true}'] })
    expectClean(tls, 'site.yml with pgha_tls')
    expect(await hbaRules('node1')).toContain(`hostssl replication repmgr ${node('node2').address}/32 scram-sha-256`)
    expect((await onNode('node1', 'stat -c "%a %U" /home/postgres/tls/server.key')).trim()).toBe('600 postgres')
    expect(await onNode('node1', 'openssl x509 -noout -subject -in /home/postgres/tls/server.crt')).toMatch(/CN ?= ?node1/)
    expect(await psql('node1', 'SHOW ssl')).toBe('on')
    // A client that refuses TLS is refused; the default (sslmode=prefer) gets TLS.
    const clear = await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr sslmode=disable connect_timeout=5')
    expect(clear.out).toMatch(/no pg_hba.conf entry for host .*(no encryption|SSL off)/)
    expect(await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr connect_timeout=5', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).toEqual({ rc: 0, out: 't' })
    // The WAL receiver's next connection is a TLS one.
    await onNode('node2', 'systemctl restart pgserver')
    const ssl = await eventually(() => psql('node1', "SELECT s.ssl FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE r.application_name = 'node2' AND r.state = 'streaming'"), (v) => v === 't', 60_000)
    expect(ssl).toBe('t')

    // Off again: repmgr is admitted without TLS (host lines); ssl stays on for whoever else uses it.
    const off = await runShipped('site.yml', lab.inventory)
    expectClean(off, 'site.yml without TLS')
    expect((await hbaRules('node1')).filter((l) => l.startsWith('hostssl'))).toEqual([])
    expect(await connect('node2', 'postgres', 'host=node1 user=repmgr dbname=repmgr sslmode=disable connect_timeout=5')).toEqual({ rc: 0, out: '1' })
    expect(totalChanged(await runShipped('site.yml', lab.inventory))).toBe(0)
  })
})
