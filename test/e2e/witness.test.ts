// A witness tells repmgrd a failed primary from a partition. Three nodes: node1 primary,
// node2 standby, node3 the witness (its own PostgreSQL instance, `repmgr witness register`ed, with
// repmgrd). Cutting only the link between node2 and node1 makes node2's repmgrd lose the primary; before
// promoting it asks its siblings when they last saw the primary (primary_visibility_consensus=true).
// The witness still sees node1, so repmgrd cancels the election: node2 stays a standby and node1 stays
// the only primary — no split brain. Without the witness, node2 would be "the only available candidate"
// and promote itself (see failover.test.ts, where that is what a stopped primary should cause).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { labCut, labHeal, labReset, lab, skipReason } from './lab-env.js'
import { labUp } from '../../src/lab/index.js'
import { clusterShow, eventually, expectClean, onNode, psql, receiver, role, runShipped, serverLog } from './ops-helpers.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const NODES = ['node1', 'node2', 'node3']

describe.skipIf(skipReason)('witness on a three-node lab: a partition is not a failover', () => {
  beforeAll(async () => {
    // This reboots the lab with three nodes (or reuses a running three-node lab): it replaces the
    // suite's own two-node lab, hence force.
    await labUp({ nodes: ['node1', 'node2', 'node3'], witness: 'node3', inventory: lab.inventory, force: true })
    let run = await runShipped('site.yml', lab.inventory)
    if (run.exitCode !== 0) {
      console.log(`e2e: site.yml on three nodes failed (${run.failures.join('; ')}); resetting the nodes\n${(await Promise.all(NODES.map(serverLog))).join('\n')}`)
      await labReset(NODES)
      run = await runShipped('site.yml', lab.inventory)
    }
    if (run.exitCode !== 0) console.log((await Promise.all(NODES.map(serverLog))).join('\n'))
    expectClean(run, 'site.yml on three nodes')
  })

  afterAll(async () => {
    await labHeal()
    // The other e2e files expect the two-node lab.
    await labUp({ nodes: ['node1', 'node2'], inventory: lab.inventory, force: true })
  })

  it('the witness runs its own instance, is registered, and repmgrd runs on all three nodes', async () => {
    const show = await clusterShow('node1')
    expect(show).toMatch(/\|\s*node1\s*\|\s*primary\s*\|\s*\* running/)
    expect(show).toMatch(/\|\s*node2\s*\|\s*standby\s*\|\s*running\s*\|\s*node1\s*\|/)
    expect(show).toMatch(/\|\s*node3\s*\|\s*witness\s*\|\s*\* running\s*\|\s*node1\s*\|/)
    expect(await role('node3')).toBe('primary') // its own instance: not a standby of node1
    expect(await psql('node3', 'SELECT count(*) FROM pg_stat_wal_receiver')).toBe('0')
    for (const n of ['node1', 'node2', 'node3']) expect((await onNode(n, 'systemctl is-active repmgrd')).trim()).toBe('active')
  })

  it('cut between node2 and node1 only: node2 is not promoted while the witness still sees node1', async () => {
    const logStart = Number((await onNode('node2', 'wc -l < /home/postgres/repmgr.log')).trim())
    await labCut(['node2'], ['node1'])
    try {
      // 3 reconnect attempts 2 s apart (lab settings) decide within ~10 s; watch for 36 s.
      const until = Date.now() + 36_000
      while (Date.now() < until) {
        expect(await role('node2')).toBe('standby')
        expect(await role('node1')).toBe('primary')
        await sleep(2_000)
      }
      // The witness still reaches node1 over the network, as repmgrd on node2 was told.
      expect((await onNode('node3', "runuser -u postgres -- psql -XAtq 'host=node1 user=repmgr dbname=repmgr connect_timeout=2' -c 'SELECT pg_is_in_recovery()'")).trim()).toBe('f')
      const log = await onNode('node2', `tail -n +${logStart + 1} /home/postgres/repmgr.log`)
      expect(log).toMatch(/unable to reconnect to node "node1" \(ID: 1\)/)
      expect(log).toMatch(/witness node "node3" \(ID: 3\) last saw primary node \d+ second\(s\) ago, considering primary still visible/)
      expect(log).toMatch(/cancelling failover as some nodes can still see the primary/)
      expect(log).not.toMatch(/promoting standby to primary/)
    } finally {
      await labHeal()
    }
    // Healed: node2 streams from node1 again and the cluster verifies.
    expect(await eventually(() => receiver('node2'), (v) => v === 'streaming:node1', 60_000)).toBe('streaming:node1')
    expectClean(await runShipped('verify.yml', lab.inventory), 'verify after the partition')
  })
})
