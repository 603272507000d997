// `pgha render` on the lab's inventory shape (Debian 12 nodes, PostgreSQL 15 from packages, the lab's
// group_vars): Debian paths in every file. The lab's inventory gives no pgha_render_facts, so the render
// says its facts are unknown and renders both families' files; given them with -e, only Debian's.
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { labInventory, pgha, readTree, tempDir, watchSockets } from './helpers.js'

const inventory = labInventory()
const root = tempDir('lab')
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  rmSync(dirname(inventory), { recursive: true, force: true })
})

const DEBIAN = JSON.stringify({ pgha_render_facts: { os_family: 'Debian', distribution: 'Debian', distribution_major_version: '12', pkg_mgr: 'apt' } })

describe('pgha render on the lab inventory shape', () => {
  it('renders Debian paths (PostgreSQL 15 under /usr/lib/postgresql/15) without connecting', async () => {
    const sockets = watchSockets()
    const out = join(root, 'plain')
    const r = await pgha(['render', '-i', inventory, '--out', out])
    expect(sockets).not.toHaveBeenCalled()
    sockets.mockRestore()
    expect(r.code).toBe(0)
    const tree = readTree(join(out, 'node1'))
    expect(tree['etc/systemd/system/pgserver.service'].text).toMatch(/^ExecStart=\/usr\/lib\/postgresql\/15\/bin\/pg_ctl start -D \/home\/postgres\/data /m)
    expect(tree['usr/lib/postgresql/15/repmgr.conf'].text).toMatch(/^pg_bindir='\/usr\/lib\/postgresql\/15\/bin'$/m)
    expect(tree['usr/lib/postgresql/15/repmgr.conf'].mode).toBe('0640')
    expect(tree['etc/postgresql-common/createcluster.conf'].text).toMatch(/^create_main_cluster = false$/m)
    const rows = tree['home/postgres/data/pg_hba.conf'].text.split('\n').map((l) => l.split(/\s+/).join(' '))
    expect(rows).toEqual(expect.arrayContaining(['host replication repmgr 10.77.0.11/32 scram-sha-256', 'host replication repmgr 10.77.0.12/32 scram-sha-256']))
    // The lab's password reaches postgres's .pgpass, 0600, one line per node name and address.
    expect(tree['home/postgres/.pgpass'].mode).toBe('0600')
    expect(tree['home/postgres/.pgpass'].text).toMatch(/^node2:5432:\*:repmgr:\S+$/m)
    // Facts unknown: said once, and every condition on them is listed as assumed.
    const listing = tree['_render.txt'].text
    expect(listing.match(/no pgha_render_facts for node1/g)).toHaveLength(1)
    expect(listing).toMatch(/condition 'ansible_os_family == 'RedHat'' reads ansible_os_family \(a fact, and node1 has no pgha_render_facts\): assumed true/)
  })

  it('with Debian facts given, the Debian-only file is rendered and no fact condition is assumed', async () => {
    const out = join(root, 'facts')
    const r = await pgha(['render', '-i', inventory, '--out', out, '-e', DEBIAN, '-l', 'node2'])
    expect(r.code).toBe(0)
    expect(existsSync(join(out, 'node1'))).toBe(false)
    expect(readFileSync(join(out, 'node2/etc/postgresql-common/createcluster.conf'), 'utf8')).toContain('create_main_cluster = false')
    const listing = readFileSync(join(out, 'node2/_render.txt'), 'utf8')
    expect(listing).not.toMatch(/ansible_os_family/)
    expect(listing).not.toMatch(/no pgha_render_facts/)
  })

  it('with RedHat facts given, the Debian-only file is left out', async () => {
    const out = join(root, 'redhat')
    const redhat = JSON.stringify({ pgha_render_facts: { os_family: 'RedHat', distribution: 'CentOS', distribution_major_version: '7', pkg_mgr: 'yum' } })
    expect((await pgha(['render', '-i', inventory, '--out', out, '-e', redhat])).code).toBe(0)
    expect(existsSync(join(out, 'node1/etc/postgresql-common'))).toBe(false)
    expect(existsSync(join(out, 'node1/etc/sudoers.d/postgres'))).toBe(true)
  })
})
