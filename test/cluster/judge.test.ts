// The cluster's judgement as data: a set of nodes as they describe themselves in, who is primary, which
// nodes stray, and the sentence an operator reads for each problem out. These sentences are what
// verify.yml and rejoin.yml fail with and what `pgha status` warns with.
import { describe, expect, it } from 'vitest'
import { judge, type Judgement, type JudgeOptions, type NodeObservation } from '../../src/cluster/index.js'

const node = (host: string, o: Partial<NodeObservation> = {}): NodeObservation => ({ host, addresses: [host], witness: false, repmgrdExpected: false, ssh: true, ...o })
const primary = (host: string, timeline: number): NodeObservation => node(host, { pg: { inRecovery: false, timeline, receiver: null } })
const standby = (host: string, from: string | null, timeline: number, status = 'streaming'): NodeObservation =>
  node(host, { pg: { inRecovery: true, timeline, receiver: from === null ? null : { status, senderHost: from, senderPort: 5432 } } })
const witness = (host: string): NodeObservation => ({ ...primary(host, 1), witness: true })
const down = (host: string, error = 'Connection refused'): NodeObservation => node(host, { error })
const noSsh = (host: string): NodeObservation => node(host, { ssh: false, error: 'connect ECONNREFUSED 10.0.0.2:22' })

interface Row {
  case: string
  nodes: NodeObservation[]
  opts?: JudgeOptions
  expect: {
    primary: string | null
    splitBrain?: boolean
    newer?: string | null
    standbys: string[]
    down?: string[]
    detached?: string[]
    wrongUpstream?: string[]
    roles: string[]
    /** `kind: sentence` */
    problems: string[]
  }
}

const rejoin = (node: string): string => `npx pgha run playbooks/rejoin.yml -e node=${node}`

const table: Row[] = [
  {
    case: 'a healthy pair: the primary is the node running as primary, whatever the groups say',
    nodes: [standby('node1', 'node2', 2), primary('node2', 2)],
    expect: { primary: 'node2', standbys: ['node1'], roles: ['node1: standby', 'node2: primary'], problems: [] },
  },
  {
    case: 'three healthy nodes with a witness: its own primary instance is not a second primary',
    nodes: [primary('node1', 3), standby('node2', 'node1', 3), witness('node3')],
    expect: { primary: 'node1', standbys: ['node2'], roles: ['node1: primary', 'node2: standby', 'node3: witness'], problems: [] },
  },
  {
    case: 'split brain with a newer timeline: that node is the current primary, the other is to rejoin',
    nodes: [primary('node1', 1), primary('node2', 2)],
    opts: { inventory: 'inventory/prod.yml' },
    expect: {
      primary: 'node2', splitBrain: true, newer: 'node2', standbys: [], roles: ['node1: primary', 'node2: primary'],
      problems: [
        'split-brain: split brain: node1 (timeline 1) and node2 (timeline 2) all run as primary; node2 is on the newer timeline, so it is the current primary ' +
          'and holds the writes since the promotion; node1 is a former primary: rejoin it as a standby with: npx pgha run playbooks/rejoin.yml -i inventory/prod.yml -e node=node1',
      ],
    },
  },
  {
    case: 'split brain with two former primaries: both are named, each with its command',
    nodes: [primary('node1', 1), primary('node2', 1), primary('node3', 2)],
    expect: {
      primary: 'node3', splitBrain: true, newer: 'node3', standbys: [], roles: ['node1: primary', 'node2: primary', 'node3: primary'],
      problems: [
        'split-brain: split brain: node1 (timeline 1), node2 (timeline 1) and node3 (timeline 2) all run as primary; node3 is on the newer timeline, so it is the current primary ' +
          `and holds the writes since the promotion; node1 and node2 are former primaries: rejoin them as standbys with: ${rejoin('node1')}, then ${rejoin('node2')}`,
      ],
    },
  },
  {
    case: 'split brain on one timeline (a tie): no current primary, a person decides which to keep',
    nodes: [primary('node1', 4), primary('node2', 4), standby('node3', 'node1', 4)],
    expect: {
      primary: null, splitBrain: true, newer: null, standbys: ['node3'], roles: ['node1: primary', 'node2: primary', 'node3: standby'],
      problems: [
        'split-brain: split brain: node1 (timeline 4) and node2 (timeline 4) all run as primary on the same timeline, so pgha cannot tell which holds the newer writes: ' +
          `compare their data, keep one, and rejoin the other with: ${rejoin('<the one to discard>')}`,
      ],
    },
  },
  {
    case: 'split brain where two of three share the newest timeline: still a tie',
    nodes: [primary('node1', 3), primary('node2', 3), primary('node3', 2)],
    expect: {
      primary: null, splitBrain: true, newer: null, standbys: [], roles: ['node1: primary', 'node2: primary', 'node3: primary'],
      problems: [
        'split-brain: split brain: node1 (timeline 3), node2 (timeline 3) and node3 (timeline 2) all run as primary; node1 and node2 share the newest timeline (3), ' +
          `so pgha cannot tell which holds the newer writes: compare their data, keep one, and rejoin the others with: ${rejoin('<the one to discard>')}`,
      ],
    },
  },
  {
    case: 'detached standbys: in recovery without a WAL receiver, or with one that does not stream',
    nodes: [primary('node1', 1), standby('node2', null, 1), standby('node3', 'node1', 1, 'stopping')],
    expect: {
      primary: 'node1', standbys: [], detached: ['node2', 'node3'], roles: ['node1: primary', 'node2: standby', 'node3: standby'],
      problems: [
        'detached-standby: node2 is a detached standby: in recovery but not streaming from any primary (WAL receiver: none); its server log says why; make it follow the primary with: repmgr standby follow (as postgres, on node2), or rebuild it when the primary no longer has the WAL it needs with: npx pgha run playbooks/restore.yml -e rebuild_standby=node2',
        'detached-standby: node3 is a detached standby: in recovery but not streaming from any primary (WAL receiver: stopping); its server log says why; make it follow the primary with: repmgr standby follow (as postgres, on node3), or rebuild it when the primary no longer has the WAL it needs with: npx pgha run playbooks/restore.yml -e rebuild_standby=node3',
      ],
    },
  },
  {
    case: 'a standby of the wrong upstream: after node3 was promoted, node2 still follows node1, now a standby itself',
    nodes: [standby('node1', 'node3', 2), standby('node2', 'node1', 2), primary('node3', 2)],
    expect: {
      primary: 'node3', standbys: ['node1'], wrongUpstream: ['node2'], roles: ['node1: standby', 'node2: standby', 'node3: primary'],
      problems: ['wrong-upstream: node2 is a standby of node1, not of the current primary node3; make it follow the primary with: npx pgha run playbooks/site.yml'],
    },
  },
  {
    case: "a standby's upstream known by address is named by its inventory name",
    nodes: [{ ...primary('node1', 1), addresses: ['node1', '10.0.0.1'] }, standby('node2', '10.0.0.1', 1)],
    expect: { primary: 'node1', standbys: ['node2'], roles: ['node1: primary', 'node2: standby'], problems: [] },
  },
  {
    case: 'a down node after a failover: the promoted standby is the primary, the old one is named down',
    nodes: [down('node1'), primary('node2', 2)],
    expect: {
      primary: 'node2', standbys: [], down: ['node1'], roles: ['node1: down', 'node2: primary'],
      problems: ['down: PostgreSQL on node1 does not answer: Connection refused; see why with: journalctl -u pgserver (on node1), then start it with: systemctl start pgserver (a former primary is refused by the fence, which names the rejoin command)'],
    },
  },
  {
    case: 'a host not reached over SSH is down too, said so; a down witness is a problem but not a down data node',
    nodes: [primary('node1', 1), noSsh('node2'), { ...down('node3'), witness: true }],
    expect: {
      primary: 'node1', standbys: [], down: ['node2'], roles: ['node1: primary', 'node2: unreachable', 'node3: down'],
      problems: ['unreachable: node2 cannot be reached over SSH: connect ECONNREFUSED 10.0.0.2:22; check that the host is up and its sshd answers (ssh to it); a host lost for good is replaced by a new one of the same name with: npx pgha run playbooks/site.yml, or taken out of the cluster with: npx pgha run playbooks/remove-node.yml -e node=node2',
        'down: PostgreSQL on node3 does not answer: Connection refused; see why with: journalctl -u pgserver (on node3), then start it with: systemctl start pgserver (a former primary is refused by the fence, which names the rejoin command)'],
    },
  },
  {
    case: 'no primary: the standbys in recovery are named, and what else is wrong with them',
    nodes: [down('node1'), standby('node2', 'node1', 1, 'waiting')],
    expect: {
      primary: null, standbys: [], down: ['node1'], detached: ['node2'], roles: ['node1: down', 'node2: standby'],
      problems: [
        'no-primary: no node runs as primary: node2 is in recovery; when the primary is lost, promote one with: repmgr standby promote (as postgres, on the standby furthest ahead: pg_last_wal_replay_lsn()), then make the others follow it with: npx pgha run playbooks/site.yml',
        'down: PostgreSQL on node1 does not answer: Connection refused; see why with: journalctl -u pgserver (on node1), then start it with: systemctl start pgserver (a former primary is refused by the fence, which names the rejoin command)',
        'detached-standby: node2 is a detached standby: in recovery but not streaming from any primary (WAL receiver: waiting); its server log says why; make it follow the primary with: repmgr standby follow (as postgres, on node2), or rebuild it when the primary no longer has the WAL it needs with: npx pgha run playbooks/restore.yml -e rebuild_standby=node2',
      ],
    },
  },
  {
    case: 'every node down: each is named, no guess about a primary',
    nodes: [down('node1'), down('node2', 'timeout expired')],
    expect: {
      primary: null, standbys: [], down: ['node1', 'node2'], roles: ['node1: down', 'node2: down'],
      problems: [
        'down: PostgreSQL on node1 does not answer: Connection refused; see why with: journalctl -u pgserver (on node1), then start it with: systemctl start pgserver (a former primary is refused by the fence, which names the rejoin command)',
        'down: PostgreSQL on node2 does not answer: timeout expired; see why with: journalctl -u pgserver (on node2), then start it with: systemctl start pgserver (a former primary is refused by the fence, which names the rejoin command)',
      ],
    },
  },
  {
    case: '--limit left the primary out: its absence is not a problem, nor is the standby streaming from it',
    nodes: [standby('node2', 'node1', 1)],
    opts: { partial: true },
    expect: { primary: null, standbys: ['node2'], roles: ['node2: standby'], problems: [] },
  },
  {
    case: 'the same node alone without --limit: no primary',
    nodes: [standby('node2', 'node1', 1)],
    expect: { primary: null, standbys: ['node2'], roles: ['node2: standby'], problems: ['no-primary: no node runs as primary: node2 is in recovery; when the primary is lost, promote one with: repmgr standby promote (as postgres, on the standby furthest ahead: pg_last_wal_replay_lsn()), then make the others follow it with: npx pgha run playbooks/site.yml'] },
  },
]

function summary(j: Judgement): Row['expect'] {
  return {
    primary: j.primary, splitBrain: j.splitBrain, newer: j.newer, standbys: j.standbys, down: j.down, detached: j.detached, wrongUpstream: j.wrongUpstream,
    roles: j.nodes.map((n) => `${n.host}: ${n.role}`),
    problems: j.problems.map((p) => `${p.kind}: ${p.message}`),
  }
}

describe('judge', () => {
  it.each(table)('$case', (row) => {
    const j = judge(row.nodes, row.opts)
    expect(summary(j)).toEqual({ splitBrain: false, newer: null, down: [], detached: [], wrongUpstream: [], ...row.expect })
    expect(j.healthy).toBe(row.expect.problems.length === 0)
  })

  it('each problem names the nodes it concerns', () => {
    const split = judge([primary('node1', 1), primary('node2', 2)]).problems[0]
    expect(split.nodes).toEqual(['node1', 'node2'])
    const wrong = judge([standby('node1', 'node3', 2), standby('node2', 'node1', 2), primary('node3', 2)]).problems[0]
    expect(wrong.nodes).toEqual(['node2', 'node3'])
  })

  it("repmgr's records are judged only when an observer read them", () => {
    // The pg_cluster fact does not read repmgr.nodes: nothing is said about registration.
    expect(judge([primary('node1', 1)]).problems).toEqual([])
    // `pgha status` does: a cluster without the table is not set up.
    const read = judge([node('node1', { pg: { inRecovery: false, timeline: 1, receiver: null, replication: [], repmgrNodes: null } })])
    expect(read.problems.map((p) => p.message)).toEqual(['no node has the table repmgr.nodes: repmgr is not set up on this cluster: set it up with: npx pgha run playbooks/site.yml'])
  })
})
