import { describe, expect, it } from 'vitest'
import type { Inventory, InventoryHost, InventoryGroup } from '../../src/inventory/types.js'
import { buildHostVars, evaluateCondition, magicVars, renderString, renderValue } from '../../src/vars/index.js'

function inventory(hostCount: number): Inventory {
  const hosts = new Map<string, InventoryHost>()
  const names = Array.from({ length: hostCount }, (_, i) => `node${i + 1}.example.lan`)
  names.forEach((name, i) => {
    const groups = i === 0 ? ['pg', 'primary'] : ['pg', 'standby']
    hosts.set(name, { name, groups, vars: { ansible_host: `10.0.0.${i + 1}`, node_id: i + 1 } })
  })
  const group = (name: string, members: string[]): InventoryGroup => ({ name, hosts: members, children: [], vars: {} })
  const groups = new Map<string, InventoryGroup>([
    ['all', group('all', names)],
    ['ungrouped', group('ungrouped', [])],
    ['pg', group('pg', names)],
    ['primary', group('primary', names.slice(0, 1))],
    ['standby', group('standby', names.slice(1))],
  ])
  return { source: '/inv.yml', hosts, groups }
}

const empty = { inventory: {}, facts: {}, play: {}, varsFiles: {}, registered: {}, extra: {}, magic: {} }

describe('buildHostVars', () => {
  it('applies precedence inventory < facts < play < vars_files < registered < extra < magic', () => {
    const layers = {
      inventory: { a: 'inv', b: 'inv', c: 'inv', d: 'inv', e: 'inv', f: 'inv', g: 'inv' },
      facts: { b: 'facts', c: 'facts', d: 'facts', e: 'facts', f: 'facts', g: 'facts' },
      play: { c: 'play', d: 'play', e: 'play', f: 'play', g: 'play' },
      varsFiles: { d: 'files', e: 'files', f: 'files', g: 'files' },
      registered: { e: 'reg', f: 'reg', g: 'reg' },
      extra: { f: 'extra', g: 'extra' },
      magic: { g: 'magic' },
    }
    expect({ ...buildHostVars(layers) }).toEqual({ a: 'inv', b: 'facts', c: 'play', d: 'files', e: 'reg', f: 'extra', g: 'magic' })
  })

  it('replaces mappings whole (hash_behaviour=replace), it does not merge them', () => {
    const v = buildHostVars({ ...empty, inventory: { pg: { port: 5432, dir: '/data' } }, extra: { pg: { port: 6432 } } })
    expect(v.pg).toEqual({ port: 6432 })
  })

  it('has no prototype, so toString is not a variable', () => {
    const v = buildHostVars({ ...empty, play: { a: 1 } })
    expect(evaluateCondition('toString is undefined and a == 1', v)).toBe(true)
  })
})

describe('magicVars', () => {
  const inv = inventory(3)
  const m = magicVars(inv, 'node2.example.lan', ['node1.example.lan', 'node2.example.lan'], true)

  it('names the host, its groups and all groups', () => {
    expect(m.inventory_hostname).toBe('node2.example.lan')
    expect(m.inventory_hostname_short).toBe('node2')
    expect(m.group_names).toEqual(['pg', 'standby'])
    expect(m.groups).toEqual({
      all: ['node1.example.lan', 'node2.example.lan', 'node3.example.lan'],
      ungrouped: [],
      pg: ['node1.example.lan', 'node2.example.lan', 'node3.example.lan'],
      primary: ['node1.example.lan'],
      standby: ['node2.example.lan', 'node3.example.lan'],
    })
    expect(m.ansible_check_mode).toBe(true)
    expect(m.ansible_play_hosts).toEqual(['node1.example.lan', 'node2.example.lan'])
    expect(m.play_hosts).toEqual(m.ansible_play_hosts)
  })

  it('lets templates and conditions read other hosts through hostvars', () => {
    const v = buildHostVars({ ...empty, magic: m })
    expect(renderString("{{ hostvars[groups.primary | first]['ansible_host'] }}", v, 't')).toBe('10.0.0.1')
    expect(renderValue("{{ hostvars['node3.example.lan'].node_id }}", v, 't')).toBe('3')
    expect(evaluateCondition("hostvars[groups['primary'][0]].ansible_host == '10.0.0.1'", v)).toBe(true)
    expect(evaluateCondition("hostvars['nope'] is undefined", v)).toBe(true)
  })

  it('resolves hostvars lazily through the engine resolver, which sees later changes', () => {
    const registered: Record<string, Record<string, unknown>> = {}
    const calls: string[] = []
    const resolver = (h: string) => {
      calls.push(h)
      return { ...inv.hosts.get(h)!.vars, ...registered[h] }
    }
    const mv = magicVars(inv, 'node1.example.lan', [], false, resolver)
    expect(calls).toEqual([])
    registered['node2.example.lan'] = { repmgr_node_id: 2 }
    expect(evaluateCondition("hostvars['node2.example.lan'].repmgr_node_id == 2", buildHostVars({ ...empty, magic: mv }))).toBe(true)
    expect(calls).toEqual(['node2.example.lan'])
  })

  it('stays cheap with 20 hosts: the view is shared, nothing is copied per task', () => {
    const big = inventory(20)
    const a = magicVars(big, 'node1.example.lan', [], false)
    const b = magicVars(big, 'node7.example.lan', [], false)
    expect(a.hostvars).toBe(b.hostvars)
    expect(a.groups).toBe(b.groups)
    expect(Object.keys(a.hostvars as object)).toHaveLength(20)
  })
})

describe('MAGIC_VARIABLES', () => {
  it('lists every name magicVars defines, and item', async () => {
    const { MAGIC_VARIABLES } = await import('../../src/vars/index.js')
    const names = Object.keys(magicVars(inventory(1), 'node1.example.lan', [], false, undefined, { playbookDir: '/srv/play' }))
    expect([...MAGIC_VARIABLES].sort()).toEqual([...names, 'item'].sort())
  })
})
