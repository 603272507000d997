import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInventory } from '../../src/inventory/index.js'
import { FIXTURES, located, problems, writeTree } from './helpers.js'

const PRECEDENCE = join(FIXTURES, 'precedence')

describe('variable precedence', () => {
  const inv = loadInventory(join(PRECEDENCE, 'hosts.ini'))

  it('lets host_vars/ beat inline host vars, which beat every group', () => {
    expect(inv.hosts.get('node1')!.vars.level).toBe('host-file')
  })

  it('reads every file of a group_vars/<group>/ directory, later files winning', () => {
    expect(inv.hosts.get('node2')!.vars).toMatchObject({ level: 'child-file-second', first_only: 1 })
  })

  it('puts every group_vars/ file above every inline [g:vars], as Ansible does', () => {
    expect(inv.hosts.get('node2')!.vars.inline_vs_file).toBe('all-file')
    expect(inv.hosts.get('node1')!.vars.from_all_file).toBe(true)
  })

  it('orders groups of the same depth by name, the later name winning', () => {
    expect(inv.hosts.get('node2')!.vars.same_depth).toBe('zzz')
    expect(inv.hosts.get('node2')!.groups).toEqual(['aaa', 'child', 'parent', 'zzz'])
  })

  it('gives each group its own inline and file variables merged', () => {
    expect(inv.groups.get('child')!.vars).toEqual({ level: 'child-file-second', inline_vs_file: 'child-inline', first_only: 1 })
    expect(inv.groups.get('all')!.vars).toEqual({ level: 'all-inline', inline_vs_file: 'all-file', from_all_file: true })
  })

  it('warns about host_vars for unknown hosts, shadowed files and inline vars a group_vars file overrides', () => {
    const rank = '(group_vars/ files rank above the inventory\'s own variables, as in Ansible): set it there instead'
    expect(located(inv.warnings ?? [], PRECEDENCE)).toEqual([
      'group_vars/zzz.json:1:1: group_vars/zzz.json is ignored: group_vars/zzz.yml defines group \'zzz\' (as in Ansible, only the first is read)',
      "host_vars/nobody.yml:1:1: host_vars/nobody.yml is for host 'nobody', which is not in the inventory; it is not read",
      `hosts.ini:19:1: inline_vs_file is set here for group 'child', but ${join(PRECEDENCE, 'group_vars/all.yml')}:1:1 sets it too and wins ${rank}`,
      `hosts.ini:18:1: level is set here for group 'child', but ${join(PRECEDENCE, 'group_vars/child/20-second.yaml')}:1:1 sets it too and wins ${rank}`,
    ])
    expect(inv.hosts.get('node2')!.vars).toMatchObject({ zzz_file: 'yes-read' })
    expect(inv.hosts.get('node2')!.vars).not.toHaveProperty('from_json')
  })

  it('neither reads nor warns about group_vars of a group the inventory does not have (another inventory\'s)', () => {
    expect(inv.groups.has('ghost')).toBe(false)
    expect(inv.hosts.get('node1')!.vars).not.toHaveProperty('nobody')
    expect((inv.warnings ?? []).map((w) => w.message).join('\n')).not.toContain('ghost')
  })

  it('warns once, naming both places, when a group_vars file overrides an inline all: vars value for many hosts', () => {
    const dir = writeTree({
      'prod.yml': 'all:\n  vars:\n    pg_data: /srv/data\n    only_inline: 1\n  hosts:\n    a:\n    b:\n    c:\n      pg_data: /c/data\n',
      'group_vars/all.yml': '# defaults\npg_data: /home/postgres/data\n',
    })
    const loaded = loadInventory(join(dir, 'prod.yml'))
    expect(located(loaded.warnings ?? [], dir)).toEqual([
      `prod.yml:3:5: pg_data is set here for group 'all', but ${join(dir, 'group_vars/all.yml')}:2:1 sets it too and wins (group_vars/ files rank above the inventory's own variables, as in Ansible): set it there instead`,
    ])
    expect(loaded.hosts.get('a')!.vars).toMatchObject({ pg_data: '/home/postgres/data', only_inline: 1 })
    // A host variable is above both: c gets its own value, and that is no surprise to warn about.
    expect(loaded.hosts.get('c')!.vars.pg_data).toBe('/c/data')
  })

  it('lets a deeper group beat its parent, and ansible_group_priority reorder groups of one depth', () => {
    // high (depth 2, under top) beats top and zz (depth 1), though zz sorts later by name.
    const dir = writeTree({ 'h.ini': '[zz]\nn1\n[zz:vars]\nx=zz\n[high]\nn1\n[high:vars]\nx=high\n[top:children]\nhigh\n[top:vars]\nx=top\n' })
    expect(loadInventory(join(dir, 'h.ini')).hosts.get('n1')!.vars.x).toBe('high')
    // a's priority 10 puts it after b, though b sorts later by name.
    const same = writeTree({ 'h.ini': '[a]\nn1\n[a:vars]\nx=a\nansible_group_priority=10\n[b]\nn1\n[b:vars]\nx=b\n' })
    expect(loadInventory(join(same, 'h.ini')).hosts.get('n1')!.vars.x).toBe('a')
  })
})

describe('inventory directories', () => {
  it('reads every inventory file in name order and the vars directories inside it', () => {
    const dir = writeTree({
      '01-hosts.ini': '[db]\nnode1 x=ini\n',
      '02-more.yml': 'db:\n  hosts:\n    node1:\n      x: yaml\n    node2:\n',
      'group_vars/db.yml': 'port: 5432\n',
      'README.md': 'not an inventory',
      'lab.known_hosts': 'node1,10.0.0.1 ssh-ed25519 AAAA\n',
      'ansible.cfg': '[defaults]\n',
    })
    const inv = loadInventory(dir)
    expect(inv.source).toBe(dir)
    expect([...inv.hosts.keys()]).toEqual(['node1', 'node2'])
    expect(inv.hosts.get('node1')!.vars).toEqual({ x: 'yaml', port: 5432 })
    expect(inv.warnings).toBeUndefined()
  })

  it('refuses a directory without inventory files', () => {
    const dir = writeTree({ 'group_vars/all.yml': 'a: 1\n' })
    expect(problems(() => loadInventory(dir), dir)).toEqual([`inventory directory ${dir} holds no inventory file`])
  })
})

describe('vars file errors', () => {
  it('reports bad vars files at their position, all at once', () => {
    const dir = writeTree({
      'hosts': '[db]\nnode1\n',
      'group_vars/all.yml': '- not\n- a mapping\n',
      'group_vars/db.yml': 'a: 1\na: 2\n',
      'host_vars/node1': '$ANSIBLE_VAULT;1.1;AES256\n6162\n',
    })
    const found = problems(() => loadInventory(join(dir, 'hosts')), dir)
    expect(found).toHaveLength(3)
    expect(found[0]).toBe('group_vars/all.yml:1:1: a vars file holds a mapping of variable names, found a list')
    expect(found[1]).toMatch(/^group_vars\/db\.yml:2:1: duplicate key/)
    expect(found[2]).toMatch(/^host_vars\/node1:1:1: cannot decrypt .*host_vars\/node1; it is encrypted with Ansible Vault and no vault password was given/)
  })
})
