// The lab's source tarballs and its cache of PostgreSQL builds: which tarball of a source package is used,
// the inventory of the article's layout, and a build kept from one node and given to another.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureDebianSource, tarballIn, upstreamVersionOf } from '../../src/lab/debian-source.js'
import {
  hasSourceBuild, inventoryText, labSourceLayout, postgresSourceVersion, saveSourceBuild, seedSourceBuild, sourceBuildKey, writeSourceLayoutInventory,
} from '../../src/lab/index.js'
import { nodePaths } from '../../src/lab/paths.js'
import { loadInventory } from '../../src/inventory/index.js'
import { projectRoot } from '../../src/project-root.js'
import { useTempLabDir } from './temp-lab-dir.js'

const PG = { pkg: 'postgresql-15' }

describe('source tarballs from apt-get source', () => {
  const labDir = useTempLabDir()

  it("reads the upstream version from Debian's .orig tarball names, and takes the newest", () => {
    const files = ['postgresql-15_15.9.orig.tar.bz2', 'postgresql-15_15.18.orig.tar.bz2', 'postgresql-15_15.18-0+deb12u1.dsc', 'postgresql-16_16.4.orig.tar.bz2', 'repmgr_5.3.3.orig.tar.gz']
    expect(upstreamVersionOf(PG, 'postgresql-15_15.18.orig.tar.bz2')).toBe('15.18')
    expect(upstreamVersionOf(PG, 'postgresql-15_15.18-0+deb12u1.debian.tar.xz')).toBeUndefined()
    expect(tarballIn(PG, files)).toBe('postgresql-15_15.18.orig.tar.bz2')
    expect(tarballIn({ pkg: 'repmgr', version: '5.3.3' }, files)).toBe('repmgr_5.3.3.orig.tar.gz')
    expect(tarballIn({ pkg: 'repmgr', version: '5.4.1' }, files)).toBeUndefined()
    expect(postgresSourceVersion('/var/lib/pgha-lab/src/postgresql-15_15.18.orig.tar.bz2')).toBe('15.18')
    expect(() => postgresSourceVersion('/x/repmgr_5.3.3.orig.tar.gz')).toThrow(/not a postgresql-15 upstream tarball/)
  })

  it('uses a tarball already in the lab directory without asking apt', async () => {
    mkdirSync(join(labDir(), 'src'))
    writeFileSync(join(labDir(), 'src', 'postgresql-15_15.18.orig.tar.bz2'), 'tarball')
    expect(await ensureDebianSource(PG)).toBe(join(labDir(), 'src', 'postgresql-15_15.18.orig.tar.bz2'))
  })
})

describe("the lab's cache of PostgreSQL builds", () => {
  const labDir = useTempLabDir()
  /** A node's root as the lab mounts it, holding a prefix with a postgres binary of `version`. */
  const nodeRoot = (node: string): string => nodePaths(node).root
  const build = (node: string, version: string): void => {
    mkdirSync(join(nodeRoot(node), 'usr/local/pgsql/bin'), { recursive: true })
    writeFileSync(join(nodeRoot(node), 'usr/local/pgsql/bin/postgres'), version)
    writeFileSync(join(nodeRoot(node), 'usr/local/pgsql/pgha-build.txt'), `sha ${version}\n`)
  }

  it('keys a build by the tarball checksum, keeps a node\'s prefix and copies it into other nodes', async () => {
    const tarball = join(labDir(), 'postgresql-15_15.18.orig.tar.bz2')
    writeFileSync(tarball, 'one')
    const key = sourceBuildKey(tarball)
    expect(key).toMatch(/^[0-9a-f]{16}$/)
    writeFileSync(tarball, 'two')
    expect(sourceBuildKey(tarball)).not.toBe(key)
    expect(await seedSourceBuild(['node2'], '/usr/local/pgsql', key)).toBe(false)
    await expect(saveSourceBuild('node1', '/usr/local/pgsql', key)).rejects.toThrow(/node1 has no PostgreSQL build in \/usr\/local\/pgsql/)

    build('node1', '15.18')
    await saveSourceBuild('node1', '/usr/local/pgsql', key)
    expect(hasSourceBuild(key)).toBe(true)
    build('node2', 'stale')
    writeFileSync(join(nodeRoot('node2'), 'usr/local/pgsql/bin/leftover'), '')
    expect(await seedSourceBuild(['node2'], '/usr/local/pgsql', key)).toBe(true)
    expect(readFileSync(join(nodeRoot('node2'), 'usr/local/pgsql/bin/postgres'), 'utf8')).toBe('15.18')
    expect(readFileSync(join(nodeRoot('node2'), 'usr/local/pgsql/pgha-build.txt'), 'utf8')).toBe('sha 15.18\n')
    // The prefix is replaced, not merged: nothing of what was there stays.
    expect(existsSync(join(nodeRoot('node2'), 'usr/local/pgsql/bin/leftover'))).toBe(false)

    // The lab's source layout gives the cached build to a node without /usr/local/pgsql only.
    mkdirSync(join(labDir(), 'src'))
    writeFileSync(join(labDir(), 'src', 'postgresql-15_15.18.orig.tar.bz2'), 'one')
    writeFileSync(join(labDir(), 'lab.yml'), inventoryText([{ name: 'node1', address: '10.77.0.11' }, { name: 'node3', address: '10.77.0.13' }], '/x/k'))
    build('node1', 'kept')
    const layout = await labSourceLayout(join(labDir(), 'lab.yml'), ['node1', 'node3'])
    expect(layout).toEqual({ inventory: join(labDir(), 'lab-source.yml'), tarball: join(labDir(), 'src', 'postgresql-15_15.18.orig.tar.bz2'), key, seeded: ['node3'] })
    expect(readFileSync(join(nodeRoot('node1'), 'usr/local/pgsql/bin/postgres'), 'utf8')).toBe('kept')
    expect(readFileSync(join(nodeRoot('node3'), 'usr/local/pgsql/bin/postgres'), 'utf8')).toBe('15.18')

    // A node's newer build replaces the cached one.
    build('node1', '15.18 rebuilt')
    await saveSourceBuild('node1', '/usr/local/pgsql', key)
    expect(readFileSync(join(labDir(), 'builds', key, 'bin/postgres'), 'utf8')).toBe('15.18 rebuilt')
  })
})

describe("the inventory of the article's layout on the lab", () => {
  useTempLabDir()

  it("puts the lab's nodes in lab_source, so they get /usr/local/pgsql built from the lab's tarball", () => {
    const dir = join(process.env.PGHA_LAB_DIR!, 'inventory')
    mkdirSync(dir)
    symlinkSync(join(projectRoot(), 'inventory', 'group_vars'), join(dir, 'group_vars'))
    const nodes = [{ name: 'node1', address: '10.77.4.11' }, { name: 'node2', address: '10.77.4.12' }]
    writeFileSync(join(dir, 'lab4.yml'), inventoryText(nodes, join(dir, 'lab4.known_hosts')))
    const written = writeSourceLayoutInventory(join(dir, 'lab4.yml'), '/var/lib/pgha-lab/src/postgresql-15_15.18.orig.tar.bz2')
    expect(written).toBe(join(dir, 'lab4-source.yml'))
    const inv = loadInventory(written)
    for (const host of ['node1', 'node2']) {
      const vars = inv.hosts.get(host)!.vars
      expect(vars).toMatchObject({
        postgres_install: 'source', pg_prefix: '/usr/local/pgsql', pg_src_tarball: '{{ pgha_lab_pg_tarball }}',
        pgha_lab_pg_tarball: '/var/lib/pgha-lab/src/postgresql-15_15.18.orig.tar.bz2', pg_data: '/home/postgres/data',
        pg_service: 'pgserver', repmgr_conf: '{{ pg_prefix }}/repmgr.conf', pgbackrest_pg_socket_path: '/tmp',
      })
    }
    expect(inv.groups.get('primary')!.hosts).toEqual(['node1'])
    // The lab's own inventory keeps the packaged layout.
    expect(loadInventory(join(dir, 'lab4.yml')).hosts.get('node1')!.vars).toMatchObject({ postgres_install: 'package', pg_prefix: '/usr/lib/postgresql/15' })
  })
})
