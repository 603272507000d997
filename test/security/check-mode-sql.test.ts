// Check mode that writes, and values spliced into SQL. Against a throwaway PostgreSQL, through both
// routes of the pg client: the stream (role pgha_stream, trusted) and psql on the host as the become user
// (role postgres, which pg_hba admits only by peer, so the stream is refused and psql takes over).
// - `pgha run --check`: whatever a statement's text looks like, nothing changes: no role, no row, no
//   sequence step; texts that only look like reads run in a READ ONLY transaction and, when they write
//   after all, are reported as what a real run would do instead of running;
// - a real run still runs them, as writes, exactly once;
// - positional_args are bound parameters on both routes: a value is returned as it was given and never
//   runs as SQL or as a psql command, even with standard_conforming_strings off; on the local connection
//   and over SSH (the stream through sshd's streamlocal channel, psql's script through its shell).
import { execFileSync } from 'node:child_process'
import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from '../pg/temp-cluster.js'
import { cleanupProjects, inventory, LOCAL, overSsh, pgha, play, project, task, taskResult, yq, type HostLine, type Project, type Run } from './exec-harness.js'

afterAll(cleanupProjects)

const HBA = 'local all pgha_stream trust\nlocal all all peer\n'

/** What a user checks in the database afterwards, as the superuser through psql. */
function sql(pg: TempCluster, query: string, db = 'postgres'): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BINDIR}/psql`, '-XAtq', '-h', pg.socketDir, '-p', String(pg.port), '-d', db, '-c', query], { encoding: 'utf8' }).trim()
}

const roleExists = (pg: TempCluster, role: string): boolean => sql(pg, `SELECT count(*) FROM pg_roles WHERE rolname = '${role}'`) === '1'

type Route = 'stream' | 'psql'
const ROUTES: Route[] = ['stream', 'psql']

/** A postgresql_query task on one route (`args`: more arguments). */
function query(pg: TempCluster, name: string, route: Route, q: string, args: Record<string, unknown> = {}): string {
  const conn = { port: pg.port, unix_socket_dir: pg.socketDir, login_user: route === 'stream' ? 'pgha_stream' : 'postgres', query: q, ...args }
  return task(name, 'postgresql_query', conn, ['ignore_errors: true'])
}

/** The play as postgres, so the psql route can log in by peer. */
const asPostgres = ['become: true', 'become_user: postgres']

/** Statements whose text hides a write, each creating its own role when it runs. */
const hidden: { id: string; sql: (role: string) => string }[] = [
  { id: 'a -- inside a string literal', sql: (r) => `SELECT '--'; CREATE ROLE ${r}` },
  { id: 'a /* inside string literals', sql: (r) => `SELECT '/*'; CREATE ROLE ${r}; SELECT '*/'` },
  { id: 'a ; inside a dollar-quoted string', sql: (r) => `SELECT $$;$$; CREATE ROLE ${r}` },
  { id: 'nested comments', sql: (r) => `SELECT 1 /* a /* b */ ; */ ; CREATE ROLE ${r}` },
  { id: 'a backslash that only standard_conforming_strings=off would escape', sql: (r) => `SELECT 'a\\'; CREATE ROLE ${r}; --'` },
  { id: 'a function that creates a role', sql: (r) => `SELECT pgha_mkrole('${r}')` },
  { id: 'a function called through a quoted name', sql: (r) => `SELECT "pgha_mkrole"('${r}')` },
  { id: 'a function in FROM', sql: (r) => `SELECT * FROM pgha_mkrole('${r}')` },
  { id: 'a DO block', sql: (r) => `DO $$ BEGIN CREATE ROLE ${r}; END $$` },
  { id: 'a data-modifying WITH', sql: (r) => `WITH x AS (SELECT pgha_mkrole('${r}')) SELECT * FROM x` },
]

describe.skipIf(!havePostgres)('check mode never changes the database', () => {
  let pg: TempCluster
  let p: Project
  let check: Run
  let real: Run
  const role = (i: number, route: Route) => `pwned_c${i}_${route}`
  beforeAll(async () => {
    pg = startCluster({ hba: HBA })
    sql(pg, 'CREATE ROLE pgha_stream SUPERUSER LOGIN')
    sql(pg, `CREATE FUNCTION pgha_mkrole(n text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('CREATE ROLE %I', n); RETURN 1; END $$`)
    sql(pg, 'CREATE SEQUENCE pgha_seq; CREATE TABLE pgha_t (v int)')
    p = project('sql-check')
    const tasks = ROUTES.flatMap((route) => [
      ...hidden.map((h, i) => query(pg, `${route}: ${h.id}`, route, h.sql(role(i, route)))),
      query(pg, `${route}: nextval`, route, "SELECT nextval('pgha_seq')"),
      query(pg, `${route}: setval`, route, "SELECT setval('pgha_seq', 100)"),
      query(pg, `${route}: insert through WITH`, route, 'WITH x AS (INSERT INTO pgha_t VALUES (1) RETURNING v) SELECT * FROM x'),
      query(pg, `${route}: a plain read`, route, 'SELECT 41 + 1 AS answer'),
    ])
    check = await pgha(p, ['run', p.write('check.yml', play(p, tasks, asPostgres)), '-i', inventory(p), '--check', '-o', 'json'])
    // The same function call in a real run: a write after all, so it runs once and reports changed.
    const once = ROUTES.map((route) => query(pg, `${route}: real run`, route, `SELECT pgha_mkrole('made_${route}')`))
    real = await pgha(p, ['run', p.write('real.yml', play(p, once, asPostgres)), '-i', inventory(p), '-o', 'json'])
  }, 120_000)
  afterAll(() => pg?.stop())

  it('the check run ends without a failed task', () => expect(check.code, check.stdout + check.stderr).toBe(0))

  for (const route of ROUTES) {
    it.each(hidden.map((h, i) => [h.id, i] as const))(`${route}: %s creates no role in --check`, (id, i) => {
      expect(roleExists(pg, role(i, route))).toBe(false)
      const r = taskResult(check, `${route}: ${id}`)
      expect(r.result.failed ?? false).toBe(false)
    })

    it(`${route}: a function that writes is reported as what a real run would do, not run`, () => {
      const r = taskResult(check, `${route}: a function that creates a role`)
      expect(r.status).toBe('skipped')
      expect(r.result.msg).toContain('cannot tell in check mode')
    })

    it(`${route}: a plain read still runs in --check and returns its rows`, () => {
      const r = taskResult(check, `${route}: a plain read`)
      expect(r.status).toBe('ok')
      expect(r.result.rows).toEqual([{ answer: '42' }])
    })

    it(`${route}: a real run runs the writing function once and reports changed`, () => {
      expect(real.code, real.stdout + real.stderr).toBe(0)
      expect(taskResult(real, `${route}: real run`).status).toBe('changed')
      expect(roleExists(pg, `made_${route}`)).toBe(true)
    })
  }

  it('no sequence step and no row from --check', () => {
    expect(sql(pg, 'SELECT is_called FROM pgha_seq')).toBe('f')
    expect(sql(pg, 'SELECT count(*) FROM pgha_t')).toBe('0')
  })
})

function boundSuite(label: string, host: () => HostLine) {
  let pg: TempCluster
  let p: Project
  let run: Run
  const inDir = (v: string): string => v.replace('__DIR__', p.dir)
  const values: { id: string; value: string }[] = [
    { id: 'quote and statement', value: "x'); CREATE ROLE pwned_p1; --" },
    { id: 'backslash quote', value: "\\'; CREATE ROLE pwned_p2; --" },
    { id: 'dollar quote', value: '$$; CREATE ROLE pwned_p3; SELECT $$' },
    { id: 'psql command on its own line', value: '\n\\! touch __DIR__/PWNED-p4\n' },
    { id: 'psql variable', value: ":'ROW_COUNT' :ROW_COUNT" },
    { id: 'unicode and NUL-free binary-ish text', value: 'é\t\r\u0001 end' },
  ]
  beforeAll(async () => {
    pg = startCluster({ hba: HBA })
    sql(pg, 'CREATE ROLE pgha_stream SUPERUSER LOGIN')
    sql(pg, 'CREATE DATABASE scsoff')
    sql(pg, 'ALTER DATABASE scsoff SET standard_conforming_strings = off')
    p = project(`sql-args-${label}`)
    // psql runs as postgres: the markers it would create must be creatable, or their absence proves nothing.
    chmodSync(p.dir, 0o777)
    const tasks = ROUTES.flatMap((route) => [
      ...values.map((v) => query(pg, `${route}: ${v.id}`, route, 'SELECT %s::text AS v', { positional_args: [inDir(v.value)] })),
      ...values.map((v) => query(pg, `${route} scs off: ${v.id}`, route, 'SELECT %s::text AS v', { positional_args: [inDir(v.value)], db: 'scsoff' })),
      query(pg, `${route}: %s inside a dollar-quoted constant`, route, 'SELECT $q$%s$q$ AS v', { positional_args: ['$q$; CREATE ROLE pwned_p7; SELECT $q$'] }),
      query(pg, `${route}: %s inside a quoted constant`, route, "SELECT '%s' AS v", { positional_args: ["'; CREATE ROLE pwned_p8; --"] }),
      query(pg, `${route}: a psql command in the statement`, route, `SELECT 1;\n\\! touch ${join(p.dir, `PWNED-${route}`)}`),
    ])
    run = await pgha(p, ['run', p.write('site.yml', play(p, tasks, asPostgres)), '-i', inventory(p, host()), '-o', 'json'])
  }, 120_000)
  afterAll(() => pg?.stop())

  for (const route of ROUTES) {
    it.each(values.map((v) => [v.id, v.value] as const))(`${route}: %s comes back exactly as given`, (id, value) => {
      expect(taskResult(run, `${route}: ${id}`).result.rows).toEqual([{ v: inDir(value) }])
    })

    it.each(values.map((v) => [v.id, v.value] as const))(`${route}, standard_conforming_strings off: %s comes back exactly`, (id, value) => {
      expect(taskResult(run, `${route} scs off: ${id}`).result.rows).toEqual([{ v: inDir(value) }])
    })

    it(`${route}: %s inside a quoted constant is refused, saying why`, () => {
      for (const name of [`${route}: %s inside a dollar-quoted constant`, `${route}: %s inside a quoted constant`]) {
        const r = taskResult(run, name)
        expect(r.result.failed).toBe(true)
        expect(r.result.msg).toContain('is not a parameter')
      }
    })

    it(`${route}: a psql command in the statement never runs`, () => {
      expect(taskResult(run, `${route}: a psql command in the statement`).result.failed).toBe(true)
      expect(p.marker(`PWNED-${route}`)).toBe(false)
    })
  }

  it('no value ran as SQL or as a psql command', () => {
    for (const r of ['pwned_p1', 'pwned_p2', 'pwned_p3', 'pwned_p7', 'pwned_p8']) expect(roleExists(pg, r), r).toBe(false)
    expect(p.marker('PWNED-p4')).toBe(false)
  })

  it('the psql route says why it refuses a backslash', () => {
    expect(taskResult(run, 'psql: a psql command in the statement').result.msg).toContain('psql would run as a psql command')
  })

  it('the control: psql does run a psql command given on purpose (the marker check can fail)', () => {
    execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BINDIR}/psql`, '-Xq', '-h', pg.socketDir, '-p', String(pg.port), '-d', 'postgres', '-c', `\\! touch ${yq(join(p.dir, 'PWNED-control'))}`])
    expect(p.marker('PWNED-control')).toBe(true)
  })
}

describe.skipIf(!havePostgres)('positional_args are bound parameters on both routes (local)', () => boundSuite('local', () => LOCAL))

overSsh('positional_args over SSH (the stream through sshd, psql through its shell)', (host) => describe('bound values', () => boundSuite('ssh', host)), !havePostgres)
