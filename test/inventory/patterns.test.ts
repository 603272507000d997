import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkPattern, loadInventory, selectHosts } from '../../src/inventory/index.js'
import { writeTree } from './helpers.js'

const dir = writeTree({
  'hosts.ini': [
    'mail',
    '[webservers]',
    'web1',
    'web2',
    '[dbservers]',
    'db-a',
    'db-b',
    'db-c',
    'node10',
    '[staging]',
    'web2',
    'db-b',
    '[pg:children]',
    'dbservers',
    '[nodes]',
    'node[1:3]',
  ].join('\n'),
})
const inv = loadInventory(join(dir, 'hosts.ini'))
const sel = (p: string | string[]): string[] => selectHosts(inv, p)
const ALL = ['mail', 'web1', 'web2', 'db-a', 'db-b', 'db-c', 'node10', 'node1', 'node2', 'node3']

describe('selectHosts', () => {
  it('selects everything with all or *', () => {
    expect(sel('all')).toEqual(ALL)
    expect(sel('*')).toEqual(ALL)
  })

  it('selects a group (with its children\'s hosts), a host, and ungrouped', () => {
    expect(sel('webservers')).toEqual(['web1', 'web2'])
    expect(sel('pg')).toEqual(['db-a', 'db-b', 'db-c', 'node10'])
    expect(sel('db-b')).toEqual(['db-b'])
    expect(sel('ungrouped')).toEqual(['mail'])
  })

  it('matches globs against group and host names', () => {
    expect(sel('node*')).toEqual(['node10', 'node1', 'node2', 'node3'])
    expect(sel('db-?')).toEqual(['db-a', 'db-b', 'db-c'])
    expect(sel('db-[ac]')).toEqual(['db-a', 'db-c'])
    expect(sel('db-[!ac]')).toEqual(['db-b'])
    expect(sel('*servers')).toEqual(['web1', 'web2', 'db-a', 'db-b', 'db-c', 'node10'])
  })

  it('matches ~regexes from the start of the name', () => {
    expect(sel('~^node[0-9]$')).toEqual(['node1', 'node2', 'node3'])
    expect(sel('~web')).toEqual(['web1', 'web2'])
    expect(sel('~eb')).toEqual([])
    expect(sel('~(?P<n>node)1')).toEqual(['node10', 'node1'])
  })

  it('unites with : and , and returns hosts in inventory order', () => {
    expect(sel('dbservers:webservers')).toEqual(['web1', 'web2', 'db-a', 'db-b', 'db-c', 'node10'])
    expect(sel('node2,mail')).toEqual(['mail', 'node2'])
    expect(sel(['node2', 'mail'])).toEqual(['mail', 'node2'])
  })

  it('intersects with & and excludes with !, in any written order', () => {
    expect(sel('webservers:&staging')).toEqual(['web2'])
    expect(sel('pg:!staging')).toEqual(['db-a', 'db-c', 'node10'])
    expect(sel('!staging:pg')).toEqual(['db-a', 'db-c', 'node10'])
    expect(sel('all:!pg:&staging')).toEqual(['web2'])
    expect(sel('webservers,dbservers,&staging,!web2')).toEqual(['db-b'])
  })

  it('starts from all when a pattern only excludes or intersects', () => {
    expect(sel('!pg:!nodes')).toEqual(['mail', 'web1', 'web2'])
    expect(sel('&staging')).toEqual(['web2', 'db-b'])
  })

  it('keeps ranges in brackets together and applies [i] / [i:j] subscripts (inclusive)', () => {
    expect(sel('dbservers[0]')).toEqual(['db-a'])
    expect(sel('dbservers[-1]')).toEqual(['node10'])
    expect(sel('dbservers[1:2]')).toEqual(['db-b', 'db-c'])
    expect(sel('dbservers[2:]:webservers[0]')).toEqual(['web1', 'db-c', 'node10'])
    expect(sel('dbservers[9]')).toEqual([])
  })

  it('returns [] for what matches nothing, and for an empty pattern', () => {
    expect(sel('nosuch')).toEqual([])
    expect(sel('')).toEqual([])
    expect(sel('~[')).toEqual([])
  })
})

describe('checkPattern', () => {
  const loc = { file: 'site.yml', line: 3, col: 10 }

  it('accepts patterns whose every part names something', () => {
    expect(checkPattern(inv, 'pg:!staging:&node*', loc)).toBeUndefined()
    expect(checkPattern(inv, ['all'], loc)).toBeUndefined()
  })

  it('names each unknown part, suggests a near name, lists the groups, and keeps the location', () => {
    const err = checkPattern(inv, 'dbserver:webservers:!stagin', loc)!
    expect(err.message).toBe(
      "no host or group matches 'dbserver', 'stagin' (did you mean 'dbservers', 'staging'?) (known groups: all, ungrouped, webservers, dbservers, staging, pg, nodes)",
    )
    expect(err.loc).toEqual(loc)
  })

  it('selects the implicit localhost by its names only, as Ansible does: no group, no glob and no regex has it', () => {
    expect(checkPattern(inv, 'localhost')).toBeUndefined()
    expect(sel('localhost')).toEqual(['localhost'])
    expect(sel('127.0.0.1')).toEqual(['localhost'])
    expect(sel('::1')).toEqual(['localhost'])
    expect(sel('webservers:localhost')).toEqual(['web1', 'web2', 'localhost'])
    for (const p of ['all', '*', 'local*', '~.*', 'ungrouped', 'all:!mail']) expect(sel(p)).not.toContain('localhost')
    expect(sel('localhost:!localhost')).toEqual([])
    expect(inv.groups.get('all')!.hosts).not.toContain('localhost')
  })

  it('has no implicit localhost when the inventory lists the controller under one of its names', () => {
    const d = writeTree({ 'h.ini': '[ctl]\n127.0.0.1 ansible_connection=local\n' })
    const i = loadInventory(join(d, 'h.ini'))
    expect(i.implicitLocalhost).toBeUndefined()
    expect(selectHosts(i, '127.0.0.1')).toEqual(['127.0.0.1'])
    expect(checkPattern(i, 'localhost')?.message).toMatch(/^no host or group matches 'localhost'/)
  })

  it('refuses an empty pattern, a bad regex and a subscript past the end', () => {
    expect(checkPattern(inv, ' ', loc)!.message).toBe('the host pattern is empty: name a group, a host or all')
    expect(checkPattern(inv, '~(', loc)!.message).toMatch(/^'~\(' is not a valid regular expression: /)
    expect(checkPattern(inv, 'webservers[5]', loc)!.message).toBe("'webservers[5]' selects nothing: the subscript is past the webservers hosts")
  })
})

describe('a name that is both a host and a group', () => {
  it('selects the group, as Ansible does, and warns when loading', () => {
    const d = writeTree({ 'h.ini': 'db\n[db]\npg1\npg2\n' })
    const i = loadInventory(join(d, 'h.ini'))
    expect(selectHosts(i, 'db')).toEqual(['pg1', 'pg2'])
    expect(i.warnings!.map((w) => w.message)).toEqual(["'db' is both a host and a group; patterns naming it select the group"])
  })
})

describe('a host list given to -i', () => {
  it('makes each name between commas a host of ungrouped, with its port, as Ansible\'s host_list does', () => {
    const i = loadInventory('web1, db1:2222,[2001:db8::1]:2200,web[1:3],,')
    expect([...i.hosts.keys()]).toEqual(['web1', 'db1', '2001:db8::1', 'web[1:3]'])
    expect(i.groups.get('ungrouped')!.hosts).toEqual(['web1', 'db1', '2001:db8::1', 'web[1:3]'])
    expect(i.hosts.get('db1')!.vars).toEqual({ ansible_port: 2222 })
    expect(i.hosts.get('2001:db8::1')!.vars).toEqual({ ansible_port: 2200 })
    expect(i.implicitLocalhost).toMatchObject({ name: 'localhost', implicit: true, vars: { ansible_connection: 'local' } })
  })

  it('lists localhost itself when named, which then is in all like any other host', () => {
    const i = loadInventory('localhost,')
    expect(selectHosts(i, 'all')).toEqual(['localhost'])
    expect(i.implicitLocalhost).toBeUndefined()
  })

  it('refuses a list without a name, and a path without a comma is a missing file', () => {
    expect(() => loadInventory(' , ,')).toThrow(/the host list names no host/)
    expect(() => loadInventory('no-such-inventory')).toThrow(/inventory no-such-inventory not found/)
  })
})
