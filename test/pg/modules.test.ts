// postgresql_user, postgresql_db and postgresql_query against a real PostgreSQL 15 on this machine, run as
// become_user postgres through LocalTransport: once where pg_hba trusts local connections (the stream
// route) and once where only peer authentication is allowed (psql as postgres). Second runs plan nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'
import { described, runAs } from './run-module.js'

const routes = [
  { route: 'stream', hba: undefined },
  { route: 'psql', hba: 'local all all peer\n' },
] as const

describe.skipIf(!havePostgres).each(routes)('postgres modules on a real server ($route route)', ({ route, hba }) => {
  let pg: TempCluster
  const conn = () => ({ port: pg.port, unix_socket_dir: pg.socketDir, bindir: PG_BINDIR })
  const run = (module: string, args: Record<string, unknown>, check = false) => runAs('postgres', module, { ...conn(), ...args }, check)
  const sql = (query: string) => pg.run('psql', ['-XAtq', '-h', pg.socketDir, '-p', String(pg.port), '-c', query]).trim()
  beforeAll(() => {
    pg = startCluster({ hba })
  })
  afterAll(() => pg?.stop())

  it('uses the expected route for a write', async () => {
    const r = await run('postgresql_query', { query: 'CREATE TABLE route_check (a int)' })
    // psql: the refused stream attempt, then one psql run.
    expect({ streams: r.streams, commands: r.commands }).toEqual(route === 'stream' ? { streams: 1, commands: 0 } : { streams: 1, commands: 1 })
  })

  it('reads the catalog with one psql run as the become user, the route read-ahead batches, on either server', async () => {
    const r = await run('postgresql_query', { query: 'SELECT 1 AS one' })
    expect({ streams: r.streams, commands: r.commands }).toEqual({ streams: 0, commands: 1 })
    expect(r.result).toMatchObject({ query_result: [{ one: '1' }], rowcount: 1 })
  })

  it('reads login_host localhost beside login_unix_socket as that socket, as community.postgresql does (this server has no TCP)', async () => {
    const r = await runAs('postgres', 'postgresql_query', { port: pg.port, login_host: 'localhost', login_unix_socket: pg.socketDir, bindir: PG_BINDIR, query: 'SELECT 1 AS one' })
    expect(r.result).toMatchObject({ query_result: [{ one: '1' }] })
  })

  it('runs as session_role: the objects a module creates belong to it', async () => {
    sql('CREATE ROLE app_owner NOLOGIN; GRANT CREATE ON SCHEMA public TO app_owner')
    await run('postgresql_query', { session_role: 'app_owner', query: 'CREATE TABLE owned_by_app (a int)' })
    expect(sql(`SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_app'`)).toBe('app_owner')
  })

  it('creates the repmgr superuser with its search_path, then plans nothing', async () => {
    const args = { name: 'repmgr', role_attr_flags: 'SUPERUSER', search_path: ['repmgr', '$user', 'public'] }
    const check = await run('postgresql_user', args, true)
    expect(described(check)).toEqual(['create role repmgr (LOGIN SUPERUSER)', 'set search_path of role repmgr to repmgr, "$user", public'])
    expect(sql(`SELECT count(*) FROM pg_roles WHERE rolname = 'repmgr'`)).toBe('0')
    const first = await run('postgresql_user', args)
    expect(first.result.changed).toBe(true)
    expect(sql(`SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'repmgr'`)).toBe('t|t')
    expect(sql(`SELECT setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE rolname = 'repmgr'`)).toBe('{"search_path=repmgr, \\"$user\\", public"}')
    expect(described(await run('postgresql_user', args))).toEqual([])
    // The seed's spelling with quotes is the same path.
    expect(described(await run('postgresql_user', { ...args, search_path: 'repmgr, "$user", public' }))).toEqual([])
  })

  it('changes only the attributes that differ', async () => {
    await run('postgresql_user', { name: 'app', role_attr_flags: 'CREATEDB' })
    const r = await run('postgresql_user', { name: 'app', role_attr_flags: 'CREATEDB,NOLOGIN,REPLICATION' })
    expect(described(r)).toEqual(['alter role app: NOLOGIN REPLICATION'])
    expect(sql(`SELECT rolcreatedb, rolcanlogin, rolreplication FROM pg_roles WHERE rolname = 'app'`)).toBe('t|f|t')
  })

  it('sets a password without ever showing it, and recognises it on the next run', async () => {
    const secret = "s3cr'et pass"
    const first = await run('postgresql_user', { name: 'pwuser', password: secret })
    expect(JSON.stringify([first.plan, first.result])).not.toContain('s3cr')
    expect(sql(`SELECT rolpassword LIKE 'SCRAM-SHA-256$4096:%' FROM pg_authid WHERE rolname = 'pwuser'`)).toBe('t')
    expect(described(await run('postgresql_user', { name: 'pwuser', password: secret }))).toEqual([])
    expect(described(await run('postgresql_user', { name: 'pwuser', password: 'other' }, true))).toEqual(['set the password of role pwuser'])
    expect(described(await run('postgresql_user', { name: 'pwuser', password: 'other', no_password_changes: true }))).toEqual([])
    // A password PostgreSQL hashed itself is recognised too.
    sql(`ALTER ROLE pwuser PASSWORD 'server-side'`)
    expect(described(await run('postgresql_user', { name: 'pwuser', password: 'server-side' }))).toEqual([])
  })

  it('drops a role, then plans nothing', async () => {
    await run('postgresql_user', { name: 'gone' })
    expect(described(await run('postgresql_user', { name: 'gone', state: 'absent' }))).toEqual(['drop role gone'])
    expect(sql(`SELECT count(*) FROM pg_roles WHERE rolname = 'gone'`)).toBe('0')
    expect(described(await run('postgresql_user', { name: 'gone', state: 'absent' }))).toEqual([])
  })

  it("sets a database's connection limit when created and when it differs, as community.postgresql does", async () => {
    expect(described(await run('postgresql_db', { name: 'limited', conn_limit: '5' }))).toEqual(['create database limited'])
    expect(sql(`SELECT datconnlimit FROM pg_database WHERE datname = 'limited'`)).toBe('5')
    expect(described(await run('postgresql_db', { name: 'limited', conn_limit: 5 }))).toEqual([])
    expect(described(await run('postgresql_db', { name: 'limited', conn_limit: -1 }))).toEqual(['set the connection limit of database limited from 5 to -1'])
    expect(sql(`SELECT datconnlimit FROM pg_database WHERE datname = 'limited'`)).toBe('-1')
    // Ansible's default, '': the limit is left as it is
    expect(described(await run('postgresql_db', { name: 'limited', conn_limit: '' }))).toEqual([])
    await run('postgresql_db', { name: 'limited', state: 'absent' })
  })

  it("sets a role's password expiry (VALID UNTIL) when it differs, compared as timestamps", async () => {
    const args = { name: 'expiring', expires: '2031-01-01 00:00:00+00' }
    expect(described(await run('postgresql_user', args))).toEqual(['create role expiring (LOGIN)'])
    expect(sql(`SELECT rolvaliduntil AT TIME ZONE 'UTC' FROM pg_roles WHERE rolname = 'expiring'`)).toBe('2031-01-01 00:00:00')
    // the same time written otherwise is the same
    expect(described(await run('postgresql_user', { name: 'expiring', expires: '2031-01-01T01:00:00+01:00' }))).toEqual([])
    expect(described(await run('postgresql_user', { name: 'expiring', expires: 'infinity' }))).toEqual(['set the password expiry of role expiring to infinity'])
    expect(sql(`SELECT rolvaliduntil FROM pg_roles WHERE rolname = 'expiring'`)).toBe('infinity')
    // a value is a value, never SQL: PostgreSQL refuses it as a time
    await expect(run('postgresql_user', { name: 'expiring', expires: "2031-01-01'; DROP ROLE postgres; --" }, true)).rejects.toThrow(/invalid input syntax for type timestamp with time zone/)
    await run('postgresql_user', { name: 'expiring', state: 'absent' })
  })

  it('creates the repmgr database owned by repmgr, keeps its owner, refuses an encoding change', async () => {
    await run('postgresql_user', { name: 'repmgr', role_attr_flags: 'SUPERUSER' })
    const args = { name: 'repmgr', owner: 'repmgr', encoding: 'UTF8' }
    expect(described(await run('postgresql_db', args, true))).toEqual(['create database repmgr owned by repmgr'])
    await run('postgresql_db', args)
    expect(sql(`SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'repmgr'`)).toBe('repmgr')
    expect(described(await run('postgresql_db', { ...args, encoding: 'utf-8' }))).toEqual([])
    sql('ALTER DATABASE repmgr OWNER TO postgres')
    expect(described(await run('postgresql_db', args))).toEqual(['change the owner of database repmgr from postgres to repmgr'])
    await expect(run('postgresql_db', { ...args, encoding: 'LATIN1' })).rejects.toThrow('database repmgr exists with encoding UTF8, not LATIN1')
    await run('postgresql_db', { db: 'scratch' })
    expect(described(await run('postgresql_db', { name: 'scratch', state: 'absent' }))).toEqual(['drop database scratch'])
    expect(sql(`SELECT count(*) FROM pg_database WHERE datname = 'scratch'`)).toBe('0')
  })

  it('runs reads in plan (also in check mode) and reports them ok', async () => {
    const r = await run('postgresql_query', { query: 'SELECT application_name, state FROM pg_stat_replication' }, true)
    expect(r.plan.changes).toEqual([])
    expect(r.result).toMatchObject({ changed: false, rows: [], rowcount: 0 })
    const args = await run('postgresql_query', { query: 'SELECT %s::int + 1 AS n, %s AS s, %s AS z', positional_args: [41, "it's 100%", null] })
    expect(args.result).toMatchObject({ rows: [{ n: '42', s: "it's 100%", z: null }], rowcount: 1 })
  })

  it('does not run writes in check mode, and reports DML changed only when rows were touched', async () => {
    await run('postgresql_query', { query: 'CREATE TABLE t (a int)' })
    const check = await run('postgresql_query', { query: 'INSERT INTO t VALUES (1), (2)' }, true)
    expect({ changes: described(check), unpredictable: check.plan.unpredictable }).toEqual({ changes: ['run INSERT on database postgres'], unpredictable: true })
    expect(sql('SELECT count(*) FROM t')).toBe('0')
    expect((await run('postgresql_query', { query: 'INSERT INTO t VALUES (1), (2)' })).result).toMatchObject({ changed: true, rowcount: 2 })
    expect((await run('postgresql_query', { query: 'UPDATE t SET a = 3 WHERE a > 5' })).result).toMatchObject({ changed: false, rowcount: 0 })
    await expect(run('postgresql_query', { query: 'INSERT INTO t VALUES (1); INSERT INTO nope VALUES (1)' })).rejects.toThrow('relation "nope" does not exist')
    expect(sql('SELECT count(*) FROM t')).toBe('2') // the failed text ran in one transaction
    expect((await run('postgresql_query', { query: 'VACUUM t', autocommit: true })).result).toMatchObject({ changed: true })
  })
})
