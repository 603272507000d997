// A module's declared reads (ModuleDef.reads, what read-ahead fetches for it) are exactly the facts its plan
// reads: with only those facts known, a converged plan runs no command on the host. Read-ahead would
// otherwise fetch one fact and leave the plan to read another, one round trip per task again.
import { describe, expect, it } from 'vitest'
import { FactCache, groupFact, pgClusterFact, repmgrNodesFact, systemdUnitFact, fileFact, slurpFact, userFact, pgUpstreamFact, pgDataDirFact, pgTimelineHistoryFact, pgWalTimelinesFact, systemdStaleFact, aptInstalledFact, aptCandidatesFact, aptSimulateFact, hostFacts, type FactRead } from '../../src/facts/index.js'
import { getModule } from '../../src/modules/index.js'
import { FakeTransport } from '../../src/transport/fake.js'
import { runModule } from './harness.js'

const registered = { nodeId: 2, nodeName: 'node2', readable: true, nodes: [{ id: 2, type: 'witness', active: true, name: 'node2' }] }
const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['user', { name: 'app', group: 'app', shell: '/bin/sh' }, { user: { name: 'app', exists: true, uid: 1001, gid: 1000, group: 'app', groups: [], home: '/home/app', shell: '/bin/sh' } }],
  ['group', { name: 'app', gid: 1000 }, { group: { name: 'app', exists: true, gid: 1000, members: [] } }],
  ['systemd', { name: 'web', state: 'started', enabled: true }, { systemd_unit: { unit: 'web.service', loadState: 'loaded', activeState: 'active', subState: 'running', unitFileState: 'enabled', needDaemonReload: false } }],
  ['command', { cmd: 'initdb', creates: 'PG_VERSION', chdir: '/srv/pg' }, { file: { path: '/srv/pg/PG_VERSION', exists: true, type: 'file' } }],
  ['slurp', { src: '/etc/ssh/ssh_host_ed25519_key.pub' }, { slurp: { exists: true, base64: 'c3NoLWVkMjU1MTkgQUFBQQo=' } }],
  ['known_hosts', { name: 'node1', key: 'node1 ssh-ed25519 AAAA', path: '/home/postgres/.ssh/known_hosts' }, { file: { path: '/home/postgres/.ssh/known_hosts', exists: true, type: 'file', size: 23, content: 'node1 ssh-ed25519 AAAA\n' } }],
  ['repmgr_node', { action: 'witness_register', config: '/etc/repmgr.conf', bindir: '/usr/bin', upstream_host: 'node1' }, { repmgr_nodes: registered }],
  ['pg_cluster', { nodes: [['node1'], ['node2']] }, { pg_cluster: [
    { host: 'node1', addresses: ['node1'], witness: false, repmgrdExpected: false, ssh: true, pg: { inRecovery: false, timeline: 1, receiver: null } },
    { host: 'node2', addresses: ['node2'], witness: false, repmgrdExpected: false, ssh: true, pg: { inRecovery: true, timeline: 1, receiver: { status: 'streaming', senderHost: 'node1', senderPort: 5432 } } },
  ] }],
  ['systemd', { daemon_reload: true }, { systemd_stale: [] }],
  ['pg_node_info', { upstream: { host: 'node1', bindir: '/usr/lib/postgresql/15/bin' } }, { pg_upstream: { reachable: true, systemId: '7712584336385451183', timeline: 1, inRecovery: false, major: 15 } }],
  ['pg_diverged_timelines', { primary_host: 'node1', bindir: '/usr/lib/postgresql/15/bin', data_directory: '/srv/pg' }, {
    pg_data_dir: { dir: 'present', entries: 24, standbySignal: true, systemId: '7712584336385451183', timeline: 1, server: 'running' },
    pg_timeline_history: { reachable: true, timeline: 1, lsn: '0/6000060', history: [], ownRelations: [] },
    pg_wal_timelines: { dir: '/srv/pg/pg_wal', histories: [], walDirs: [] },
  }],
]
const DEFS = new Map<string, FactRead['def']>([userFact, groupFact, systemdUnitFact, fileFact, slurpFact, repmgrNodesFact, pgClusterFact, pgUpstreamFact, pgDataDirFact, pgTimelineHistoryFact, pgWalTimelinesFact, systemdStaleFact].map((d) => [d.name, d]))

describe('declared reads', () => {
  it.each(CASES)('%s: a converged plan from its declared reads alone runs nothing', async (module, args, values) => {
    const mod = getModule(module)!
    const reads: FactRead[] = mod.reads!(mod.params.parse(args))!
    expect(reads.map((r) => r.def.name)).toEqual(Object.keys(values))
    const facts = new FactCache()
    for (const r of reads) facts.seed(DEFS.get(r.def.name)!, r.args, values[r.def.name], '')
    const transport = new FakeTransport('node2')
    const { plan } = await runModule(module, args, transport, { facts })
    expect(plan.changes).toEqual([])
    expect(transport.calls).toEqual([])
  })

  it('apt state=latest on a converged host: what is installed and its candidates, read ahead, plan it with no command', async () => {
    const mod = getModule('apt')!
    const args = { name: ['postgresql-15', 'repmgr=5.3.3-2', 'pgbackrest'], state: 'latest' }
    const params = mod.params.parse(args)
    const reads = mod.reads!(params, { pkg_mgr: 'apt' })!
    expect(reads).toEqual([
      { def: aptInstalledFact, args: {} },
      { def: aptCandidatesFact, args: { names: ['postgresql-15', 'pgbackrest'] } },
    ])
    const facts = new FactCache()
    facts.seed(hostFacts, {}, { os_family: 'Debian', distribution: 'Debian', distribution_major_version: '12', pkg_mgr: 'apt', service_mgr: 'systemd', hostname: 'node2', default_ipv4: '10.77.0.12' }, '')
    facts.seed(aptInstalledFact, {}, { versions: { 'postgresql-15': '15.14-0+deb12u1', repmgr: '5.3.3-2', pgbackrest: '2.47-1' }, provides: {} }, '')
    facts.seed(aptCandidatesFact, reads[1].args as { names: string[] }, { 'postgresql-15': '15.14-0+deb12u1', pgbackrest: '2.47-1' }, '')
    const transport = new FakeTransport('node2')
    const { plan } = await runModule('apt', args, transport, { facts })
    expect(plan.changes).toEqual([])
    expect(transport.calls).toEqual([])
  })

  it('apt upgrade, autoclean and clean on a converged host: their simulations, read ahead, plan them with no command', async () => {
    const mod = getModule('apt')!
    const args = { upgrade: 'dist', autoclean: true, clean: true, autoremove: true }
    const reads = mod.reads!(mod.params.parse(args), { pkg_mgr: 'apt' })!
    expect(reads.map((r) => r.args)).toEqual([{ op: 'clean' }, { op: 'dist-upgrade', autoremove: true }, { op: 'autoclean' }, { op: 'autoremove' }])
    const facts = new FactCache()
    facts.seed(hostFacts, {}, { os_family: 'Debian', distribution: 'Debian', distribution_major_version: '12', pkg_mgr: 'apt', service_mgr: 'systemd', hostname: 'node2', default_ipv4: '10.77.0.12' }, '')
    for (const r of reads) facts.seed(aptSimulateFact, r.args as { op: 'clean' }, [], '')
    const transport = new FakeTransport('node2')
    const { plan } = await runModule('apt', args, transport, { facts })
    expect(plan.changes).toEqual([])
    expect(transport.calls).toEqual([])
  })

  it('a command without a guard ends the read-ahead window: it runs whatever it finds', () => {
    const mod = getModule('command')!
    expect(mod.reads!(mod.params.parse({ cmd: 'true' }))).toBeUndefined()
  })
})
