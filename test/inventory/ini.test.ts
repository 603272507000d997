import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInventory } from '../../src/inventory/index.js'
import { FIXTURES, problems, writeTree } from './helpers.js'

describe('INI inventory: the examples of Ansible\'s inventory guide', () => {
  const inv = loadInventory(join(FIXTURES, 'ansible-docs', 'hosts.ini'))

  it('puts hosts before any section in ungrouped, and every host in all', () => {
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['mail.example.com'])
    expect(inv.groups.get('all')!.hosts).toHaveLength(68)
    expect(inv.hosts.get('mail.example.com')!.groups).toEqual([])
  })

  it('lists the hosts of each group in the order written', () => {
    expect(inv.groups.get('webservers')!.hosts).toEqual(['foo.example.com', 'bar.example.com'])
    expect(inv.groups.get('dbservers')!.hosts).toEqual(['one.example.com', 'two.example.com', 'three.example.com'])
  })

  it('expands numeric ranges keeping leading zeros, and letter ranges', () => {
    const www = inv.groups.get('www')!.hosts
    expect(www).toHaveLength(50)
    expect([www[0], www[8], www[9], www[49]]).toEqual(['www01.example.com', 'www09.example.com', 'www10.example.com', 'www50.example.com'])
    expect(inv.groups.get('databases')!.hosts).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `db-${l}.example.com`))
  })

  it('reads host:port as ansible_port and inline vars as Python literals', () => {
    expect(inv.hosts.get('host2')!.vars).toMatchObject({ ansible_port: 5309, http_port: 303, maxRequestsPerChild: 909 })
    expect(inv.hosts.get('host1')!.vars).toMatchObject({ http_port: 80, maxRequestsPerChild: 808 })
    expect(inv.hosts.get('host1')!.vars).not.toHaveProperty('ansible_port')
    expect(inv.hosts.get('other1.example.com')!.vars).toEqual({ ansible_connection: 'ssh', ansible_user: 'myuser' })
  })

  it('gives children the hosts and variables of their parents, nested', () => {
    expect(inv.groups.get('southeast')!.children).toEqual(['atlanta', 'raleigh'])
    expect(inv.groups.get('southeast')!.hosts).toEqual(['host1', 'host2', 'host3'])
    expect(inv.groups.get('usa')!.hosts).toEqual(['host1', 'host2', 'host3'])
    expect(inv.hosts.get('host3')!.vars).toEqual({
      some_server: 'foo.southeast.example.com', halon_system_timeout: 30, self_destruct_countdown: 60, escape_pods: 2,
    })
    expect(inv.hosts.get('host2')!.groups).toEqual(['atlanta', 'raleigh', 'southeast', 'usa'])
  })

  it('makes top-level groups children of all, and keeps empty declared groups', () => {
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'webservers', 'dbservers', 'www', 'databases', 'targets', 'usa'])
    expect(inv.groups.get('northeast')!.hosts).toEqual([])
  })

  it('records where each host is first written', () => {
    expect(inv.hosts.get('host2')!.loc).toMatchObject({ line: 26, col: 1 })
    expect(inv.hosts.get('www07.example.com')!.loc).toMatchObject({ line: 14, col: 1 })
  })
})

describe('INI values and syntax', () => {
  const dir = writeTree({
    'hosts': [
      '; a comment',
      '[app]',
      `  web1 int=5 t=True lower=true spaced='x y' list="[1, 'a']" zero_lead=0123 float=1.5 dict="{'k': 1}" none=None upper=FALSE hex=0x10 quote="it's" empty=`,
      'web2 a=b#comment',
      'web3   a=1   # a comment',
      'web4 spaced=x\\ y dq="say \\"hi\\"" sq=\'no \\ escape\'',
      '[app:vars]',
      'port = 5432 # a comment',
      'name = foo # not a comment in Ansible',
      'quoted = "5"',
      'flag=True',
      'path=/var/lib/pgsql',
    ].join('\n'),
  })
  const inv = loadInventory(join(dir, 'hosts'))

  it('converts host-line values like Ansible (Python literals, else text)', () => {
    expect(inv.hosts.get('web1')!.vars).toMatchObject({
      int: 5, t: true, lower: 'true', spaced: 'x y', list: [1, 'a'], zero_lead: '0123', float: 1.5,
      dict: { k: 1 }, none: null, upper: 'FALSE', hex: 16, quote: "it's", empty: '',
    })
  })

  it('ends a host line at #, even inside a word', () => {
    expect(inv.hosts.get('web2')!.vars).toEqual({ a: 'b', port: 5432, name: 'foo # not a comment in Ansible', quoted: '5', flag: true, path: '/var/lib/pgsql' })
    expect(inv.hosts.get('web3')!.vars.a).toBe(1)
  })

  it('splits host lines like a shell: backslash escapes, escapes inside double quotes only', () => {
    expect(inv.hosts.get('web4')!.vars).toMatchObject({ spaced: 'x y', dq: 'say "hi"', sq: 'no \\ escape' })
  })

  it('accepts IPv6 addresses with a port', () => {
    const v6 = writeTree({ 'h.ini': '[db]\n[2001:db8::1]:2222 ansible_user=pg\nfe80::1\n' })
    const inv6 = loadInventory(join(v6, 'h.ini'))
    expect([...inv6.hosts.keys()]).toEqual(['2001:db8::1', 'fe80::1'])
    expect(inv6.hosts.get('2001:db8::1')!.vars).toEqual({ ansible_port: 2222, ansible_user: 'pg' })
  })

  it('lets a later mention of a host add to and override its variables', () => {
    const d = writeTree({ 'h.ini': '[a]\nn1 x=1 y=1\n[b]\nn1 y=2\n' })
    const i = loadInventory(join(d, 'h.ini'))
    expect(i.hosts.get('n1')!.vars).toEqual({ x: 1, y: 2 })
    expect(i.hosts.get('n1')!.groups).toEqual(['a', 'b'])
    expect(i.groups.get('ungrouped')!.hosts).toEqual([])
  })

  it('accepts a [g:vars] or [g:children] before the [g] section that declares g', () => {
    const d = writeTree({ 'h.ini': '[pg:children]\nprimary\n[primary:vars]\nrole=primary\n[primary]\nn1\n' })
    const i = loadInventory(join(d, 'h.ini'))
    expect(i.hosts.get('n1')!.vars).toEqual({ role: 'primary' })
    expect(i.hosts.get('n1')!.groups).toEqual(['pg', 'primary'])
  })
})

describe('INI errors: all of them at once, each at file:line:col', () => {
  it('reports every malformed line of a file', () => {
    const dir = writeTree({
      'hosts.ini': [
        '[web]',
        'host1 port',
        'host2 ansible_port="22',
        'node[3:1]',
        '[web:bogus]',
        '[db servers]',
        '[web:vars]',
        'novalue',
        '[web:children]',
        'missing',
        '[ghost:vars]',
        'x=1',
        '[a:children]',
        'b',
        '[b:children]',
        'a',
        '[c]',
        '  spaced: a=1',
        'ends:',
      ].join('\n'),
    })
    expect(problems(() => loadInventory(join(dir, 'hosts.ini')), dir)).toEqual([
      "hosts.ini:2:7: expected key=value host variable after the host name, got 'port'",
      'hosts.ini:3:20: no closing quotation in host line',
      "hosts.ini:4:5: bad host range '[3:1]': begin is greater than end",
      "hosts.ini:5:6: unknown section type ':bogus' in [web:bogus]: expected [web], [web:vars] or [web:children]",
      'hosts.ini:6:1: invalid section header [db servers]: expected [group], [group:vars] or [group:children], and a group name has no spaces or \':\'',
      "hosts.ini:8:1: expected key=value in [web:vars], got 'novalue'",
      "hosts.ini:18:9: host 'spaced:' ends in ':' but has no port after it",
      "hosts.ini:19:5: host 'ends:' ends in ':' but has no port after it",
      "hosts.ini:10:1: [web:children] names group 'missing', which is never defined: add a [missing] section (empty is fine) or fix the name",
      'hosts.ini:11:2: [ghost:vars] is for a group that is never defined: add a [ghost] section or fix the name',
      "hosts.ini:16:1: group 'a' cannot be a child of 'b': that makes a cycle (a -> b -> a)",
    ])
  })

  it('refuses a group that is its own child, and all as a child', () => {
    const dir = writeTree({ 'h.ini': '[a:children]\na\n[b:children]\nall\n' })
    expect(problems(() => loadInventory(join(dir, 'h.ini')), dir)).toEqual([
      "h.ini:4:1: group 'all' cannot be a child of 'b': every group is already in 'all'",
      "h.ini:2:1: group 'a' cannot be a child of 'a': that makes a cycle (a -> a)",
    ])
  })

  it('shows the line and a caret under the column', () => {
    const dir = writeTree({ 'h.ini': '[web]\nweb1 ok=1 broken\n' })
    try {
      loadInventory(join(dir, 'h.ini'))
      expect.unreachable()
    } catch (err) {
      expect((err as Error).message).toBe(
        `${join(dir, 'h.ini')}:2:11: expected key=value host variable after the host name, got 'broken'\n  2 | web1 ok=1 broken\n${' '.repeat(16)}^`,
      )
    }
  })

  it('names a missing inventory', () => {
    expect(problems(() => loadInventory('/nonexistent/pgha/hosts'), '/')).toEqual(['inventory /nonexistent/pgha/hosts not found'])
  })
})
