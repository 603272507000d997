// Reading one node on a real PostgreSQL 15 (temp cluster, unix socket only) through LocalTransport: the
// probe's SQL runs on both routes, repmgr's table is read when it exists (its conninfo never whole), and a
// server that does not answer or a host that cannot be reached are observations, not exceptions.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UnreachableError } from '../../src/errors.js'
import { LocalTransport, type ConnectionSpec, type Transport } from '../../src/transport/index.js'
import { probeNode, type StatusTarget } from '../../src/status/index.js'
import { havePostgres, PG_BINDIR, startCluster, type TempCluster } from '../pg/temp-cluster.js'

const spec: ConnectionSpec = { host: 'localhost', connection: 'local', address: 'localhost', port: 22, user: 'root', connectTimeoutMs: 5000 }
const open = (): Transport => new LocalTransport(spec)

function target(pg: TempCluster, database = 'repmgr'): StatusTarget {
  return {
    host: 'node1', spec, addresses: ['node1'], witness: false, nodeId: 1, repmgrdExpected: true,
    pg: { user: 'postgres', database, port: pg.port, socketDir: pg.socketDir, bindir: PG_BINDIR, connectTimeoutMs: 3000 },
    become: { become: true, user: 'postgres' },
  }
}

const REPMGR_SCHEMA = `CREATE SCHEMA repmgr;
CREATE TABLE repmgr.nodes (node_id int PRIMARY KEY, upstream_node_id int, active bool, node_name text, type text, location text, conninfo text);
INSERT INTO repmgr.nodes VALUES
  (1, NULL, true, 'node1', 'primary', 'dc1', 'host=node1 port=5432 user=repmgr password=s3cr3t-pw dbname=repmgr'),
  (2, 1, false, 'node2', 'standby', 'dc1', 'host=10.0.0.2 port=5432 user=repmgr dbname=repmgr');
CREATE FUNCTION repmgr.repmgrd_is_running() RETURNS boolean LANGUAGE sql AS 'SELECT true';`

describe.skipIf(!havePostgres)('probeNode on a real PostgreSQL', () => {
  let pg: TempCluster
  beforeAll(() => {
    pg = startCluster()
  })
  afterAll(() => pg?.stop())

  // A fresh server with archiving off: pg_stat_archiver has counted nothing.
  const NOTHING_ARCHIVED = { archivedCount: 0, failedCount: 0, lastArchivedWal: null, lastArchivedAt: null, lastFailedWal: null, lastFailedAt: null }

  it('a primary without repmgr: timeline 1 from its WAL file, no walsenders, no repmgr table, repmgrd from pgrep', async () => {
    const o = await probeNode(target(pg), open)
    expect(o.ssh).toBe(true)
    expect(o.error).toBeUndefined()
    expect(o.pg).toEqual({ inRecovery: false, timeline: 1, receiver: null, replication: [], repmgrNodes: null, route: 'stream', archiver: NOTHING_ARCHIVED })
    // No repmgrd on this machine: pgrep answers rc 1.
    expect(o.repmgrd).toBe(false)
  })

  it("reads repmgr's records and repmgrd_is_running(), keeping only the host of each conninfo", async () => {
    pg.run('psql', ['-h', pg.socketDir, '-p', String(pg.port), '-XAtq', '-c', 'CREATE DATABASE repmgr'])
    pg.run('psql', ['-h', pg.socketDir, '-p', String(pg.port), '-XAtq', '-d', 'repmgr', '-c', REPMGR_SCHEMA])
    const o = await probeNode(target(pg), open)
    expect(o.pg?.repmgrNodes).toEqual([
      { nodeId: 1, nodeName: 'node1', type: 'primary', upstreamNodeId: null, active: true, location: 'dc1', conninfoHost: 'node1' },
      { nodeId: 2, nodeName: 'node2', type: 'standby', upstreamNodeId: 1, active: false, location: 'dc1', conninfoHost: '10.0.0.2' },
    ])
    expect(o.repmgrd).toBe(true)
    expect(JSON.stringify(o)).not.toContain('s3cr3t-pw')
  })

  it('falls back to psql as postgres when pg_hba refuses the login user, with the same observation', async () => {
    const strict = startCluster({ hba: 'local all postgres peer\n' })
    try {
      const o = await probeNode(target(strict), open)
      expect(o.pg).toEqual({ inRecovery: false, timeline: 1, receiver: null, replication: [], repmgrNodes: null, route: 'psql', archiver: NOTHING_ARCHIVED })
    } finally {
      strict.stop()
    }
  })

  it("a failing archive_command shows in the archiver's counts: the segment, the time, no success", async () => {
    const archiving = startCluster({ conf: "archive_mode = on\narchive_command = 'false'\n" })
    try {
      archiving.run('psql', ['-h', archiving.socketDir, '-p', String(archiving.port), '-XAtq', '-c', 'SELECT pg_switch_wal()', '-c', 'CREATE TABLE t()', '-c', 'SELECT pg_switch_wal()'])
      let o = await probeNode(target(archiving, 'postgres'), open)
      for (let i = 0; i < 20 && !o.pg?.archiver?.failedCount; i++) {
        await new Promise((r) => setTimeout(r, 500))
        o = await probeNode(target(archiving, 'postgres'), open)
      }
      expect(o.pg?.archiver).toMatchObject({ archivedCount: 0, lastArchivedAt: null, lastFailedWal: expect.stringMatching(/^0{7}1/) })
      expect(o.pg?.archiver?.failedCount).toBeGreaterThan(0)
      expect(o.pg?.archiver?.lastFailedAt).toBeGreaterThan(Date.now() / 1000 - 600)
    } finally {
      archiving.stop()
    }
  })

  it('on a primary, reads the repository with pgbackrest info as postgres when backups are expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-pgbackrest-'))
    const bin = join(dir, 'pgbackrest')
    writeFileSync(bin, `#!/bin/sh\n[ "$(id -un)" = postgres ] || { echo "not postgres" >&2; exit 3; }\necho '${readFileSync(resolve(__dirname, 'fixtures/pgbackrest/info-full-and-diff.json'), 'utf8').trim()}'\n`, { mode: 0o755 })
    chmodSync(dir, 0o755)
    try {
      const o = await probeNode({ ...target(pg), pgbackrest: { bin, expected: { stanza: 'pgha', maxAgeHours: 26 } } }, open)
      expect(o.backupExpected).toEqual({ stanza: 'pgha', maxAgeHours: 26 })
      expect(o.backup).toEqual({ info: { stanza: 'pgha', statusCode: 0, statusMessage: 'ok', last: { label: '20261206-104153F_20261206-104441D', type: 'diff', stoppedAt: 1796553885 } } })
      const broken = await probeNode({ ...target(pg), pgbackrest: { bin: join(dir, 'missing'), expected: { stanza: 'pgha', maxAgeHours: 26 } } }, open)
      expect(broken.backup).toMatchObject({ error: expect.stringMatching(/^rc 127/) })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a server that does not answer is a reachable node without pg, with the reason', async () => {
    const o = await probeNode({ ...target(pg), pg: { ...target(pg).pg, port: 1 } }, open)
    expect(o.ssh).toBe(true)
    expect(o.pg).toBeUndefined()
    expect(o.error).toMatch(/\.s\.PGSQL\.1/)
  })
})

describe('probeNode without a connection', () => {
  it('a host that refuses SSH is an observation with ssh false and the reason, and its transport is closed', async () => {
    let closed = false
    const refusing = new LocalTransport(spec)
    refusing.connect = () => Promise.reject(new UnreachableError('node3', 'connect ECONNREFUSED 10.0.0.3:22'))
    refusing.close = async () => void (closed = true)
    const t: StatusTarget = {
      host: 'node3', spec, addresses: ['node3'], witness: false, repmgrdExpected: true,
      pg: { user: 'postgres', database: 'repmgr', port: 5432 }, become: { become: true, user: 'postgres' },
    }
    const o = await probeNode(t, () => refusing)
    expect(o).toMatchObject({ host: 'node3', ssh: false, error: 'connect ECONNREFUSED 10.0.0.3:22' })
    expect(o.pg).toBeUndefined()
    expect(closed).toBe(true)
  })
})
