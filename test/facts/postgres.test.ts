// The postgres and repmgr facts' shell commands run here through LocalTransport over stand-in programs
// (pg_controldata printing captured PostgreSQL 13 and 15 output, pg_ctl and psql answering as a server
// would), and their parsers on captured psql answers.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pgDataDirFact, pgUpstreamFact, repmgrNodesFact, repmgrVersionFact } from '../../src/facts/index.js'
import { localFact } from '../modules/local-host.js'

const captured = (name: string) => readFileSync(resolve(__dirname, '../fixtures/pg', name), 'utf8')
const work = mkdtempSync(join(tmpdir(), 'pgha-pgfact-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A bindir whose programs print what a server in the given state prints. */
function bindir(name: string, o: { controldata: string; pgCtlRc: number; psql?: string }): string {
  const b = join(work, name)
  mkdirSync(b)
  const tool = (prog: string, body: string) => {
    writeFileSync(join(b, prog), `#!/bin/sh\n${body}\n`)
    chmodSync(join(b, prog), 0o755)
  }
  writeFileSync(join(b, 'controldata.txt'), o.controldata)
  tool('pg_controldata', `cat '${b}/controldata.txt'`)
  tool('pg_ctl', `exit ${o.pgCtlRc}`)
  tool('psql', `printf '%s\\n' '${o.psql ?? ''}'`)
  return b
}

function dataDir(name: string, files: Record<string, string>): string {
  const d = join(work, name)
  mkdirSync(d)
  for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text)
  return d
}

describe('pg_data_dir fact', () => {
  it('reads a stopped PostgreSQL 15 standby', async () => {
    const d = dataDir('s15', { PG_VERSION: '15\n', 'standby.signal': '' })
    const b = bindir('b1', { controldata: captured('pg_controldata-15-standby-stopped.txt'), pgCtlRc: 3 })
    expect(await localFact(pgDataDirFact, { data_directory: d, bindir: b })).toEqual({
      dir: 'present', entries: 2, pgVersion: '15', standbySignal: true, systemId: '7712586209214012426',
      clusterState: 'shut down in recovery', timeline: 1, checkpointLsn: '0/2000060', server: 'stopped',
    })
  })

  it('reads a PostgreSQL 13 node promoted to timeline 2', async () => {
    const d = dataDir('p13', { PG_VERSION: '13\n' })
    const b = bindir('b2', { controldata: captured('pg_controldata-13-standby-promoted.txt'), pgCtlRc: 3 })
    expect(await localFact(pgDataDirFact, { data_directory: d, bindir: b })).toMatchObject({ pgVersion: '13', systemId: '6991633141219620964', clusterState: 'shut down', timeline: 2, standbySignal: false })
  })

  it('asks a running server what it is', async () => {
    const d = dataDir('r15', { PG_VERSION: '15\n', '.hidden': '', 'postmaster.pid': `${process.pid}\n/x\n1\n5433\n/var/run/pg,/tmp\n*\n 1 2\nready   \n` })
    // The stand-in answers only when asked on the socket and port the pid file names.
    const b = bindir('b3', { controldata: captured('pg_controldata-15-primary-running.txt'), pgCtlRc: 0, psql: 'recovery=false' })
    writeFileSync(join(b, 'psql'), `#!/bin/sh\n[ "$3" = /var/run/pg ] && [ "$5" = 5433 ] || { echo "asked $*"; exit 2; }\necho recovery=false\n`)
    expect(await localFact(pgDataDirFact, { data_directory: d, bindir: b })).toMatchObject({ server: 'running', inRecovery: false, clusterState: 'in production', timeline: 1, entries: 3 })
    const b2 = bindir('b4', { controldata: captured('pg_controldata-13-primary.txt'), pgCtlRc: 0, psql: 'psql: error: FATAL:  role "root" does not exist' })
    expect(await localFact(pgDataDirFact, { data_directory: d, bindir: b2 })).toMatchObject({ server: 'running', queryError: 'psql: error: FATAL:  role "root" does not exist' })
  })

  it('tells missing, empty and not-a-directory apart', async () => {
    const b = bindir('b5', { controldata: '', pgCtlRc: 4 })
    expect(await localFact(pgDataDirFact, { data_directory: join(work, 'nope'), bindir: b })).toMatchObject({ dir: 'missing' })
    expect(await localFact(pgDataDirFact, { data_directory: dataDir('empty', {}), bindir: b })).toMatchObject({ dir: 'present', entries: 0, server: 'stopped' })
    writeFileSync(join(work, 'afile'), '')
    expect(await localFact(pgDataDirFact, { data_directory: join(work, 'afile'), bindir: b })).toMatchObject({ dir: 'notdir' })
  })
})

describe('pg_upstream fact', () => {
  const args = { host: 'node1', port: 5432, user: 'repmgr', db: 'repmgr', bindir: '/usr/local/pgsql/bin' }
  it('parses a primary', () => {
    expect(pgUpstreamFact.parse('sysid=6991633141219620964\nrecovery=false\ntli=3\nmajor=13\nrc=0\n', args, 0)).toEqual({ reachable: true, systemId: '6991633141219620964', inRecovery: false, timeline: 3, major: 13 })
  })
  it('keeps psql’s reason when the upstream cannot be reached', () => {
    const out = 'psql: error: connection to server at "node1" (192.168.100.151), port 5432 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\nrc=2\n'
    expect(pgUpstreamFact.parse(out, args, 0)).toMatchObject({ reachable: false, error: expect.stringMatching(/^connection to server at "node1".*Connection refused/) })
  })
})

describe('repmgr_nodes fact', () => {
  const args = { config: '/usr/local/pgsql/repmgr.conf', bindir: '/usr/local/pgsql/bin' }
  it('parses registered nodes', () => {
    const out = "node_id=2\nnode_name=node2\nrc=0\n1|primary|t|node1\n2|standby|f|node2\n"
    expect(repmgrNodesFact.parse(out, args, 0)).toEqual({
      nodeId: 2, nodeName: 'node2', readable: true,
      nodes: [{ id: 1, type: 'primary', active: true, name: 'node1' }, { id: 2, type: 'standby', active: false, name: 'node2' }],
    })
  })
  it('reads no repmgr schema as nothing registered, and a refused connection as unreadable', () => {
    expect(repmgrNodesFact.parse('node_id=1\nnode_name=node1\nrc=1\nERROR:  relation "repmgr.nodes" does not exist\nLINE 1: SELECT node_id, type, active, node_name FROM repmgr.nodes ORD...\n', args, 0)).toEqual({ nodeId: 1, nodeName: 'node1', readable: true, nodes: [] })
    expect(repmgrNodesFact.parse('node_id=1\nnode_name=node1\nrc=2\npsql: error: connection to server at "node1" (10.77.0.11), port 5432 failed: Connection refused\n', args, 0)).toMatchObject({ readable: false, error: expect.stringMatching(/Connection refused/) })
  })
  it('reads node_id, node_name and conninfo from a real repmgr.conf', async () => {
    const b = bindir('b6', { controldata: '', pgCtlRc: 0 })
    // The stand-in answers only when given the conninfo from the file, unquoted, as the value of -d.
    writeFileSync(join(b, 'psql'), `#!/bin/sh\n[ "$1" = -d ] && [ "$2" = 'host=node1 port=5432 user=repmgr dbname=repmgr connect_timeout=2' ] || { echo "bad conninfo $1" >&2; exit 2; }\necho '1|primary|t|node1'\n`)
    const conf = join(work, 'repmgr.conf')
    // Settings as repmgr.conf may write them: spaces around =, quotes, a CRLF line, a later repeat ignored.
    writeFileSync(conf, "# node_id=9\n  node_id = 1 \r\nnode_name='node1'\nconninfo='host=node1 port=5432 user=repmgr dbname=repmgr connect_timeout=2'  \nnode_name='other'\n")
    const info = await localFact(repmgrNodesFact, { config: conf, bindir: b })
    expect(info).toEqual({ nodeId: 1, nodeName: 'node1', readable: true, nodes: [{ id: 1, type: 'primary', active: true, name: 'node1' }] })
    expect(await localFact(repmgrNodesFact, { config: join(work, 'missing.conf'), bindir: b })).toMatchObject({ readable: false, error: expect.stringContaining('cannot read') })
  })
})

describe('repmgr_version fact', () => {
  it('reads the version repmgr says, and none where no repmgr runs', async () => {
    const b = bindir('b-version', { controldata: '', pgCtlRc: 0 })
    writeFileSync(join(b, 'repmgr'), "#!/bin/sh\n[ \"$1\" = --version ] && echo 'repmgr 5.3.3'\n")
    chmodSync(join(b, 'repmgr'), 0o755)
    expect(await localFact(repmgrVersionFact, { bindir: b })).toEqual({ version: '5.3.3', stdout: 'repmgr 5.3.3', rc: 0 })
    expect(await localFact(repmgrVersionFact, { bindir: join(work, 'nothing-here') })).toMatchObject({ version: '', rc: 127 })
  })
})
