// The authentication files a DBA reviews before a run, rendered from the production example with the
// variables that change them: pg_hba.conf for trust (the article's setup), TLS, other addresses and the
// operator's own entries; postgres's .pgpass with a password holding .pgpass's special characters.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pgha, PRODUCTION, readTree, repmgrHbaRows, tempDir } from './helpers.js'

const root = tempDir('auth')
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** The rules of a rendered pg_hba.conf, one array of fields per line, comments and blank lines left out. */
async function hbaRows(name: string, vars: Record<string, unknown>): Promise<string[][]> {
  const out = join(root, name)
  const r = await pgha(['render', '-i', PRODUCTION, '--out', out, '-l', 'node1', '-e', JSON.stringify(vars)])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return readTree(join(out, 'node1'))['home/postgres/data/pg_hba.conf'].text
    .split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/))
}

describe('pgha render: authentication', () => {
  it("repmgr_auth_method=trust gives the article's lines: no password from the socket, loopback and each node", async () => {
    const rows = await hbaRows('trust', { repmgr_auth_method: 'trust' })
    expect(rows).toEqual([
      ['local', 'all', 'postgres', 'peer'],
      ['local', 'replication', 'repmgr', 'trust'],
      ['host', 'replication', 'repmgr', '127.0.0.1/32', 'trust'],
      ['local', 'repmgr', 'repmgr', 'trust'],
      ['host', 'repmgr', 'repmgr', '127.0.0.1/32', 'trust'],
      ...repmgrHbaRows(['192.168.100.151/32', '192.168.100.152/32'], 'trust'),
    ])
  })

  it('pgha_tls, IPv6 and CIDR addresses, and the operator entries: hostssl for repmgr, /128 for a bare IPv6 address, extra lines last', async () => {
    const rows = await hbaRows('tls', {
      pgha_tls: true,
      repmgr_hba_addresses: ['10.1.0.0/24', 'fd00:1::7', 'fd00:2::/64'],
      pg_hba_extra_entries: [
        { type: 'hostssl', database: 'app', user: 'app', address: '10.2.0.0/16', method: 'scram-sha-256' },
        { type: 'local', database: 'all', user: 'monitor', method: 'peer', options: 'map=monitor' },
      ],
    })
    expect(rows).toEqual([
      ['local', 'all', 'postgres', 'peer'],
      ...repmgrHbaRows(['10.1.0.0/24', 'fd00:1::7/128', 'fd00:2::/64'], 'scram-sha-256', 'hostssl'),
      ['hostssl', 'app', 'app', '10.2.0.0/16', 'scram-sha-256'],
      ['local', 'all', 'monitor', 'peer', 'map=monitor'],
    ])
  })

  it('pg_hba_exclude (remove-node.yml) leaves a node of the inventory out of pg_hba.conf', async () => {
    const rows = await hbaRows('exclude', { pg_hba_exclude: ['node2'] })
    expect(rows).toEqual([['local', 'all', 'postgres', 'peer'], ...repmgrHbaRows(['192.168.100.151/32'], 'scram-sha-256')])
  })

  it('pgha_tls: the server gets ssl = on with the certificate and key in pgha_tls_dir', async () => {
    const out = join(root, 'tls-conf')
    expect((await pgha(['render', '-i', PRODUCTION, '--out', out, '-l', 'node1', '-e', 'pgha_tls=true'])).code).toBe(0)
    const conf = readTree(join(out, 'node1'))['home/postgres/data/postgresql.conf'].text
    expect(conf).toMatch(/^ssl = on$/m)
    expect(conf).toMatch(/^ssl_cert_file = '\/home\/postgres\/tls\/server.crt'$/m)
    expect(conf).toMatch(/^ssl_key_file = '\/home\/postgres\/tls\/server.key'$/m)
  })

  it(".pgpass holds the password as it is, and a password .pgpass would need escaped is refused without being shown", async () => {
    const out = join(root, 'pgpass')
    expect((await pgha(['render', '-i', PRODUCTION, '--out', out, '-e', JSON.stringify({ repmgr_password: 'S3cr3t+pw/=' })])).code).toBe(0)
    const pgpass = readTree(join(out, 'node2'))['home/postgres/.pgpass']
    expect(pgpass.mode).toBe('0600')
    expect(pgpass.text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([
      'node1:5432:*:repmgr:S3cr3t+pw/=',
      '192.168.100.151:5432:*:repmgr:S3cr3t+pw/=',
      'node2:5432:*:repmgr:S3cr3t+pw/=',
      '192.168.100.152:5432:*:repmgr:S3cr3t+pw/=',
    ])
    const bad = await pgha(['render', '-i', PRODUCTION, '--out', join(root, 'pgpass-bad'), '-e', JSON.stringify({ repmgr_password: 'colon:pass' })])
    expect(bad.code).not.toBe(0)
    expect(bad.stdout + bad.stderr).toContain("a value for ~/.pgpass cannot hold ':'")
    expect(bad.stdout + bad.stderr).not.toContain('colon:pass')
  })
})
