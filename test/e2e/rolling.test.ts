// Rolling changes on a three-node lab (node1 primary, node2 and node3 standbys, repmgrd on all three with the
// lab's quick failover settings): a change of max_connections, which needs a restart, goes through site.yml
// one node at a time: the standbys first, each streaming again before the next goes down, then the primary
// with repmgrd paused, so no failover; repmgrd runs unpaused at the end. With
// pgha_restart_primary_by_switchover the primary moves to a standby instead of restarting in place. What an
// operator checks: the setting on every node, repmgr.events (no promotion, no failover), the journal's
// stop/start times of each node's pgserver (never two down at once), repmgr service status.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { labUp } from '../../src/lab/index.js'
import { lab, skipReason } from './lab-env.js'
import { establishNodes, expectClean, onNode, psql, repmgr, role, runShipped, timeline } from './ops-helpers.js'

const NODES = ['node1', 'node2', 'node3']
const RESTART_SETTINGS = (parse(readFileSync('inventory/group_vars/all.yml', 'utf8')) as { pg_restart_settings: Record<string, unknown> }).pg_restart_settings
/** site.yml with the inventory's restart settings plus these ones, as an operator would add them to group_vars. */
const siteWith = (extra: Record<string, unknown>, ...vars: string[]) =>
  runShipped('site.yml', lab.inventory, { extraVars: [JSON.stringify({ pg_restart_settings: { ...RESTART_SETTINGS, ...extra } }), ...vars] })

interface Downtime { node: string; from: number; to: number }

/** When each node's pgserver was down since `since` (µs), from its journal: from "Stopping" to "Started". */
async function downtimes(since: number): Promise<Downtime[]> {
  const out: Downtime[] = []
  for (const node of NODES) {
    const lines = (await onNode(node, `journalctl -u pgserver -o json --no-pager --since=@${Math.floor(since / 1e6)}`)).split('\n').filter(Boolean)
    let from: number | undefined
    for (const l of lines) {
      const e = JSON.parse(l) as { MESSAGE?: string; __REALTIME_TIMESTAMP: string }
      const at = Number(e.__REALTIME_TIMESTAMP)
      if (at < since) continue
      if (e.MESSAGE?.startsWith('Stopping pgserver.service')) from = at
      if (e.MESSAGE?.startsWith('Started pgserver.service') && from !== undefined) {
        out.push({ node, from, to: at })
        from = undefined
      }
    }
    if (from !== undefined) out.push({ node, from, to: Number.MAX_SAFE_INTEGER })
  }
  return out.sort((a, b) => a.from - b.from)
}

/** Fails when two nodes' downtimes overlap. */
function expectOneAtATime(d: Downtime[]): void {
  for (let i = 1; i < d.length; i++) expect(d[i].from, `${d[i].node} went down before ${d[i - 1].node} was back`).toBeGreaterThan(d[i - 1].to)
}

/** repmgr.events since `sinceSql` (a timestamptz literal), as `event:node` in order. */
const eventsSince = (primary: string, sinceSql: string): Promise<string> =>
  psql(primary, `SELECT coalesce(string_agg(event || ':' || node_id, ', ' ORDER BY event_timestamp), '') FROM repmgr.events WHERE event_timestamp >= '${sinceSql}'`, 'repmgr')

const nowMicros = async (): Promise<number> => Number((await onNode('node1', 'date +%s%6N')).trim())

describe.skipIf(skipReason)('rolling restarts on three nodes', () => {
  beforeAll(async () => {
    await establishNodes(NODES)
  })

  afterAll(async () => {
    // The other e2e files expect the two-node lab.
    await labUp({ nodes: ['node1', 'node2'], inventory: lab.inventory, force: true })
  })

  it('max_connections changed with repmgrd running: standbys one at a time, then the primary with repmgrd paused; no failover', async () => {
    const tl = await timeline('node1')
    const sinceSql = await psql('node1', 'SELECT now()')
    const since = await nowMicros()
    const run = await siteWith({ max_connections: 150 })
    console.log(`e2e: site.yml with max_connections=150 took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'site.yml with max_connections=150')
    for (const n of NODES) expect(await psql(n, 'SHOW max_connections'), n).toBe('150')
    expect(run.changed.filter((c) => / restarted @ /.test(c)).sort()).toEqual(['a standby (or the witness) restarted @ node2', 'a standby (or the witness) restarted @ node3', 'the primary restarted @ node1'])
    // repmgrd was paused around the primary's restart (the task ran, not skipped) and the cluster's health checked first.
    const ranOn = (task: string) => run.events.flatMap((e) => (e.type === 'host:result' && e.task === task && e.status !== 'skipped' ? [e.host] : []))
    expect(ranOn('a healthy cluster before the primary goes down')).toEqual(['node1'])
    expect(ranOn('repmgrd paused on every node (repmgr service pause)')).toEqual(['node1'])
    expect(ranOn('repmgrd unpaused on every node, even when a step failed (repmgr service unpause)')).toEqual(['node1'])
    const down = await downtimes(since)
    console.log(`e2e: downtimes: ${down.map((d) => `${d.node} ${((d.to - d.from) / 1e6).toFixed(1)} s`).join(', ')}`)
    expect(down.map((d) => d.node)).toEqual(['node2', 'node3', 'node1'])
    expectOneAtATime(down)
    expect(await role('node1')).toBe('primary')
    expect(await timeline('node1')).toBe(tl)
    expect(await eventsSince('node1', sinceSql)).not.toMatch(/promote|failover|switchover/)
    const status = await repmgr('node1', 'service status')
    for (const n of NODES) expect(status).toMatch(new RegExp(`\\|\\s*${n}\\s*\\|.*\\|\\s*running\\s*\\|\\s*\\d+\\s*\\|\\s*no\\s*\\|`))
    const again = await siteWith({ max_connections: 150 })
    expectClean(again, 'site.yml again')
    expect(again.changed).toEqual([])
  })

  it('with pgha_restart_primary_by_switchover, the standbys restart one at a time and the primary moves to node2', async () => {
    const tl = await timeline('node1')
    const sinceSql = await psql('node1', 'SELECT now()')
    const since = await nowMicros()
    const run = await siteWith({ max_connections: 160 }, 'pgha_restart_primary_by_switchover=true')
    console.log(`e2e: site.yml with max_connections=160 by switchover took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'site.yml with max_connections=160, by switchover')
    for (const n of NODES) expect(await psql(n, 'SHOW max_connections'), n).toBe('160')
    expect(await role('node2')).toBe('primary')
    expect(await role('node1')).toBe('standby')
    expect(await timeline('node2')).toBe(tl + 1)
    const down = await downtimes(since)
    console.log(`e2e: downtimes: ${down.map((d) => `${d.node} ${((d.to - d.from) / 1e6).toFixed(1)} s`).join(', ')}`)
    expect(down.slice(0, 2).map((d) => d.node)).toEqual(['node2', 'node3'])
    expectOneAtATime(down)
    const events = await eventsSince('node2', sinceSql)
    expect(events).toMatch(/standby_switchover/)
    expect(events).not.toMatch(/failover/)
    // Back to node1 for the other tests' sake.
    expectClean(await runShipped('switchover.yml', lab.inventory, { extraVars: ['target=node1'] }), 'switchover back to node1')
  })
})
