// The judgement of `pgha status` on data: what an operator reads in the table and the warnings.
import { describe, expect, it } from 'vitest'
import { analyze, type Problem } from '../../src/status/index.js'
import { client, down, primary, record, standby, table, unreachable, witness } from './observations.js'

const kinds = (problems: Problem[]): string[] => problems.map((p) => p.kind)

describe('analyze', () => {
  it('a streaming primary/standby pair with repmgrd on both is healthy, with the standby lag from the primary', () => {
    const r = analyze([primary('node1', 1, { clients: [client('node2', 0, 0.25)] }), standby('node2', 2)])
    expect(r.problems).toEqual([])
    expect(r.healthy).toBe(true)
    expect(r.nodes.map((n) => [n.node, n.repmgrRole, n.pgRole, n.upstream, n.timeline, n.replication, n.lagBytes, n.lagSeconds, n.repmgrd])).toEqual([
      ['node1', 'primary', 'primary', null, 1, '1 streaming', null, null, true],
      ['node2', 'standby', 'standby', 'node1', 1, 'streaming', 0, 0.25, true],
    ])
  })

  it('a standby that has caught up while nothing is written shows no lag in seconds, not an unknown one', () => {
    const r = analyze([primary('node1', 1, { clients: [client('node2', 0, null)] }), standby('node2', 2)])
    expect(r.nodes[1].lagSeconds).toBe(0)
    const behind = analyze([primary('node1', 1, { clients: [client('node2', 4096, null)] }), standby('node2', 2)])
    expect([behind.nodes[1].lagBytes, behind.nodes[1].lagSeconds]).toEqual([4096, null])
  })

  it('a standby replaying further behind than pgha_status_max_lag_bytes is a problem with what to look at and the rebuild', () => {
    const limit = { maxLagBytes: 1 << 20 }
    const behind = analyze([primary('node1', 1, { clients: [client('node2', 5 << 20, 3)] }), { ...standby('node2', 2), ...limit }], { inventory: 'inventory/prod.yml' })
    expect(behind.healthy).toBe(false)
    expect(behind.problems).toEqual([{
      kind: 'lagging', nodes: ['node2'],
      message: 'node2 replays 5242880 bytes behind node1, more than pgha_status_max_lag_bytes (1048576): see where it stalls with: SELECT * FROM pg_stat_replication ' +
        '(on node1: write, flush or replay) and its server log; one that never catches up is rebuilt with: npx pgha run playbooks/restore.yml -i inventory/prod.yml -e rebuild_standby=node2',
    }])
    expect(analyze([primary('node1', 1, { clients: [client('node2', 4096, 0)] }), { ...standby('node2', 2), ...limit }]).healthy).toBe(true)
    expect(analyze([primary('node1', 1, { clients: [client('node2', 5 << 20, 3)] }), standby('node2', 2)]).healthy).toBe(true)
  })

  it('a witness runs its own server outside recovery and is not a second primary', () => {
    const nodes = table(record(3, 'node3', 'witness', 1))
    const r = analyze([
      primary('node1', 1, { clients: [client('node2')], nodes }),
      standby('node2', 2, { nodes }),
      witness('node3', 3, nodes),
    ])
    expect(r.problems).toEqual([])
    expect(r.healthy).toBe(true)
    expect(r.nodes[2]).toMatchObject({ node: 'node3', repmgrRole: 'witness', pgRole: 'witness', upstream: null })
  })

  it('split brain: two primaries, the one on the newer timeline named as holding the writes, the other pointed at rejoin.yml', () => {
    // node2 was promoted (timeline 2) while node1 kept running as primary on timeline 1.
    const nodes = [record(1, 'node1', 'primary', null, false), record(2, 'node2', 'primary')]
    const r = analyze([primary('node1', 1, { timeline: 1, nodes: table() }), primary('node2', 2, { timeline: 2, nodes })], { inventory: 'inventory/prod.yml' })
    expect(r.healthy).toBe(false)
    const split = r.problems.find((p) => p.kind === 'split-brain')!
    expect(split.nodes).toEqual(['node1', 'node2'])
    expect(split.message).toContain('split brain: node1 (timeline 1) and node2 (timeline 2) all run as primary')
    expect(split.message).toContain('node2 is on the newer timeline, so it is the current primary and holds the writes since the promotion')
    expect(split.message).toContain('npx pgha run playbooks/rejoin.yml -i inventory/prod.yml -e node=node1')
    expect(split.message).not.toContain('-e node=node2')
    // repmgr (node2's copy, the newer primary's) marked node1 inactive when it promoted node2.
    expect(r.nodes.map((n) => [n.node, n.pgRole, n.repmgrRole, n.repmgrActive, n.timeline])).toEqual([
      ['node1', 'primary', 'primary', false, 1],
      ['node2', 'primary', 'primary', true, 2],
    ])
  })

  it('split brain on one timeline says it cannot tell which holds the newer writes', () => {
    const r = analyze([primary('node1', 1), primary('node2', 2)])
    const split = r.problems.find((p) => p.kind === 'split-brain')!
    expect(split.message).toContain('node1 (timeline 1) and node2 (timeline 1) all run as primary on the same timeline')
    expect(split.message).toContain('-e node=<the one to discard>')
  })

  it('a standby in recovery without a WAL receiver is detached', () => {
    const r = analyze([primary('node1', 1), standby('node2', 2, { from: null })])
    expect(r.healthy).toBe(false)
    expect(r.problems).toEqual([{
      kind: 'detached-standby', nodes: ['node2'],
      message: 'node2 is a detached standby: in recovery but not streaming from any primary (WAL receiver: none); its server log says why; ' +
        'make it follow the primary with: repmgr standby follow (as postgres, on node2), or rebuild it when the primary no longer has the WAL it needs with: npx pgha run playbooks/restore.yml -e rebuild_standby=node2',
    }])
    expect(r.nodes[1]).toMatchObject({ pgRole: 'standby', upstream: null, replication: 'not streaming', lagBytes: null })
  })

  it('a standby streaming from a node that is not the current primary follows the wrong upstream', () => {
    // After node3 was promoted, node2 still follows the old primary node1, which is now a standby itself.
    const nodes = [record(1, 'node1', 'standby', 3), record(2, 'node2', 'standby', 3), record(3, 'node3', 'primary')]
    const r = analyze([
      standby('node1', 1, { from: 'node3', nodes, timeline: 2 }),
      standby('node2', 2, { from: '10.0.0.1', nodes }),
      primary('node3', 3, { timeline: 2, clients: [client('node1')], nodes }),
    ])
    const wrong = r.problems.filter((p) => p.kind === 'wrong-upstream')
    expect(wrong.map((p) => p.message)).toEqual(['node2 is a standby of node1, not of the current primary node3; make it follow the primary with: npx pgha run playbooks/site.yml'])
    expect(wrong[0].nodes).toEqual(['node2', 'node3'])
    // The upstream is shown by inventory name even when the receiver names an address.
    expect(r.nodes[1].upstream).toBe('node1')
    expect(kinds(r.problems)).toContain('repmgr-mismatch')
  })

  it('a node whose server does not answer is a "down" row and a problem, not a crash', () => {
    const r = analyze([primary('node1', 1, { clients: [] }), down('node2', 2)])
    expect(r.nodes[1]).toMatchObject({ node: 'node2', pgRole: 'down', repmgrRole: 'standby', timeline: null, repmgrd: false })
    expect(r.problems[0]).toEqual({ kind: 'down', nodes: ['node2'], message: expect.stringMatching(/^PostgreSQL on node2 does not answer: connection to server/) })
    expect(r.healthy).toBe(false)
  })

  it('a node not reachable over SSH is an "unreachable" row', () => {
    const r = analyze([primary('node1', 1), unreachable('node2', 2)])
    expect(r.nodes[1]).toMatchObject({ pgRole: 'unreachable', repmgrd: null, error: 'connect ECONNREFUSED 10.0.0.3:22' })
    expect(kinds(r.problems)).toEqual(['unreachable'])
  })

  it('no node outside recovery: no primary', () => {
    const r = analyze([standby('node1', 1, { from: null }), standby('node2', 2, { from: null })])
    expect(kinds(r.problems)).toContain('no-primary')
    expect(r.problems.find((p) => p.kind === 'no-primary')!.message).toMatch(/^no node runs as primary: node1 and node2 are in recovery; when the primary is lost, promote one with: repmgr standby promote /)
    // With --limit only some nodes were read: the primary may be among those left out.
    expect(kinds(analyze([standby('node2', 2)], { partial: true }).problems)).toEqual([])
  })

  it('repmgr records disagreeing with the servers are named', () => {
    // node2 was promoted by hand (pg_ctl promote): repmgr still calls it a standby of node1.
    const promoted = analyze([standby('node1', 1, { from: 'node2' }), primary('node2', 2, { clients: [client('node1')] })])
    expect(promoted.problems.map((p) => p.message)).toEqual([
      'repmgr records node1 as primary, but PostgreSQL there runs as standby; register it again with: npx pgha run playbooks/site.yml',
      'repmgr records node2 as standby, but PostgreSQL there runs as primary; register it again with: npx pgha run playbooks/site.yml',
    ])
    const unregistered = analyze([primary('node1', 1, { nodes: [record(1, 'node1', 'primary')] }), standby('node2', 2)])
    expect(unregistered.problems.map((p) => p.message)).toEqual(['node2 has no record in repmgr.nodes (node_id 2): it is not registered; register it again with: npx pgha run playbooks/site.yml'])
    const noRepmgr = analyze([primary('node1', 1, { nodes: null })])
    expect(noRepmgr.problems.map((p) => p.message)).toEqual(['no node has the table repmgr.nodes: repmgr is not set up on this cluster: set it up with: npx pgha run playbooks/site.yml'])
    expect(noRepmgr.nodes[0].repmgrRole).toBe('-')
  })

  it('repmgrd stopped where repmgrd_enabled expects it is a problem; unknown or not expected is not', () => {
    const stopped = { ...standby('node2', 2), repmgrd: false }
    expect(analyze([primary('node1', 1), stopped]).problems.map((p) => p.message))
      .toEqual(['repmgrd is not running on node2 (repmgrd_enabled is true): no automatic failover from there; see why with: journalctl -u repmgrd (on node2), then start it with: systemctl start repmgrd, or with: npx pgha run playbooks/site.yml'])
    expect(analyze([primary('node1', 1), { ...stopped, repmgrdExpected: false }]).healthy).toBe(true)
    expect(analyze([primary('node1', 1), { ...stopped, repmgrd: undefined }]).healthy).toBe(true)
  })

  it('every problem it reports says what to run, with the inventory it was given', () => {
    const opts = { inventory: 'inventory/prod.yml' }
    const nodes = [record(1, 'node1', 'standby', 3), record(2, 'node2', 'standby', 3), record(3, 'node3', 'primary')]
    const sick = [
      analyze([primary('node1', 1), down('node2', 2), unreachable('node3', 3)], opts),
      analyze([primary('node1', 1), standby('node2', 2, { from: null }), { ...standby('node3', 3), repmgrd: false }], opts),
      analyze([standby('node1', 1, { from: 'node3', nodes }), standby('node2', 2, { from: 'node1', nodes }), primary('node3', 3, { clients: [client('node1')], nodes })], opts),
      analyze([standby('node1', 1, { from: null }), standby('node2', 2, { from: null })], opts),
      analyze([primary('node1', 1, { nodes: null })], opts),
      analyze([standby('node1', 1, { from: 'node2' }), primary('node2', 2, { clients: [client('node1')] })], opts),
      analyze([primary('node1', 1, { clients: [client('node2', 5 << 20, 3)] }), { ...standby('node2', 2), maxLagBytes: 1 << 20 }], opts),
    ].flatMap((r) => r.problems)
    expect(new Set(kinds(sick))).toEqual(new Set(['down', 'unreachable', 'detached-standby', 'repmgrd-stopped', 'wrong-upstream', 'repmgr-mismatch', 'no-primary', 'lagging']))
    for (const p of sick) expect(p.message, p.kind).toMatch(/ with: (npx pgha run playbooks\/[a-z-]+\.yml -i inventory\/prod\.yml|systemctl |repmgr |journalctl |SELECT )/)
    const unreachableNode = sick.find((p) => p.kind === 'unreachable')!
    expect(unreachableNode.message).toContain('npx pgha run playbooks/remove-node.yml -i inventory/prod.yml -e node=node3')
    expect(sick.find((p) => p.kind === 'down')!.message).toContain('systemctl start pgserver')
  })
})
