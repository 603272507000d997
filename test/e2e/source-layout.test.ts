// The article's own layout, as its readers have it: PostgreSQL compiled from an upstream source tarball
// (bookworm's postgresql-15, fetched by the lab with apt-get source) into /usr/local/pgsql by the playbooks'
// source build, data in /home/postgres/data, the unit pgserver, /usr/local/pgsql/repmgr.conf and repmgr
// built against that PostgreSQL; site.yml builds the cluster, verify.yml passes, a switchover swaps the roles.
//
// The compile is paid once per tarball on a machine: when the lab's build cache has no build for the
// tarball's checksum, postgres.yml's source build runs on node1 (the task must really build there) and
// node1's /usr/local/pgsql is cached; node2, and both nodes on later runs, get the cached build, in which
// the playbook finds its own build record for this tarball and options and skips the compile.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  labSourceLayout, postgresSourceVersion, saveSourceBuild, seedSourceBuild, SOURCE_LAYOUT_PREFIX as PREFIX, type SourceLayout,
} from '../../src/lab/index.js'
import { lab, labReset, skipReason } from './lab-env.js'
import { eventually, onNode, runShipped, type PlaybookRun } from './cluster-helpers.js'
import { expectClean } from './ops-helpers.js'

const CONF = `${PREFIX}/repmgr.conf`
const BUILD_TASK = 'PostgreSQL and contrib configured, built and installed into pg_prefix (tarball or options changed)'
/** The configure options a packaged build has that all.yml asks for on Debian (EL adds --with-selinux). */
const OPTIONS = ['--with-openssl', '--with-libxml', '--with-libxslt', '--with-pam', '--with-systemd']

const sql = async (node: string, query: string): Promise<string> =>
  (await onNode(node, `runuser -u postgres -- ${PREFIX}/bin/psql -XAtq -d postgres -c "${query}"`)).trim()
const role = async (node: string): Promise<string> => ((await sql(node, 'SELECT pg_is_in_recovery()')) === 't' ? 'standby' : 'primary')
const repmgr = (node: string, args: string): Promise<string> => onNode(node, `runuser -u postgres -- ${PREFIX}/bin/repmgr -f ${CONF} ${args}`)
/** The node's timeline from its control file after a CHECKPOINT (a restartpoint on a standby). */
async function timeline(node: string): Promise<number> {
  await sql(node, 'CHECKPOINT')
  return Number(await sql(node, 'SELECT timeline_id FROM pg_control_checkpoint()'))
}
const builtOn = (run: PlaybookRun): string[] => run.changed.filter((c) => c.startsWith(`${BUILD_TASK} @ `)).map((c) => c.split(' @ ')[1]!)

describe.skipIf(skipReason)("the article's layout on the lab: PostgreSQL built from source into /usr/local/pgsql", () => {
  let layout: SourceLayout
  let started = 0

  beforeAll(async () => {
    started = Date.now()
    // Fresh nodes, as the article starts: nothing of the packaged cluster the other tests build. They get
    // the lab's cached build of the tarball when there is one.
    await labReset(['node1', 'node2'])
    layout = await labSourceLayout(lab.inventory, ['node1', 'node2'], (m) => console.log(`e2e: ${m}`))
  })

  // The next test files expect the lab's packaged layout from fresh nodes.
  afterAll(async () => {
    console.log(`e2e: the source layout took ${((Date.now() - started) / 1000).toFixed(1)} s in all`)
    await labReset(['node1', 'node2'])
  })

  it("builds PostgreSQL from the tarball with the playbook's source build once per tarball, then from the lab's cache", async () => {
    const sha256 = createHash('sha256').update(readFileSync(layout.tarball)).digest('hex')
    if (layout.seeded.length < 2) {
      expect(layout.seeded).toEqual([])
      // No cached build of this tarball: postgres.yml's source build compiles it on node1, and the lab keeps it.
      const run = await runShipped('postgres.yml', layout.inventory, { limit: 'node1' })
      console.log(`e2e: postgres.yml built PostgreSQL ${postgresSourceVersion(layout.tarball)} from source on node1 in ${(run.elapsedMs / 1000).toFixed(1)} s; cached as ${layout.key}`)
      expectClean(run, 'postgres.yml --limit node1')
      expect(builtOn(run)).toEqual(['node1'])
      await saveSourceBuild('node1', PREFIX, layout.key)
      expect(await seedSourceBuild(['node2'], PREFIX, layout.key)).toBe(true)
    }
    // Either way each node holds a build the playbook recorded as made from this very tarball.
    for (const node of ['node1', 'node2']) expect(await onNode(node, `cat ${PREFIX}/pgha-build.txt`)).toMatch(new RegExp(`^${sha256} `))
    // The hang guard allows a cold compile on two busy cores; a cached build takes seconds.
  }, 3_600_000)

  it("site.yml builds the cluster in the article's layout without compiling again, and verify.yml passes", async () => {
    const run = await runShipped('site.yml', layout.inventory)
    console.log(`e2e: site.yml on the source layout took ${(run.elapsedMs / 1000).toFixed(1)} s`)
    expectClean(run, 'site.yml')
    // Each node's /usr/local/pgsql holds the build of this tarball and these options: nothing is compiled.
    expect(builtOn(run)).toEqual([])
    expectClean(await runShipped('verify.yml', layout.inventory), 'verify.yml')
    expect(await sql('node1', "SELECT application_name || ':' || state FROM pg_stat_replication")).toBe('node2:streaming')
    expect(await sql('node2', "SELECT status || ':' || sender_host FROM pg_stat_wal_receiver")).toBe('streaming:node1')
  })

  it('the binaries came from that tarball, configured like a packaged build, with contrib', async () => {
    const version = postgresSourceVersion(layout.tarball)
    const sha256 = createHash('sha256').update(readFileSync(layout.tarball)).digest('hex')
    for (const node of ['node1', 'node2']) {
      expect((await onNode(node, `${PREFIX}/bin/pg_config --version`)).trim()).toBe(`PostgreSQL ${version}`)
      const configure = await onNode(node, `${PREFIX}/bin/pg_config --configure`)
      for (const o of [`--prefix=${PREFIX}`, ...OPTIONS]) expect(configure).toContain(`'${o}'`)
      // The build record the playbook wrote after `make install`: this tarball's SHA-256, name and options.
      expect((await onNode(node, `cat ${PREFIX}/pgha-build.txt`)).trim()).toBe(`${sha256} ${layout.tarball.split('/').pop()} ${OPTIONS.join(' ')}`)
      // The server that runs is this build, from the pgserver unit, on /home/postgres/data.
      expect((await onNode(node, 'systemctl is-active pgserver')).trim()).toBe('active')
      expect(await sql(node, 'SHOW data_directory')).toBe('/home/postgres/data')
      expect(await sql(node, 'SHOW server_version')).toBe(version)
      // repmgr was built against it: its binaries and extension are in the prefix.
      expect(await onNode(node, `${PREFIX}/bin/repmgr --version`)).toMatch(/^repmgr 5\.3\.3/)
      expect(await onNode(node, `ls ${PREFIX}/lib/repmgr.so ${PREFIX}/bin/repmgrd`)).toContain('repmgr.so')
      expect(await onNode(node, `grep -E "^(data_directory|pg_bindir|service_start_command)" ${CONF}`)).toMatch(/data_directory='\/home\/postgres\/data'\npg_bindir='\/usr\/local\/pgsql\/bin'\nservice_start_command='sudo .*systemctl start pgserver'/)
    }
    // contrib came with it: an extension of contrib can be created on the primary (pgcrypto needs openssl).
    await sql('node1', 'CREATE EXTENSION IF NOT EXISTS pgcrypto')
    expect(await sql('node1', "SELECT length(digest('x', 'sha256'))")).toBe('32')
    // --with-libxml: the XML type works.
    expect(await sql('node1', "SELECT xpath('/a/text()', '<a>ok</a>'::xml)::text")).toBe('{ok}')
  })

  it('switches over to node2 and back: each raises the timeline by one, and the old primary streams from the new one', async () => {
    let tl = await timeline('node1')
    for (const [target, other] of [['node2', 'node1'], ['node1', 'node2']] as const) {
      const run = await runShipped('switchover.yml', layout.inventory, { extraVars: [`target=${target}`] })
      console.log(`e2e: switchover to ${target} on the source layout took ${(run.elapsedMs / 1000).toFixed(1)} s`)
      expectClean(run, `switchover to ${target}`)
      expect(await role(target)).toBe('primary')
      expect(await role(other)).toBe('standby')
      expect(await eventually(() => sql(other, "SELECT status || ':' || sender_host FROM pg_stat_wal_receiver"), (v) => v === `streaming:${target}`)).toBe(`streaming:${target}`)
      expect(await timeline(target)).toBe(++tl)
      expect(await repmgr(target, 'cluster show')).toMatch(new RegExp(`\\|\\s*${target}\\s*\\|\\s*primary\\s*\\|\\s*\\* running`))
    }
    expectClean(await runShipped('verify.yml', layout.inventory), 'verify.yml after both switchovers')
  })
})
