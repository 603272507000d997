// The pg_cluster module's registered result as the playbooks read it (pgha_cluster.primary, .split_brain,
// .newer, .standbys, .down, .nodes, .problems, .table, .msg): the fact's real command run here against a
// stand-in psql answering as each node would, then the cluster model's judgement.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { clusterParams, down, primary, standby, standInPsql, witness, type NodeSpec } from '../cluster/scenario.js'
import { runLocal } from './local-host.js'

const work = mkdtempSync(join(tmpdir(), 'pgha-pg-cluster-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The fields of the registered result the playbooks read. */
interface ClusterResult {
  primary: string
  primaries: string[]
  split_brain: boolean
  newer: string
  standbys: string[]
  down: string[]
  nodes: Record<string, { role: string }>
  problems: string[]
  table: string[]
  msg: string
}

let runs = 0
async function pgCluster(nodes: NodeSpec[]): Promise<ClusterResult> {
  const bindir = standInPsql(join(work, String(runs++)), nodes)
  const { plan, result } = await runLocal('pg_cluster', clusterParams(nodes, bindir))
  expect(plan.changes).toEqual([])
  return result as unknown as ClusterResult
}

describe('pg_cluster', () => {
  it('a healthy pair: the primary is the node running as primary, whatever the groups say', async () => {
    const v = await pgCluster([standby('node1', 'node2', 2), primary('node2', 2)])
    expect(v.primary).toBe('node2')
    expect(v.standbys).toEqual(['node1'])
    expect(v.split_brain).toBe(false)
    expect(v.problems).toEqual([])
    expect(v.table).toEqual(['node1: standby, timeline 2, streaming from node2', 'node2: primary, timeline 2'])
    expect(v.msg).toBe('primary node2; standbys node1')
  })

  it('split brain: names the node on the newer timeline as the current primary and the other to rejoin', async () => {
    const v = await pgCluster([primary('node1', 1), primary('node2', 2)])
    expect(v.split_brain).toBe(true)
    expect(v.primaries).toEqual(['node1', 'node2'])
    expect(v.primary).toBe('node2')
    expect(v.newer).toBe('node2')
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toMatch(/^split brain: node1 \(timeline 1\) and node2 \(timeline 2\) all run as primary; node2 is on the newer timeline/)
    expect(v.problems[0]).toContain('rejoin.yml -e node=node1')
    // cluster.yml fails with msg on a split brain.
    expect(v.msg).toBe(v.problems[0])
  })

  it('names the inventory in the command it suggests when the playbook passes it, as pgha status does', async () => {
    const bindir = standInPsql(join(work, String(runs++)), [primary('node1', 1), primary('node2', 2)])
    const { result } = await runLocal('pg_cluster', { ...clusterParams([primary('node1', 1), primary('node2', 2)], bindir), inventory: 'inventory/production' })
    expect((result as unknown as ClusterResult).problems[0]).toContain('npx pgha run playbooks/rejoin.yml -i inventory/production -e node=node1')
  })

  it('split brain on one timeline: no current primary, a person decides', async () => {
    const v = await pgCluster([primary('node1', 4), primary('node2', 4)])
    expect(v.primary).toBe('')
    expect(v.newer).toBe('')
    expect(v.problems[0]).toMatch(/all run as primary on the same timeline, so pgha cannot tell which holds the newer writes/)
  })

  it('a standby of another upstream, and one that is not streaming, are named', async () => {
    const v = await pgCluster([primary('node1', 3), standby('node2', 'node3', 3), standby('node3', 'node1', 3, 'stopping'), standby('node4', 'node1', 3)])
    expect(v.standbys).toEqual(['node4'])
    expect(v.problems).toEqual([
      'node2 is a standby of node3, not of the current primary node1; make it follow the primary with: npx pgha run playbooks/site.yml',
      expect.stringMatching(/^node3 is a detached standby: in recovery but not streaming from any primary \(WAL receiver: stopping\); .* repmgr standby follow /),
    ])
  })

  it('a stopped primary after a failover: the promoted standby is the primary, the old one is down', async () => {
    const v = await pgCluster([down('node1'), primary('node2', 2)])
    expect(v.primary).toBe('node2')
    expect(v.down).toEqual(['node1'])
    expect(v.problems).toEqual([expect.stringMatching(/^PostgreSQL on node1 does not answer: Connection refused; see why with: journalctl -u pgserver /)])
    expect(v.nodes.node1.role).toBe('down')
    expect(v.table).toEqual(['node1: down (Connection refused)', 'node2: primary, timeline 2'])
  })

  it('no primary at all is a problem; a witness running its own primary instance is not a second primary', async () => {
    expect((await pgCluster([down('node1'), standby('node2', 'node1', 1, 'waiting')])).problems[0]).toMatch(/^no node runs as primary/)
    const v = await pgCluster([primary('node1', 1), standby('node2', 'node1', 1), witness('node3')])
    expect(v.split_brain).toBe(false)
    expect(v.primary).toBe('node1')
    expect(v.nodes.node3.role).toBe('witness')
    expect(v.table[2]).toBe('node3: witness')
    expect(v.problems).toEqual([])
  })
})
