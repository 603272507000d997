import { join } from 'node:path'
import { parse } from 'yaml'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index.js'
import { FIXTURES, writeTree } from './helpers.js'

let out = ''
let err = ''
beforeEach(() => {
  out = ''
  err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
})
afterEach(() => {
  vi.restoreAllMocks()
})
const pgha = (...args: string[]): Promise<number> => main(['node', 'pgha', 'inventory', ...args])

describe('pgha inventory', () => {
  const dir = writeTree({
    'hosts.yml': 'all:\n  vars:\n    repmgr_password: hunter2\n    secret_vars: [wal_key]\n  children:\n    pg:\n      hosts:\n        pg1:\n          wal_key: abc\n        pg2:\n',
  })

  it('prints hosts, groups and resolved variables as YAML, secrets masked', async () => {
    expect(await pgha('-i', join(dir, 'hosts.yml'))).toBe(0)
    const doc = parse(out)
    expect(doc.hosts.pg1).toEqual({ groups: ['pg'], vars: { repmgr_password: '********', secret_vars: ['wal_key'], wal_key: '********' } })
    expect(doc.groups.pg).toEqual({ hosts: ['pg1', 'pg2'], children: [], vars: {} })
    expect(doc.groups.all.children).toEqual(['pg', 'ungrouped'])
    expect(out).not.toContain('hunter2')
    expect(out).not.toContain('abc')
  })

  it('prints JSON, limited by a pattern', async () => {
    expect(await pgha('-i', join(FIXTURES, 'ansible-docs', 'hosts.ini'), '--limit', 'southeast:!host3', '-o', 'json')).toBe(0)
    const doc = JSON.parse(out)
    expect(Object.keys(doc.hosts)).toEqual(['host1', 'host2'])
    expect(Object.keys(doc.groups)).toEqual(['all', 'atlanta', 'raleigh', 'southeast', 'usa'])
    expect(doc.groups.raleigh.hosts).toEqual(['host2'])
  })

  it('prints one host\'s variables with --host', async () => {
    expect(await pgha('-i', join(dir, 'hosts.yml'), '--host', 'pg2', '-o', 'json')).toBe(0)
    expect(JSON.parse(out)).toEqual({ repmgr_password: '********', secret_vars: ['wal_key'] })
  })

  it('prints warnings on stderr', async () => {
    expect(await pgha('-i', join(FIXTURES, 'precedence', 'hosts.ini'))).toBe(0)
    expect(err).toContain("WARNING: ")
    expect(err).toContain("host_vars/nobody.yml:1:1: host_vars/nobody.yml is for host 'nobody', which is not in the inventory; it is not read")
    expect(err).toMatch(/hosts\.ini:19:1: inline_vs_file is set here for group 'child', but \S+group_vars\/all\.yml:1:1 sets it too and wins/)
    expect(err).not.toContain('ghost')
  })

  it('exits 1 with the located errors of a bad inventory', async () => {
    const bad = writeTree({ 'hosts': '[web]\nweb1 port\n' })
    expect(await pgha('-i', join(bad, 'hosts'))).toBe(1)
    expect(err).toBe(
      `${join(bad, 'hosts')}:2:6: expected key=value host variable after the host name, got 'port'\n  2 | web1 port\n${' '.repeat(11)}^\n\n1 error in the input; no host was contacted.\n`,
    )
    expect(out).toBe('')
  })

  it('exits 1 for a --limit or --host that names nothing', async () => {
    expect(await pgha('-i', join(dir, 'hosts.yml'), '--limit', 'pgg')).toBe(1)
    expect(err).toContain("--limit: no host or group matches 'pgg' (did you mean 'pg'?)")
    err = ''
    expect(await pgha('-i', join(dir, 'hosts.yml'), '--host', 'pg9')).toBe(1)
    expect(err).toContain("--host: no host 'pg9' in the inventory (2 hosts: pg1, pg2)")
  })
})
