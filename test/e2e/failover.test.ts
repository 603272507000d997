// Automatic failover: repmgrd runs on every node from the article's unit, and failover.yml's drill stops the
// primary's pgserver, repmgrd on the standby promotes it, the drill reports the time from the stop to the
// promotion, and the new primary accepts writes. The old primary is left stopped, as in the article.
// That repmgrd (not anything else) promoted, after the reconnect attempts the lab configures, is read from
// repmgr's own records; the time the drill reports is printed, not bounded, since it moves with the load.
import { beforeAll, describe, expect, it } from 'vitest'
import { lab, skipReason } from './lab-env.js'
import { clusterShow, establishCluster, eventually, expectClean, onNode, psql, receiver, role, runShipped, standbyTimeline, timeline } from './ops-helpers.js'

const REPMGR_LOG = '/home/postgres/repmgr.log'

describe.skipIf(skipReason)('failover.yml on the lab: repmgrd promotes the standby', () => {
  let start = 0

  beforeAll(async () => {
    await establishCluster()
    start = await timeline('node1')
    await standbyTimeline('node2', 'node1', start)
  })

  it('repmgrd runs on every node from the templated unit, with the lab\'s monitoring settings', async () => {
    for (const n of ['node1', 'node2']) {
      expect((await onNode(n, 'systemctl is-active repmgrd; systemctl is-enabled repmgrd')).split(/\s+/).filter(Boolean)).toEqual(['active', 'enabled'])
      expect(await onNode(n, 'grep -E "^(failover|reconnect_attempts|reconnect_interval)=" /usr/lib/postgresql/15/repmgr.conf')).toBe(
        "failover='automatic'\nreconnect_attempts=3\nreconnect_interval=2",
      )
    }
    expect(await onNode('node2', 'ps -o user=,args= -C repmgrd')).toMatch(/^postgres .*repmgrd -f \/usr\/lib\/postgresql\/15\/repmgr.conf --daemonize=false --verbose/)
  })

  it('the drill: repmgrd promotes node2 after its reconnect attempts (repmgr.events, repmgr.log), the drill reports the time, node2 a primary that takes writes', async () => {
    const logFrom = Number(await onNode('node2', `stat -c %s ${REPMGR_LOG}`)) + 1
    const run = await runShipped('failover.yml', lab.inventory)
    expectClean(run, 'failover drill')
    const stop = run.events.find((e) => e.type === 'host:result' && e.host === 'node1' && e.task.startsWith('pgserver stopped on the primary'))
    const stoppedAt = /^\d+\.\d+/m.exec(stop?.type === 'host:result' ? String(stop.result.stdout) : '')?.[0]
    expect(stoppedAt, 'the drill noted when it stopped node1').toBeDefined()
    const report = run.events.flatMap((e) => (e.type === 'host:result' && e.task === "the drill's result" && e.status === 'ok' ? [String(e.result.msg)] : []))
    expect(report).toHaveLength(1)
    const m = /^failover drill: pgserver stopped on node1, repmgrd promoted node2 ([\d.]+) s later/.exec(report[0])
    expect(m, report[0]).not.toBeNull()
    const seconds = Number(m![1])
    console.log(`e2e: failover drill: stop -> promotion ${seconds} s (${report[0]})`)

    // repmgrd on node2 did the promotion, after the stop: repmgr records both the promotion and who asked.
    const promoted = await psql('node2', `SELECT e.event FROM repmgr.events e JOIN repmgr.nodes n USING (node_id)
      WHERE n.node_name = 'node2' AND e.successful AND e.event_timestamp >= to_timestamp(${stoppedAt}) ORDER BY e.event_timestamp`, 'repmgr')
    expect(promoted.split('\n')).toEqual(expect.arrayContaining(['standby_promote', 'repmgrd_failover_promote']))
    // ...once its 3 reconnect attempts to node1 had failed (the lab's reconnect_attempts), not at the first miss.
    const log = await onNode('node2', `tail -c +${logFrom} ${REPMGR_LOG}`)
    expect(log).toMatch(/checking state of node "node1" \(ID: 1\), 3 of 3 attempts/)
    const gaveUp = log.indexOf('unable to reconnect to node "node1" (ID: 1) after 3 attempts')
    expect(gaveUp, log).toBeGreaterThan(-1)
    expect(log.indexOf('will now promote itself', gaveUp), log).toBeGreaterThan(gaveUp)

    // node2 left recovery: it no longer streams from node1, it writes WAL on a timeline of its own.
    expect(await role('node2')).toBe('primary')
    expect(await receiver('node2')).toBe('')
    expect(await role('node1')).toBe('down')
    expect(await timeline('node2')).toBe(start + 1)
    await psql('node2', 'CREATE TABLE IF NOT EXISTS e2e_failover (id int primary key)')
    await psql('node2', 'INSERT INTO e2e_failover VALUES (1) ON CONFLICT DO NOTHING')
    expect(await psql('node2', 'SELECT count(*) FROM e2e_failover')).toBe('1')
    // The promoted node archives its WAL into the same pgBackRest repository, with the same archive_command.
    const archived = Number(await psql('node2', 'SELECT archived_count FROM pg_stat_archiver'))
    await psql('node2', 'SELECT pg_switch_wal()')
    expect(await eventually(() => psql('node2', 'SELECT archived_count FROM pg_stat_archiver').then(Number), (n) => n > archived)).toBeGreaterThan(archived)
    expect(await psql('node2', 'SELECT coalesce(last_failed_time < last_archived_time, true) FROM pg_stat_archiver')).toBe('t')
    expect(await psql('node2', 'SELECT new_primary FROM public.pgha_failover_drill ORDER BY at DESC LIMIT 1', 'repmgr')).toBe('node2')
    // What the article shows after the failover: node2 the running primary, node1 failed.
    const show = await clusterShow('node2')
    expect(show).toMatch(/\|\s*node2\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node1\s*\|\s*primary\s*\|\s*- failed/)
  })

  it('site.yml afterwards does not start the stopped former primary (that would be a split brain)', async () => {
    const run = await runShipped('site.yml', lab.inventory)
    expect(run.exitCode).toBe(2)
    // The clone refuses to touch node1 and says what to do; verify then reports node1 down.
    expect(run.failures).toEqual([
      expect.stringMatching(/^standby cloned from the primary .* @ node1: standby clone refused: .* is a stopped primary of this cluster .*rejoin\.yml -e node=/),
      expect.stringMatching(/^one primary, every standby streaming from it, no split brain @ node2: PostgreSQL on node1 does not answer: connection to server at "node1"/),
    ])
    expect(run.changed).toEqual([])
    expect(await role('node1')).toBe('down')
    expect(await role('node2')).toBe('primary')
  })
})
