import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { planNodes } from '../../src/lab/index.js'

describe('planNodes', () => {
  it('gives node<i> the address 10.77.0.(10+i), whatever the order', () => {
    expect(planNodes(['node2', 'node1', 'node9'])).toEqual([
      { name: 'node2', address: '10.77.0.12' },
      { name: 'node1', address: '10.77.0.11' },
      { name: 'node9', address: '10.77.0.19' },
    ])
  })

  it('gives names without a number the lowest free addresses in order', () => {
    expect(planNodes(['db', 'node1', 'witness']).map((n) => n.address)).toEqual(['10.77.0.12', '10.77.0.11', '10.77.0.13'])
  })

  it('plans 20 nodes on distinct addresses', () => {
    const nodes = planNodes(Array.from({ length: 20 }, (_, i) => `node${i + 1}`))
    expect(new Set(nodes.map((n) => n.address)).size).toBe(20)
    expect(nodes.at(-1)).toEqual({ name: 'node20', address: '10.77.0.30' })
  })

  it('reports every bad name at once, before anything is touched', () => {
    const bad = () => planNodes(['node1', 'node1', 'Node3', 'averylongname', 'db1', 'node0'], 'node7')
    expect(bad).toThrow(ConfigError)
    expect(bad).toThrow(/"node1" is given twice.*"Node3" is not a valid.*"averylongname" is not a valid.*"db1" and "node1" would share address 10\.77\.0\.11.*"node0": the number.*witness "node7" is not one of the nodes/)
  })

  it('refuses a backup host that is not a node, is the witness, or leaves no data node', () => {
    expect(planNodes(['node1', 'node2', 'node3'], undefined, 0, 'node3').map((n) => n.name)).toEqual(['node1', 'node2', 'node3'])
    expect(() => planNodes(['node1', 'node2'], undefined, 0, 'node7')).toThrow(/backup host "node7" is not one of the nodes/)
    expect(() => planNodes(['node1', 'node2', 'node3'], 'node3', 0, 'node3')).toThrow(/"node3" cannot be both the witness and the backup host/)
    expect(() => planNodes(['node1'], undefined, 0, 'node1')).toThrow(/a backup host needs at least one other node that runs PostgreSQL/)
  })

  it('refuses an empty node list and a witness without another node', () => {
    expect(() => planNodes([])).toThrow(/no nodes/)
    expect(() => planNodes(['node1'], 'node1')).toThrow(/witness needs at least one other node/)
  })
})
