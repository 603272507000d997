// The current primary, split brain and standby checks, as verify.yml and the operation playbooks read them.
import { describe, expect, it } from 'vitest'
import type { PgNodeState } from '../../../src/facts/index.js'
import { analyzeCluster } from '../../../src/modules/lib/cluster-roles.js'

const primary = (name: string, timeline: number): PgNodeState => ({ name, reachable: true, inRecovery: false, timeline })
const standby = (name: string, upstream: string, timeline: number, receiverStatus = 'streaming'): PgNodeState => ({ name, reachable: true, inRecovery: true, timeline, upstream, receiverStatus })
const down = (name: string): PgNodeState => ({ name, reachable: false, error: 'Connection refused' })

describe('analyzeCluster', () => {
  it('a healthy pair: the primary is the node running as primary, whatever the groups say', () => {
    const v = analyzeCluster([standby('node1', 'node2', 2), primary('node2', 2)])
    expect(v.primary).toBe('node2')
    expect(v.standbys).toEqual(['node1'])
    expect(v.split_brain).toBe(false)
    expect(v.problems).toEqual([])
    expect(v.table).toEqual(['node1: standby, timeline 2, streaming from node2', 'node2: primary, timeline 2'])
  })

  it('split brain: names the node on the newer timeline as the current primary and the other to rejoin', () => {
    const v = analyzeCluster([primary('node1', 1), primary('node2', 2)])
    expect(v.split_brain).toBe(true)
    expect(v.primaries).toEqual(['node1', 'node2'])
    expect(v.primary).toBe('node2')
    expect(v.newer).toBe('node2')
    expect(v.problems).toHaveLength(1)
    expect(v.problems[0]).toMatch(/^split brain: node1 \(timeline 1\) and node2 \(timeline 2\) all run as primary; node2 is on the newer timeline/)
    expect(v.problems[0]).toContain('rejoin.yml -e node=node1')
  })

  it('split brain on one timeline: no current primary, a person decides', () => {
    const v = analyzeCluster([primary('node1', 4), primary('node2', 4)])
    expect(v.primary).toBe('')
    expect(v.newer).toBe('')
    expect(v.problems[0]).toMatch(/same timeline; pgha cannot tell which holds the writes/)
  })

  it('a standby of another upstream, and one that is not streaming, are named', () => {
    const v = analyzeCluster([primary('node1', 3), standby('node2', 'node3', 3), standby('node3', 'node1', 3, 'stopping'), standby('node4', 'node1', 3)])
    expect(v.standbys).toEqual(['node4'])
    expect(v.problems).toEqual([
      'node2 is a standby of node3, not of the current primary node1',
      'node3 is a standby that is not streaming (WAL receiver: stopping)',
    ])
  })

  it('a stopped primary after a failover: the promoted standby is the primary, the old one is down', () => {
    const v = analyzeCluster([down('node1'), primary('node2', 2)])
    expect(v.primary).toBe('node2')
    expect(v.down).toEqual(['node1'])
    expect(v.problems).toEqual(['node1 does not answer: Connection refused'])
    expect(v.nodes.node1.role).toBe('down')
  })

  it('no primary at all is a problem; a witness running its own primary instance is not a second primary', () => {
    expect(analyzeCluster([down('node1'), standby('node2', 'node1', 1, 'waiting')]).problems[0]).toMatch(/^no node runs as primary/)
    const v = analyzeCluster([primary('node1', 1), standby('node2', 'node1', 1), primary('node3', 1)], ['node3'])
    expect(v.split_brain).toBe(false)
    expect(v.primary).toBe('node1')
    expect(v.nodes.node3.role).toBe('witness')
    expect(v.problems).toEqual([])
  })
})
