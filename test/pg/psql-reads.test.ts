// Many catalog reads in one psql session (the pg_query fact's batch), against a real PostgreSQL 15 on this
// machine: each read answers where it asked, NULL and '' stay apart, a read that fails is no answer (never
// an empty one) and leaves the reads after it their answers, and a read that would write is refused.
import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePsqlReads, psqlCommand, psqlReadsScript, type PsqlRead } from '../../src/pg/index.js'
import { pgQueryFact } from '../../src/facts/index.js'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from './temp-cluster.js'

describe.skipIf(!havePostgres)('psql reads in one session', () => {
  let pg: TempCluster
  beforeAll(() => {
    pg = startCluster({ hba: 'local all all peer\n' })
  })
  afterAll(() => pg?.stop())

  const read = (reads: PsqlRead[]) => {
    const token = 'pghaf00d'
    const command = psqlCommand({ user: 'postgres', database: 'postgres', port: pg.port, socketDir: pg.socketDir, bindir: PG_BINDIR })
    const out = execFileSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', command], { input: psqlReadsScript(reads, token), encoding: 'utf8', cwd: '/tmp', stdio: ['pipe', 'pipe', 'ignore'] })
    return parsePsqlReads(out, token, reads.length)
  }

  it('answers each read where it asked, a failed one with nothing', () => {
    const answers = read([
      { sql: "SELECT 1 AS one, NULL AS nothing, '' AS empty", values: [] },
      { sql: 'SELECT rolname FROM pg_roles WHERE rolname = $1', values: ['postgres'] },
      { sql: 'SELECT * FROM no_such_table', values: [] },
      { sql: 'SELECT rolname FROM pg_roles WHERE rolname = $1', values: ['nobody'] },
      { sql: 'CREATE TABLE t (a int)', values: [] },
      { sql: 'SELECT count(*) AS n FROM pg_tables WHERE tablename = $1', values: ['t'] },
    ])
    expect(answers[0]).toEqual({ fields: ['one', 'nothing', 'empty'], rows: [{ one: '1', nothing: null, empty: '' }], rowCount: 1 })
    expect(answers[1]?.rows).toEqual([{ rolname: 'postgres' }])
    expect(answers[2]).toBeUndefined()
    expect(answers[3]).toEqual({ fields: ['rolname'], rows: [], rowCount: 0 })
    // READ ONLY: the write is refused, and nothing was created.
    expect(answers[4]).toBeUndefined()
    expect(answers[5]?.rows).toEqual([{ n: '0' }])
  })

  it("never lets a read's open quote turn another read's value into SQL: that read fails, the others answer", () => {
    const answers = read([
      { sql: "SELECT 'x", values: [] },
      { sql: 'SELECT $1::text AS v', values: ['; COMMIT; CREATE TABLE escaped_batch (a int); --'] },
      { sql: 'SELECT count(*) AS n FROM pg_tables WHERE tablename = $1', values: ['escaped_batch'] },
    ])
    expect(answers[0]).toBeUndefined()
    expect(answers[1]?.rows).toEqual([{ v: '; COMMIT; CREATE TABLE escaped_batch (a int); --' }])
    expect(answers[2]?.rows).toEqual([{ n: '0' }])
  })

  it('reads as session_role when one is given, and gives no answer when it cannot be set', () => {
    const psql = (c: string) => execFileSync('runuser', ['-u', 'postgres', '--', 'sh', '-c', c], { encoding: 'utf8', cwd: '/tmp' })
    psql(`${PG_BINDIR}/psql -h ${pg.socketDir} -p ${pg.port} -XAtqc 'CREATE ROLE "app reader" NOLOGIN'`)
    const conn = { user: 'postgres', database: 'postgres', port: pg.port, socketDir: pg.socketDir, bindir: PG_BINDIR }
    const whoami = (role: string) => {
      const args = { conn: { ...conn, role }, sql: 'SELECT current_user AS c WHERE $1::text IS NOT NULL', values: ['x'] }
      return pgQueryFact.parse(psql(pgQueryFact.command(args)), args, 0)
    }
    expect(whoami('app reader')).toEqual({ ok: true, result: { fields: ['c'], rows: [{ c: 'app reader' }], rowCount: 1 } })
    expect(whoami('no such role')).toEqual({ ok: false })
  })
})
