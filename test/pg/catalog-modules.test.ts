// postgresql_ext, postgresql_schema, postgresql_privs, postgresql_set and postgresql_slot against a real PostgreSQL 15 on this
// machine, on both routes (the pg client over a stream where pg_hba trusts local connections, psql as
// postgres where only peer is allowed). Each test checks what a DBA would look at (pg_extension,
// has_table_privilege, postgresql.auto.conf, pg_replication_slots), that check mode changes none of it,
// and that a second run plans nothing.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'
import { described, runAs } from './run-module.js'

const routes = [
  { route: 'stream', hba: undefined },
  { route: 'psql', hba: 'local all all peer\n' },
] as const

describe.skipIf(!havePostgres).each(routes)('catalog modules on a real server ($route route)', ({ hba }) => {
  let pg: TempCluster
  const conn = () => ({ port: pg.port, unix_socket_dir: pg.socketDir, bindir: PG_BINDIR })
  const run = (module: string, args: Record<string, unknown>, check = false) => runAs('postgres', module, { ...conn(), ...args }, check)
  const sql = (query: string, db = 'postgres') => pg.run('psql', ['-XAtq', '-h', pg.socketDir, '-p', String(pg.port), '-d', db, '-c', query]).trim()
  const autoConf = () => readFileSync(join(pg.data, 'postgresql.auto.conf'), 'utf8')
  beforeAll(() => {
    pg = startCluster({ hba, conf: 'wal_level = logical\n' })
    sql('CREATE DATABASE app')
    sql(`CREATE ROLE reader; CREATE ROLE writer; CREATE ROLE owner_role; CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); CREATE TABLE sales.items (id int); CREATE SEQUENCE sales.ids; CREATE FUNCTION sales.add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'`, 'app')
  })
  afterAll(() => pg?.stop())

  describe('postgresql_ext', () => {
    it('creates an extension at a version, updates it to the latest, then plans nothing', async () => {
      const args = { name: 'hstore', db: 'app', version: '1.7' }
      expect(described(await run('postgresql_ext', args, true))).toEqual(['create extension hstore version 1.7'])
      expect(sql(`SELECT count(*) FROM pg_extension WHERE extname = 'hstore'`, 'app')).toBe('0')
      const first = await run('postgresql_ext', args)
      expect(first.result.changed).toBe(true)
      expect(sql(`SELECT extversion FROM pg_extension WHERE extname = 'hstore'`, 'app')).toBe('1.7')
      expect((await run('postgresql_ext', args)).result.changed).toBe(false)
      const latest = { ...args, version: 'latest' }
      expect(described(await run('postgresql_ext', latest, true))).toEqual(['update extension hstore from version 1.7 to 1.8'])
      expect(sql(`SELECT extversion FROM pg_extension WHERE extname = 'hstore'`, 'app')).toBe('1.7')
      await run('postgresql_ext', latest)
      expect(sql(`SELECT extversion FROM pg_extension WHERE extname = 'hstore'`, 'app')).toBe('1.8')
      expect((await run('postgresql_ext', latest)).result.changed).toBe(false)
    })

    it('creates in a schema and moves it, drops it, and refuses one the server lacks', async () => {
      await run('postgresql_ext', { ext: 'citext', login_db: 'app' })
      expect(described(await run('postgresql_ext', { name: 'citext', db: 'app', schema: 'sales' }))).toEqual(['move extension citext from schema public to sales'])
      expect(sql(`SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'citext'`, 'app')).toBe('sales')
      expect(described(await run('postgresql_ext', { name: 'citext', db: 'app', state: 'absent' }, true))).toEqual(['drop extension citext'])
      expect(sql(`SELECT count(*) FROM pg_extension WHERE extname = 'citext'`, 'app')).toBe('1')
      await run('postgresql_ext', { name: 'citext', db: 'app', state: 'absent' })
      expect(sql(`SELECT count(*) FROM pg_extension WHERE extname = 'citext'`, 'app')).toBe('0')
      expect((await run('postgresql_ext', { name: 'citext', db: 'app', state: 'absent' })).result.changed).toBe(false)
      await expect(run('postgresql_ext', { name: 'postgis', db: 'app' })).rejects.toThrow('extension postgis is not available in database app')
    })
  })

  describe('postgresql_schema', () => {
    const schema = (name: string) => sql(`SELECT pg_get_userbyid(nspowner) || '|' || coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = '${name}'`, 'app')

    it('creates a schema owned by a role with a comment, then plans nothing; check mode creates nothing', async () => {
      const args = { name: 'Reports', database: 'app', owner: 'owner_role', comment: "the team's reports" }
      const check = await run('postgresql_schema', args, true)
      expect(described(check)).toEqual(['create schema Reports owned by owner_role', "comment on schema Reports: the team's reports"])
      expect(check.result.schema).toBe('Reports')
      expect(schema('Reports')).toBe('')
      const first = await run('postgresql_schema', args)
      expect(first.result).toMatchObject({ changed: true, schema: 'Reports', queries: ['CREATE SCHEMA "Reports" AUTHORIZATION owner_role', `COMMENT ON SCHEMA "Reports" IS 'the team''s reports'`] })
      expect(schema('Reports')).toBe("owner_role|the team's reports")
      expect((await run('postgresql_schema', args)).result.changed).toBe(false)
      // No owner given leaves the owner as it is; an empty comment removes the comment.
      expect(described(await run('postgresql_schema', { schema: 'Reports', login_db: 'app', comment: '' }))).toEqual(['remove the comment on schema Reports'])
      expect(schema('Reports')).toBe('owner_role|')
      expect(described(await run('postgresql_schema', { schema: 'Reports', db: 'app', owner: 'reader' }))).toEqual(['change the owner of schema Reports from owner_role to reader'])
      expect(schema('Reports')).toBe('reader|')
    })

    it('drops a schema only with cascade_drop when it holds tables, and a missing one is no change', async () => {
      sql('CREATE SCHEMA scratch; CREATE TABLE scratch.t (id int)', 'app')
      await expect(run('postgresql_schema', { name: 'scratch', db: 'app', state: 'absent' })).rejects.toThrow(/depend/)
      expect(schema('scratch')).toBe('postgres|')
      const drop = { name: 'scratch', db: 'app', state: 'absent', cascade_drop: true }
      expect(described(await run('postgresql_schema', drop, true))).toEqual(['drop schema scratch with everything in it'])
      expect(schema('scratch')).toBe('postgres|')
      expect((await run('postgresql_schema', drop)).result.queries).toEqual(['DROP SCHEMA scratch CASCADE'])
      expect(schema('scratch')).toBe('')
      expect((await run('postgresql_schema', drop)).result.changed).toBe(false)
    })
  })

  describe('postgresql_privs', () => {
    const can = (role: string, table: string, priv: string) => sql(`SELECT has_table_privilege('${role}', '${table}', '${priv}')`, 'app')

    it('grants on named tables, then plans nothing; check mode grants nothing', async () => {
      const args = { database: 'app', roles: 'reader', privs: 'SELECT', objs: 'orders', schema: 'sales' }
      expect(described(await run('postgresql_privs', args, true))).toEqual(['grant SELECT on table sales.orders to reader'])
      expect(can('reader', 'sales.orders', 'SELECT')).toBe('f')
      expect((await run('postgresql_privs', args)).result.changed).toBe(true)
      expect(can('reader', 'sales.orders', 'SELECT')).toBe('t')
      expect(can('reader', 'sales.items', 'SELECT')).toBe('f')
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
    })

    it('grants ALL on ALL_IN_SCHEMA and revokes part of it', async () => {
      const args = { db: 'app', role: 'writer', priv: 'ALL', obj: 'ALL_IN_SCHEMA', schema: 'sales' }
      expect(described(await run('postgresql_privs', args))).toEqual([
        'grant SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER on table sales.items to writer',
        'grant SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER on table sales.orders to writer',
      ].sort())
      expect(can('writer', 'sales.items', 'TRUNCATE')).toBe('t')
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
      const revoke = { db: 'app', roles: 'writer', privs: 'DELETE,TRUNCATE', objs: 'items,orders', schema: 'sales', state: 'absent' }
      await run('postgresql_privs', revoke)
      expect([can('writer', 'sales.items', 'DELETE'), can('writer', 'sales.orders', 'TRUNCATE'), can('writer', 'sales.orders', 'INSERT')]).toEqual(['f', 'f', 't'])
      expect((await run('postgresql_privs', revoke)).result.changed).toBe(false)
    })

    it('adds and takes away the grant option', async () => {
      const args = { database: 'app', roles: 'reader', privs: 'SELECT', objs: 'orders', schema: 'sales', grant_option: true }
      expect(described(await run('postgresql_privs', args))).toEqual(['grant (with grant option) SELECT on table sales.orders to reader'])
      expect(sql(`SELECT has_table_privilege('reader', 'sales.orders', 'SELECT WITH GRANT OPTION')`, 'app')).toBe('t')
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
      expect(described(await run('postgresql_privs', { ...args, grant_option: false }))).toEqual(['revoke the grant option for SELECT on table sales.orders from reader'])
      expect(sql(`SELECT has_table_privilege('reader', 'sales.orders', 'SELECT WITH GRANT OPTION')`, 'app')).toBe('f')
      expect(can('reader', 'sales.orders', 'SELECT')).toBe('t')
    })

    it('revokes CONNECT from PUBLIC on a database, which only the default ACL held', async () => {
      const args = { database: 'app', type: 'database', roles: 'PUBLIC', privs: 'CONNECT', state: 'absent' }
      expect(described(await run('postgresql_privs', args))).toEqual(['revoke CONNECT on database app from PUBLIC'])
      expect(sql(`SELECT has_database_privilege('reader', 'app', 'CONNECT')`)).toBe('f')
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
    })

    it('grants on sequences, functions and schemas', async () => {
      await run('postgresql_privs', { database: 'app', type: 'sequence', roles: 'reader', privs: 'USAGE', objs: 'ids', schema: 'sales' })
      expect(sql(`SELECT has_sequence_privilege('reader', 'sales.ids', 'USAGE')`, 'app')).toBe('t')
      const fn = { database: 'app', type: 'function', roles: 'reader', privs: 'EXECUTE', objs: 'add(int:int)', schema: 'sales' }
      // EXECUTE is PUBLIC's by default, not reader's own: granting it is a change once.
      expect(described(await run('postgresql_privs', fn))).toEqual(['grant EXECUTE on function sales.add(a integer, b integer) to reader'])
      expect((await run('postgresql_privs', fn)).result.changed).toBe(false)
      await run('postgresql_privs', { database: 'app', type: 'schema', roles: 'reader', privs: 'USAGE', objs: 'sales' })
      expect(sql(`SELECT has_schema_privilege('reader', 'sales', 'USAGE')`, 'app')).toBe('t')
      await expect(run('postgresql_privs', { database: 'app', roles: 'reader', privs: 'SELECT', objs: 'nope', schema: 'sales' })).rejects.toThrow('no table nope in schema sales')
      await expect(run('postgresql_privs', { database: 'app', roles: 'reader', privs: 'EXECUTE', objs: 'orders', schema: 'sales' })).rejects.toThrow('privilege EXECUTE does not apply to table')
    })

    it('sets default privileges for the future tables of a role', async () => {
      const args = { database: 'app', type: 'default_privs', roles: 'reader', privs: 'SELECT', objs: 'TABLES', schema: 'sales', target_roles: 'owner_role' }
      expect(described(await run('postgresql_privs', args))).toEqual(['grant SELECT on future tables of owner_role in schema sales to reader'])
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
      sql('GRANT CREATE ON SCHEMA sales TO owner_role; SET ROLE owner_role; CREATE TABLE sales.later (id int)', 'app')
      expect(can('reader', 'sales.later', 'SELECT')).toBe('t')
    })

    it('grants a group to a role, fails on a missing role unless told not to', async () => {
      const args = { database: 'app', type: 'group', roles: 'reader', objs: 'writer' }
      expect(described(await run('postgresql_privs', args))).toEqual(['grant role writer to reader'])
      expect(sql(`SELECT pg_has_role('reader', 'writer', 'MEMBER')`)).toBe('t')
      expect((await run('postgresql_privs', args)).result.changed).toBe(false)
      await expect(run('postgresql_privs', { ...args, roles: 'ghost' })).rejects.toThrow('role ghost does not exist')
      const skip = await run('postgresql_privs', { ...args, roles: 'ghost', fail_on_role: false })
      expect([skip.result.changed, skip.result.msg]).toEqual([false, 'skipped role that does not exist: ghost'])
    })
  })

  describe('postgresql_set', () => {
    it('sets work_mem in postgresql.auto.conf and reloads; the same value in other units is no change', async () => {
      const args = { name: 'work_mem', value: '32MB' }
      expect(described(await run('postgresql_set', args, true))).toEqual(['set work_mem to 32MB (was 4MB)'])
      expect(autoConf()).not.toContain('work_mem')
      const first = await run('postgresql_set', args)
      expect([first.result.changed, first.result.restart_required]).toEqual([true, false])
      expect(autoConf()).toContain("work_mem = '32MB'")
      expect(sql(`SELECT setting FROM pg_settings WHERE name = 'work_mem'`)).toBe('32768')
      expect((await run('postgresql_set', args)).result.changed).toBe(false)
      expect((await run('postgresql_set', { name: 'work_mem', value: '32768kB' })).result.changed).toBe(false)
    })

    it('sets a restart-only parameter once, saying a restart is what applies it', async () => {
      const args = { name: 'max_wal_senders', value: 7 }
      const first = await run('postgresql_set', args)
      expect([first.result.changed, first.result.restart_required]).toEqual([true, true])
      expect(autoConf()).toContain("max_wal_senders = '7'")
      // Still 10 until a restart, but postgresql.auto.conf already has 7: nothing to do.
      const again = await run('postgresql_set', args)
      expect([again.result.changed, again.result.restart_required]).toEqual([false, true])
    })

    it('writes a list parameter as a list and resets it', async () => {
      await run('postgresql_set', { name: 'log_destination', value: 'stderr, csvlog' })
      expect(autoConf()).toContain("log_destination = 'stderr, csvlog'")
      expect((await run('postgresql_set', { name: 'log_destination', value: 'stderr,csvlog' })).result.changed).toBe(false)
      expect(described(await run('postgresql_set', { name: 'log_destination', reset: true }))).toEqual(['remove log_destination from postgresql.auto.conf (was stderr, csvlog)'])
      expect(autoConf()).not.toContain('log_destination')
      expect((await run('postgresql_set', { name: 'log_destination', value: 'default' })).result.changed).toBe(false)
      await expect(run('postgresql_set', { name: 'no_such_thing', value: '1' })).rejects.toThrow('PostgreSQL has no parameter no_such_thing')
    })
  })

  describe('postgresql_slot', () => {
    const slots = () => sql(`SELECT slot_name || ':' || slot_type || ':' || coalesce(plugin, '-') || ':' || coalesce(restart_lsn::text <> '', false) FROM pg_replication_slots ORDER BY 1`)

    it('creates a physical slot reserving WAL, then plans nothing, then drops it', async () => {
      const args = { name: 'standby1', immediately_reserve: true }
      expect(described(await run('postgresql_slot', args, true))).toEqual(['create physical replication slot standby1 reserving WAL now'])
      expect(slots()).toBe('')
      await run('postgresql_slot', args)
      expect(slots()).toBe('standby1:physical:-:true')
      expect((await run('postgresql_slot', args)).result.changed).toBe(false)
      await run('postgresql_slot', { slot_name: 'standby1', state: 'absent' })
      expect(slots()).toBe('')
      expect((await run('postgresql_slot', { name: 'standby1', state: 'absent' })).result.changed).toBe(false)
    })

    it('creates a logical slot in its database and refuses to turn it into a physical one', async () => {
      const args = { name: 'cdc', slot_type: 'logical', output_plugin: 'pgoutput', db: 'app' }
      await run('postgresql_slot', args)
      expect(sql(`SELECT slot_type, plugin, database FROM pg_replication_slots WHERE slot_name = 'cdc'`)).toBe('logical|pgoutput|app')
      expect((await run('postgresql_slot', args)).result.changed).toBe(false)
      await expect(run('postgresql_slot', { name: 'cdc' })).rejects.toThrow('replication slot cdc is a logical slot')
      await run('postgresql_slot', { ...args, state: 'absent' })
    })
  })

  describe('postgresql_info', () => {
    it('reports databases with their extensions, roles, slots and the version, changing nothing, in check mode too', async () => {
      await run('postgresql_slot', { name: 'info_slot' })
      for (const check of [true, false]) {
        const r = await run('postgresql_info', { filter: 'databases,roles,repl_slots,version,in_recovery' }, check)
        expect(r.result.changed).toBe(false)
        const dbs = r.result.databases as Record<string, { owner: string; extensions: Record<string, { extversion: string }> }>
        expect(dbs.app.owner).toBe('postgres')
        expect(dbs.app.extensions.hstore.extversion).toBe('1.8')
        expect((r.result.roles as Record<string, { member_of: string[] }>).reader.member_of).toEqual(['writer'])
        expect(r.result.repl_slots).toEqual({ info_slot: { plugin: null, slot_type: 'physical', database: null, active: false } })
        expect((r.result.version as { major: number }).major).toBe(15)
        expect(r.result.in_recovery).toBe(false)
        expect(r.result.settings).toBeUndefined()
      }
      const some = await run('postgresql_info', { filter: ['!databases', '!settings'] })
      expect(Object.keys(some.result).filter((k) => k !== 'changed').sort()).toEqual(['in_recovery', 'repl_slots', 'replications', 'roles', 'tablespaces', 'version'])
    })
  })

  describe("postgresql_user's priv and encrypted", () => {
    it('grants database and table privileges with the role it creates, then plans nothing; absent revokes before dropping', async () => {
      const args = { name: 'report', db: 'app', priv: 'CONNECT/sales.orders:SELECT,INSERT', encrypted: true }
      expect(described(await run('postgresql_user', args, true))).toEqual([
        'create role report (LOGIN)',
        'grant CONNECT on database app to report',
        'grant SELECT, INSERT on table sales.orders to report',
      ])
      expect(sql(`SELECT count(*) FROM pg_roles WHERE rolname = 'report'`)).toBe('0')
      await run('postgresql_user', args)
      expect(sql(`SELECT has_database_privilege('report', 'app', 'CONNECT'), has_table_privilege('report', 'sales.orders', 'INSERT')`, 'app')).toBe('t|t')
      expect((await run('postgresql_user', args)).result.changed).toBe(false)
      expect(described(await run('postgresql_user', { ...args, state: 'absent' }))).toEqual([
        'revoke CONNECT on database app from report',
        'revoke SELECT, INSERT on table sales.orders from report',
        'drop role report',
      ])
      expect(sql(`SELECT count(*) FROM pg_roles WHERE rolname = 'report'`)).toBe('0')
    })

    it('refuses encrypted: false, which PostgreSQL cannot do', async () => {
      await expect(run('postgresql_user', { name: 'x', encrypted: false })).rejects.toThrow('PostgreSQL 10 and later store every password hashed')
    })
  })
})
