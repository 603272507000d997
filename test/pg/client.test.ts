// The pg client and the psql route against a real PostgreSQL 15 on this machine (temp cluster, unix
// socket only), through LocalTransport and through SshTransport's stream on a private sshd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalTransport, SshTransport } from '../../src/transport/index.js'
import { clientQuery, psqlSession, withPg, withPgSession } from '../../src/pg/index.js'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'
import { haveSshd, startSshd, type TestSshd } from '../transport/sshd.js'

describe.skipIf(!havePostgres)('pg client on a real PostgreSQL', () => {
  let pg: TempCluster
  const local = new LocalTransport({ host: 'localhost' })
  const opts = () => ({ user: 'postgres', database: 'postgres', port: pg.port, socketDir: pg.socketDir })
  beforeAll(() => {
    pg = startCluster()
  })
  afterAll(() => pg?.stop())

  it('queries over a stream to the unix socket, values as text, NULL as null', async () => {
    const r = await withPg(local, opts(), (c) => clientQuery(c, `SELECT 1 AS a, NULL::text AS b, '' AS c, true AS d, $1::text AS e`, ['x,"y']))
    expect(r).toEqual({ fields: ['a', 'b', 'c', 'd', 'e'], rows: [{ a: '1', b: null, c: '', d: 't', e: 'x,"y' }], rowCount: 1 })
  })

  it('closes the connection after the callback, also when it throws', async () => {
    const count = `SELECT count(*) AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`
    await expect(withPg(local, opts(), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    const n = await withPg(local, opts(), (c) => clientQuery(c, count))
    expect(n.rows[0].n).toBe('1')
  })

  it('fails at the first attempt, naming the socket and why, when no server listens there (no wait for the connect timeout)', async () => {
    const host = new LocalTransport({ host: 'localhost' })
    await expect(withPg(host, { ...opts(), port: 1, connectTimeoutMs: 600_000 }, async () => 1)).rejects.toThrow(
      `cannot open a stream to ${pg.socketDir}/.s.PGSQL.1 on localhost: connect ENOENT`,
    )
    expect(host.roundTrips).toBe(1)
  })

  it('psql returns the same result shape as the stream, for rows, DML counts and DDL', async () => {
    const s = psqlSession(local, { ...opts(), bindir: PG_BINDIR })
    expect(await s.query(`SELECT 1 AS a, NULL::text AS b, '' AS c, true AS d, $1::text AS e`, ['x,"y\nz'])).toEqual({
      fields: ['a', 'b', 'c', 'd', 'e'],
      rows: [{ a: '1', b: null, c: '', d: 't', e: 'x,"y\nz' }],
      rowCount: 1,
    })
    expect(await s.query('CREATE TABLE t_psql (a int)')).toEqual({ fields: [], rows: [], rowCount: 0 })
    expect((await s.query('INSERT INTO t_psql VALUES (1), (2)')).rowCount).toBe(2)
    expect(await s.query('SELECT a FROM t_psql WHERE false')).toEqual({ fields: ['a'], rows: [], rowCount: 0 })
    await expect(s.query('SELECT * FROM missing_table')).rejects.toThrow(/relation "missing_table" does not exist/)
  })

  it('refuses on the psql route a text that ends inside a quote, whose bound values psql would read as SQL', async () => {
    const s = psqlSession(local, { ...opts(), bindir: PG_BINDIR })
    // psql would continue the open quote into the EXECUTE line, so the value would close it and its COMMIT
    // would end the READ ONLY transaction before the CREATE TABLE.
    await expect(s.query("SELECT $1, 'x", [', 1; COMMIT; CREATE TABLE escaped_read (a int); --'], { readOnly: true })).rejects.toThrow(/ends inside a quoted string/)
    expect((await s.query(`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'escaped_read'`)).rows).toEqual([{ n: '0' }])
  })

  it('runs every query as the session role on both routes (session_role: SET ROLE once connected)', async () => {
    const admin = psqlSession(local, { ...opts(), bindir: PG_BINDIR })
    await admin.query('CREATE ROLE "app owner" NOLOGIN')
    const whoami = 'SELECT current_user AS c, session_user AS s'
    const asRole = { ...opts(), bindir: PG_BINDIR, role: 'app owner' }
    expect((await withPgSession(local, asRole, (s) => s.query(whoami))).rows).toEqual([{ c: 'app owner', s: 'postgres' }])
    const psql = psqlSession(local, asRole)
    expect((await psql.query(whoami, [], { readOnly: true })).rows).toEqual([{ c: 'app owner', s: 'postgres' }])
    expect((await psql.query(`${whoami} WHERE $1::text = 'x'`, ['x'])).rows).toEqual([{ c: 'app owner', s: 'postgres' }])
    await expect(withPgSession(local, { ...opts(), role: 'no such role' }, (s) => s.query(whoami))).rejects.toThrow(/role "no such role" does not exist/)
  })

  it('falls back to psql as the become user when pg_hba refuses the stream', async () => {
    const strict = startCluster({ hba: 'local all postgres peer\n' })
    try {
      const o = { user: 'postgres', database: 'postgres', port: strict.port, socketDir: strict.socketDir, bindir: PG_BINDIR }
      // This process runs as root: peer authentication refuses root logging in as postgres.
      await expect(withPg(local, o, async () => 1)).rejects.toThrow(/Peer authentication failed/)
      const asPostgres = { host: 'localhost', openStream: local.openStream.bind(local), exec: (c: string, e?: object) => local.exec(c, { ...e, become: true, user: 'postgres' }) }
      const got = await withPgSession(asPostgres, o, async (s) => ({ route: s.route, rows: (await s.query('SELECT current_user AS u')).rows }))
      expect(got).toEqual({ route: 'psql', rows: [{ u: 'postgres' }] })
    } finally {
      strict.stop()
    }
  })

  describe.skipIf(!haveSshd)('over SSH', () => {
    let sshd: TestSshd
    let ssh: SshTransport
    beforeAll(async () => {
      sshd = await startSshd()
      ssh = new SshTransport(sshd.spec())
    })
    afterAll(async () => {
      await ssh?.close()
      sshd?.stop()
    })

    it('reaches the unix socket through a direct-streamlocal channel, no port on the controller', async () => {
      const got = await withPgSession(ssh, opts(), async (s) => ({ route: s.route, r: await s.query(`SELECT current_setting('port') AS port`) }))
      expect(got).toEqual({ route: 'stream', r: { fields: ['port'], rows: [{ port: String(pg.port) }], rowCount: 1 } })
    })

    it('says which socket it could not open', async () => {
      await expect(withPg(ssh, { ...opts(), socketDir: '/nonexistent' }, async () => 1)).rejects.toThrow('/nonexistent/.s.PGSQL.')
    })
  })
})
