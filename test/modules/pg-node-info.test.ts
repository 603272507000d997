// pg_node_info's upstream check (the article's step 7): psql as repmgr connects to the primary from this
// node; the task gives what the primary says of itself, or fails with psql's reason. It is a declared read:
// what read-ahead fetched for it serves its plan without a command, and the clone after it (which reads
// the same upstream) too, while nothing was applied since.
import { describe, expect, it } from 'vitest'
import { FactCache } from '../../src/facts/index.js'
import { getModule } from '../../src/modules/index.js'
import { FakeTransport } from '../../src/transport/fake.js'
import { runModule } from './harness.js'

const upstream = { host: 'node1', port: 5432, user: 'repmgr', db: 'repmgr', bindir: '/usr/lib/postgresql/15/bin' }
const ANSWER = 'sysid=7712584336385451183\nrecovery=false\ntli=3\nmajor=15\nrc=0\n'

describe('pg_node_info upstream', () => {
  it("gives what the primary says of itself, connecting with repmgr's conninfo from this node", async () => {
    const host = new FakeTransport('node2').respond(/psql/, { stdout: ANSWER })
    const { plan, result } = await runModule('pg_node_info', { upstream }, host)
    expect(plan.changes).toEqual([])
    expect(result.upstream).toEqual({ system_identifier: '7712584336385451183', timeline: 3, in_recovery: false, major: 15 })
    expect(host.calls.map((c) => c.command)).toEqual([
      "/usr/lib/postgresql/15/bin/psql 'host=node1 port=5432 user=repmgr dbname=repmgr connect_timeout=2' -XAtqw -c 'SELECT '\\''sysid='\\'' || system_identifier FROM pg_control_system() UNION ALL SELECT '\\''recovery='\\'' || pg_is_in_recovery() UNION ALL SELECT '\\''tli='\\'' || CASE WHEN pg_is_in_recovery() THEN (SELECT timeline_id FROM pg_control_checkpoint()) ELSE ('\\''x'\\'' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END UNION ALL SELECT '\\''major='\\'' || current_setting('\\''server_version_num'\\'')::int / 10000' 2>&1; echo \"rc=$?\"",
    ])
  })

  it("fails with psql's reason when the primary does not accept the connection", async () => {
    const host = new FakeTransport('node2').respond(/psql/, { stdout: 'psql: error: connection to server at "node1" (10.77.0.11), port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.77.0.12", user "repmgr", database "repmgr"\nrc=2\n' })
    await expect(runModule('pg_node_info', { upstream }, host)).rejects.toThrow(
      'node1:5432 does not accept repmgr\'s connection to repmgr from this node: connection to server at "node1" (10.77.0.11), port 5432 failed: FATAL:  no pg_hba.conf entry for host "10.77.0.12", user "repmgr", database "repmgr"',
    )
  })

  it('is read ahead: the value fetched with the tasks before it serves its plan, with no command', async () => {
    const host = new FakeTransport('node2').respond(/psql/, { stdout: ANSWER })
    const mod = getModule('pg_node_info')!
    const facts = new FactCache('node2')
    await facts.readAhead(mod.reads!(mod.params.parse({ upstream }), undefined)!, (c) => host.exec(c), '')
    const before = host.calls.length
    const { result } = await runModule('pg_node_info', { upstream }, host, { facts })
    expect(result.upstream).toMatchObject({ timeline: 3 })
    expect(host.calls.length).toBe(before)
  })

  it('refuses a task that asks for nothing, and an upstream without psql\'s directory', () => {
    const mod = getModule('pg_node_info')!
    expect(() => mod.params.parse({})).toThrow(/give service, bindir, upstream, or several/)
    expect(() => mod.params.parse({ upstream: { host: 'node1' } })).toThrow(/bindir/)
  })
})
