// Read-ahead of PostgreSQL catalog reads through the engine, against a real PostgreSQL 15 on this machine
// (a temp cluster on a unix socket, peer authentication only) as become_user postgres: a converged play of
// postgresql_* tasks reads all its catalogs in one round trip (one psql session), and a value read ahead is
// never used after a change, whether this host or another one made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from '../pg/temp-cluster.js'
import { localHosts, project } from './harness.js'
import { crossingPlay, recorded } from './become-crossing.js'

const play = (hosts: string, tasks: string): string => `
- hosts: ${hosts}
  gather_facts: false
  become: true
  become_user: postgres
  tasks:
${tasks}`

describe.skipIf(!havePostgres)('read-ahead of PostgreSQL reads', () => {
  let pg: TempCluster
  let conn: string
  beforeAll(() => {
    pg = startCluster({ hba: 'local all all peer\n' })
    conn = `port: ${pg.port}, unix_socket_dir: ${pg.socketDir}, bindir: ${PG_BINDIR}`
  })
  afterAll(() => pg?.stop())

  it('reads the catalogs of a converged play of postgresql_* tasks in one round trip', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': play('all', `
    - postgresql_user: { name: app, role_attr_flags: CREATEDB, ${conn} }
    - postgresql_db: { name: appdb, owner: app, ${conn} }
    - postgresql_set: { name: work_mem, value: 8MB, ${conn} }
    - name: pending
      postgresql_query: { query: "SELECT count(*) AS pending FROM pg_settings WHERE pending_restart", ${conn} }
      register: pending
    - name: standby
      postgresql_query: { query: "SELECT state FROM pg_stat_replication WHERE application_name = %s", positional_args: [node2], ${conn} }
`),
    })
    const first = await p.run()
    expect(first.recap.hostA).toMatchObject({ failed: 0, changed: 3 })
    const again = await p.run()
    expect(again.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(again.roundTrips).toBe(1)
    expect(again.results('pending').hostA.result).toMatchObject({ rows: [{ pending: '0' }], rowcount: 1 })
  })

  it('reads again what a change on this host or on another one made since the batch', async () => {
    // hostA and hostB are the same server: hostB's ALTER SYSTEM is the change another node makes.
    // Two texts, so that the read of `after` is an entry of its own in the batch.
    const setting = (alias: string) => `postgresql_query: { query: "SELECT setting AS ${alias} FROM pg_file_settings WHERE name = 'maintenance_work_mem'", ${conn} }`
    const p = project(localHosts(['hostA', 'hostB']), {
      'site.yml': play('all', `
    - name: before
      ${setting('before')}
    - name: roles
      postgresql_query: { query: "SELECT count(*) AS n FROM pg_roles", ${conn} }
    - name: set on hostB
      postgresql_set: { name: maintenance_work_mem, value: 100MB, ${conn} }
      when: inventory_hostname == 'hostB'
    - name: after
      ${setting('after')}
      register: after
`),
    })
    const run = await p.run({ forks: 1 })
    expect(run.recap.hostB).toMatchObject({ failed: 0, changed: 1 })
    expect(run.results('after').hostA.result).toMatchObject({ rows: [{ after: '100MB' }] })
    expect(run.results('after').hostB.result).toMatchObject({ rows: [{ after: '100MB' }] })
  })
  it('reads a standby clone\'s data directory and its upstream in one round trip', async () => {
    // The upstream is this cluster, asked over its socket; the data directory is not there yet.
    const p = project(localHosts(['hostA']), {
      'site.yml': play('all', `
    - name: clone
      repmgr_node:
        action: standby_clone
        config: /nonexistent/repmgr.conf
        bindir: ${PG_BINDIR}
        data_directory: /nonexistent/pgha-clone-data
        upstream_host: ${pg.socketDir}
        upstream_port: ${pg.port}
        upstream_user: postgres
        upstream_db: postgres
`),
    })
    const r = await p.run({ check: true })
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 1 })
    expect(r.results('clone').hostA.result.msg).toMatch(/missing/)
    expect(r.roundTrips).toBe(1)
  })

  // A task of another become user than the running one's, one a plan has run as on the host already: its
  // catalog read joins the batch in that user's shell, at the same time; a user no plan has run as yet (it
  // may not exist) is never read for.
  const crossing = (first: string) => project(localHosts(['hostA']), {
    'site.yml': crossingPlay(first, `
    - name: pending
      postgresql_query: { query: "SELECT count(*) AS pending FROM pg_settings WHERE pending_restart", ${conn} }
      become_user: postgres
      register: pending`),
  })

  it('reads ahead for a task of another become user, one a plan has run as, in its shell', async () => {
    const rec = recorded()
    const r = await crossing(`
    - name: as postgres first
      postgresql_query: { query: "SELECT 1 AS one", ${conn} }
      become_user: postgres`).run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(r.results('pending').hostA.result).toMatchObject({ rows: [{ pending: '0' }] })
    expect(rec.commands.filter((c) => c.task === 'stat a').map((c) => c.user).sort()).toEqual(['postgres', 'root'])
    expect(rec.commands.filter((c) => c.task === 'pending')).toEqual([])
  })

  it('serves a catalog read ahead to each task that asks it, and a retry reads it again', async () => {
    // The same query three times: the first read serves the first two tasks' plans; the third task's
    // second attempt (a retry) reads again, in a round trip of its own.
    const same = `postgresql_query: { query: "SELECT count(*) AS n FROM pg_roles", ${conn} }`
    const p = project(localHosts(['hostA']), {
      'site.yml': play('all', `
    - name: first
      ${same}
    - name: second
      ${same}
    - name: until a second attempt
      ${same}
      register: counted
      until: counted.attempts | default(1) >= 2
      retries: 3
      delay: 0
`),
    })
    const rec = recorded()
    const r = await p.run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(r.results('until a second attempt').hostA.result).toMatchObject({ attempts: 2, rows: [{ n: expect.stringMatching(/^[0-9]+$/) }] })
    expect(rec.commands.map((c) => c.task)).toEqual(['first', 'until a second attempt'])
    expect(r.roundTrips).toBe(2)
  })

  it('does not read ahead as a user no plan has run as yet', async () => {
    const rec = recorded()
    const r = await crossing('').run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(rec.commands.filter((c) => c.task === 'stat a').map((c) => c.user)).toEqual(['root'])
    expect(rec.commands.filter((c) => c.task === 'pending').map((c) => c.user)).toEqual(['postgres'])
  })
})
