// pg_cluster (what verify.yml, rejoin.yml and cluster.yml fail with) and `pgha status` describe the same
// cluster with the same sentences: each state observed both ways, the fact through a stand-in psql and
// status through its probe's parser, must come out with the same problems.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { analyze } from '../../src/status/index.js'
import { runLocal } from '../modules/local-host.js'
import { clusterParams, down, primary, standby, standInPsql, statusObservations, witness, type NodeSpec } from './scenario.js'

const work = mkdtempSync(join(tmpdir(), 'pgha-agreement-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// Each state with the kinds of problem both must report, so an agreement on nothing cannot pass.
const states: [string, NodeSpec[], string[]][] = [
  ['healthy, with a witness', [primary('node1', 2), standby('node2', 'node1', 2), witness('node3')], []],
  ['split brain, node2 on the newer timeline', [primary('node1', 1), primary('node2', 2)], ['split-brain']],
  ['split brain on one timeline', [primary('node1', 3), primary('node2', 3)], ['split-brain']],
  ['a detached standby', [primary('node1', 1), standby('node2', null, 1), standby('node3', 'node1', 1, 'stopping')], ['detached-standby', 'detached-standby']],
  ['a standby of the wrong upstream', [standby('node1', 'node3', 2), standby('node2', 'node1', 2), primary('node3', 2)], ['wrong-upstream']],
  ['a down node', [down('node1', 'connection to server at "node1" (10.0.0.1), port 5432 failed: Connection refused'), primary('node2', 2)], ['down']],
  ['no primary', [down('node1'), standby('node2', 'node1', 1, 'waiting')], ['no-primary', 'down', 'detached-standby']],
]

describe('pg_cluster and pgha status agree', () => {
  it.each(states)('%s', async (name, nodes, kinds) => {
    const bindir = standInPsql(join(work, name.replace(/\W+/g, '-')), nodes)
    const { result } = await runLocal('pg_cluster', clusterParams(nodes, bindir))
    const status = analyze(statusObservations(nodes))
    expect(status.problems.map((p) => p.kind)).toEqual(kinds)
    expect(result.problems).toEqual(status.problems.map((p) => p.message))
    const roles = result.nodes as Record<string, { role: string }>
    expect(Object.fromEntries(Object.entries(roles).map(([node, v]) => [node, v.role]))).toEqual(Object.fromEntries(status.nodes.map((n) => [n.node, n.pgRole])))
  })
})
