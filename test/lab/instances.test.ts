// Lab instances: the names and paths each instance puts on the machine, which must never collide with
// another instance's (teardown removes by these names), and instance 0's, which must stay what they were.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { defaultInventory, labInstance, labNet, parseLabInstance, planNodes } from '../../src/lab/index.js'
import { withLabLock } from '../../src/lab/lock.js'
import {
  instanceOfMark, labPaths, machineOf, markOf, netnsOf, nodeOfNetns, nodeOfVeth, vethOf,
} from '../../src/lab/paths.js'
import { useTempLabDir } from './temp-lab-dir.js'

const IFNAMSIZ = 15
const saved = process.env.PGHA_LAB_INSTANCE
afterEach(() => {
  if (saved === undefined) delete process.env.PGHA_LAB_INSTANCE
  else process.env.PGHA_LAB_INSTANCE = saved
})

describe('lab instance names', () => {
  const dir = useTempLabDir()

  it('instance 0 (the default) keeps the single-lab names and paths', () => {
    delete process.env.PGHA_LAB_INSTANCE
    expect(labInstance()).toBe(0)
    expect(labNet()).toEqual({ bridge: 'pgha-br0', prefix: '10.77.0', hostAddress: '10.77.0.1' })
    expect([netnsOf('node1'), vethOf('node1'), machineOf('node1'), markOf('node1')]).toEqual(['pgha-node1', 'pgha-v-node1', 'node1', 'node1'])
    expect([labPaths.state(), labPaths.lock(), labPaths.node('node1')]).toEqual([
      join(dir(), 'state.json'), join(dir(), 'lock'), join(dir(), 'nodes', 'node1'),
    ])
    expect(defaultInventory()).toBe('inventory/lab.yml')
    expect(planNodes(['node1', 'node2']).map((n) => n.address)).toEqual(['10.77.0.11', '10.77.0.12'])
  })

  it('instance N gets its own bridge, subnet, names, state directory and inventory', () => {
    process.env.PGHA_LAB_INSTANCE = '7'
    expect(labNet()).toEqual({ bridge: 'pgha-br7', prefix: '10.77.7', hostAddress: '10.77.7.1' })
    expect([netnsOf('node1'), vethOf('node1'), machineOf('node1'), markOf('node1')]).toEqual(['pgha7-node1', 'pg7v-node1', 'pgha7-node1', '7/node1'])
    expect([labPaths.state(), labPaths.lock(), labPaths.node('node1')]).toEqual([
      join(dir(), 'instances', '7', 'state.json'), join(dir(), 'instances', '7', 'lock'), join(dir(), 'instances', '7', 'nodes', 'node1'),
    ])
    expect(defaultInventory()).toBe('inventory/lab7.yml')
    expect(planNodes(['node1', 'db', 'node20']).map((n) => n.address)).toEqual(['10.77.7.11', '10.77.7.12', '10.77.7.30'])
  })

  it('shares the image cache, the lab key and the repmgr source between instances', () => {
    const shared = () => [labPaths.images(), labPaths.key(), labPaths.src(), labPaths.sharedLock('image')]
    process.env.PGHA_LAB_INSTANCE = '0'
    const zero = shared()
    process.env.PGHA_LAB_INSTANCE = '9'
    expect(shared()).toEqual(zero)
    expect(zero).toEqual([join(dir(), 'images'), join(dir(), 'id_ed25519'), join(dir(), 'src'), join(dir(), 'image.lock')])
  })

  it('fits every veth and bridge name in IFNAMSIZ for the longest node name the plan accepts', () => {
    const longest = planNodes(['abcdefgh'])[0]!.name
    expect(() => planNodes(['abcdefghi'])).toThrow(/at most 8 characters/)
    for (let i = 0; i <= 9; i++) {
      expect(vethOf(longest, i).length).toBeLessThanOrEqual(IFNAMSIZ)
      expect(labNet(i).bridge.length).toBeLessThanOrEqual(IFNAMSIZ)
    }
  })

  it('never takes another instance\'s netns, veth or marked process for its own', () => {
    // Node names an instance-0 user may pick that look like another instance's prefix.
    const tricky = ['node1', 'pgha5-x', 'pg5v-x', 'v-node1']
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        for (const node of tricky) {
          const mine = a === b ? node : undefined
          expect(nodeOfNetns(netnsOf(node, a), b), `netns of ${node}@${a} seen by ${b}`).toBe(mine)
          expect(nodeOfVeth(vethOf(node, a), b), `veth of ${node}@${a} seen by ${b}`).toBe(mine)
          expect(instanceOfMark(markOf(node, a))).toBe(a)
        }
      }
    }
    // The bridge and the capability probe's netns are nobody's node.
    expect(nodeOfVeth('pgha-br0', 0)).toBeUndefined()
    expect(nodeOfNetns(`pghaprobe-${process.pid}`, 0)).toBeUndefined()
  })

  it('refuses an instance outside 0..9, naming where it came from', () => {
    expect(parseLabInstance(undefined)).toBe(0)
    expect(parseLabInstance('')).toBe(0)
    expect(parseLabInstance(' 3 ')).toBe(3)
    for (const bad of ['10', '-1', 'x', '1.5', '03']) {
      expect(() => parseLabInstance(bad, '--instance')).toThrow(ConfigError)
      expect(() => parseLabInstance(bad, '--instance')).toThrow(`--instance must be a number 0..9, not "${bad}"`)
    }
    process.env.PGHA_LAB_INSTANCE = 'eleven'
    expect(() => labInstance()).toThrow('PGHA_LAB_INSTANCE must be a number 0..9')
  })

  it('locks per instance: two instances work at once, one instance one operation at a time', async () => {
    const order: string[] = []
    const op = async (instance: number, name: string) => {
      process.env.PGHA_LAB_INSTANCE = String(instance)
      // The lock path is taken when the call starts, before the env changes for the next call.
      return withLabLock(async () => {
        order.push(`${name} start`)
        await new Promise((r) => setTimeout(r, 100))
        order.push(`${name} end`)
      })
    }
    await Promise.all([op(5, 'a'), op(6, 'b')])
    expect(order.slice(0, 2)).toEqual(['a start', 'b start'])
    order.length = 0
    await Promise.all([op(5, 'a'), op(5, 'b')])
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end'])
  })
})
