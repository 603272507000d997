import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInventory, type Inventory } from '../../src/inventory/index.js'
import { FIXTURES, problems, writeTree } from './helpers.js'

/** What a user compares between two inventories: members, children, groups and variables. */
function shape(inv: Inventory): unknown {
  return {
    hosts: Object.fromEntries([...inv.hosts.values()].map((h) => [h.name, { groups: h.groups, vars: h.vars }])),
    groups: Object.fromEntries([...inv.groups.values()].map((g) => [g.name, { hosts: [...g.hosts].sort(), children: [...g.children].sort(), vars: g.vars }])),
  }
}

describe('YAML inventory', () => {
  it('reads the YAML form of the guide\'s examples exactly as the INI form', () => {
    const yaml = loadInventory(join(FIXTURES, 'ansible-docs', 'hosts.yml'))
    const ini = loadInventory(join(FIXTURES, 'ansible-docs', 'hosts.ini'))
    expect(yaml.hosts.size).toBe(68)
    expect(shape(yaml)).toEqual(shape(ini))
    expect(yaml.hosts.get('host2')!.loc).toMatchObject({ line: 40, col: 17 })
  })

  it('reads JSON, a file without extension by its content, and strings for hosts and children', () => {
    const dir = writeTree({
      'hosts.json': JSON.stringify({ all: { children: { db: { hosts: { db1: { ansible_host: '10.0.0.1' } } } } } }),
      'hosts': '# YAML without an extension\nall:\n  children:\n    db:\n      hosts: db1\n    pg:\n      children: db\n',
      'plain': 'db1 ansible_port=2222\n',
    })
    expect(loadInventory(join(dir, 'hosts.json')).hosts.get('db1')!.vars).toEqual({ ansible_host: '10.0.0.1' })
    const sniffed = loadInventory(join(dir, 'hosts'))
    expect(sniffed.groups.get('pg')!.hosts).toEqual(['db1'])
    expect(sniffed.hosts.get('db1')!.groups).toEqual(['db', 'pg'])
    expect(loadInventory(join(dir, 'plain')).hosts.get('db1')!.vars).toEqual({ ansible_port: 2222 })
  })

  it('puts hosts written under all: in ungrouped, and keeps YAML 1.1 types as Ansible reads them', () => {
    const dir = writeTree({ 'i.yml': 'all:\n  hosts:\n    solo:\n      on: true\n      n: "5"\n      m: 0644\n  vars:\n    ansible_user: postgres\n' })
    const inv = loadInventory(join(dir, 'i.yml'))
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['solo'])
    // `on:` is YAML 1.1's true: ansible-inventory --host solo shows the key "true"
    expect(inv.hosts.get('solo')!.vars).toEqual({ ansible_user: 'postgres', true: true, n: '5', m: 420 })
  })

  it('reports every wrong shape at its position', () => {
    const dir = writeTree({
      'i.yml': [
        'all:',
        '  hosts:',
        '    - host1',
        '  children:',
        '    web:',
        '      host:',
        '        web1:',
        '    db:',
        '      hosts:',
        '        db1: 5432',
        '        db[3:1]:',
        '      vars: [a, b]',
        '    bad: 5',
      ].join('\n'),
    })
    expect(problems(() => loadInventory(join(dir, 'i.yml')), dir)).toEqual([
      "i.yml:3:5: 'hosts' of group 'all' must be a mapping, found a list (write each name as a key ending in ':', not as a list item)",
      "i.yml:6:7: unknown key 'host' in group 'web': expected hosts, vars or children",
      "i.yml:10:14: host 'db1' must have a mapping of variables or nothing, found the number 5432",
      "i.yml:11:11: bad host range '[3:1]': begin is greater than end",
      "i.yml:12:13: 'vars' of group 'db' must be a mapping, found a list",
      "i.yml:13:10: group 'bad' must be a mapping with hosts, vars or children, found the number 5",
    ])
  })

  it('refuses a document that is not a mapping of groups, and YAML syntax errors', () => {
    const dir = writeTree({ 'list.yml': '- web1\n- web2\n', 'syntax.yml': 'all:\n  hosts:\n    a: [1\n' })
    expect(problems(() => loadInventory(join(dir, 'list.yml')), dir)).toEqual([
      "list.yml:1:1: a YAML inventory is a mapping of group names (such as 'all:'), found a list",
    ])
    expect(problems(() => loadInventory(join(dir, 'syntax.yml')), dir)[0]).toMatch(/^syntax\.yml:\d+:\d+: YAML syntax error/)
  })

  it('refuses a cycle of children where the closing child is written', () => {
    const dir = writeTree({ 'c.yml': 'a:\n  children:\n    b:\nb:\n  children:\n    a:\n' })
    expect(problems(() => loadInventory(join(dir, 'c.yml')), dir)).toEqual([
      "c.yml:6:5: group 'a' cannot be a child of 'b': that makes a cycle (a -> b -> a)",
    ])
  })
})
