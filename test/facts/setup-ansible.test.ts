// Gathered facts against the real thing: `ansible localhost -c local -m setup` (ansible-core, installed by
// .ci/run) and pgha's fact gathering on the same machine over the local transport must give the same
// names and, where a value does not change between two reads, the same values, as roles read them
// (ansible_facts.NAME and ansible_NAME); gathering stays one round trip, and gather_subset limits what is
// set. Without ansible the comparison is skipped, except under CI=true or PGHA_REQUIRE_LAB=1, where it fails.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { localHosts, project } from '../engine/harness.js'

const available = spawnSync('sh', ['-c', 'command -v ansible'], { encoding: 'utf8' }).status === 0
const required = process.env.CI === 'true' || process.env.PGHA_REQUIRE_LAB === '1'

// Facts are JSON read back from both tools and compared field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Facts = Record<string, any>

function ansibleFacts(): Facts {
  const r = spawnSync('ansible', ['localhost', '-c', 'local', '-m', 'setup'], {
    encoding: 'utf8', env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false' }, timeout: 120_000,
  })
  const out = r.stdout
  return JSON.parse(out.slice(out.indexOf('{'))).ansible_facts as Facts
}

async function pghaFacts(gatherSubset?: string): Promise<{ facts: Facts; roundTrips: number }> {
  const p = project(localHosts(['hostA']), {
    'site.yml': `
- hosts: all
  ${gatherSubset ? `gather_subset: ${gatherSubset}` : ''}
  tasks:
    - name: facts
      debug: { msg: "{{ ansible_facts | to_json }}" }
    - name: names
      debug: { msg: "{{ {'distribution': ansible_distribution, 'memtotal_mb': ansible_facts.memtotal_mb | default('unset'), 'default_ipv4': ansible_default_ipv4 | default('unset')} | to_json }}" }
`,
  })
  const r = await p.run()
  expect(r.exitCode).toBe(0)
  const facts = JSON.parse(r.results('facts').hostA.result.msg as string) as Facts
  facts.__names = JSON.parse(r.results('names').hostA.result.msg as string)
  return { facts, roundTrips: r.roundTrips }
}

/** The parts of the facts that do not change between two reads a few seconds apart. */
function stable(f: Facts, prefix: string): Facts {
  const get = (k: string): Facts[string] => f[`${prefix}${k}`]
  const plain = [
    'distribution', 'distribution_release', 'distribution_version', 'distribution_major_version', 'os_family',
    'architecture', 'kernel', 'system', 'hostname', 'fqdn', 'nodename', 'domain', 'memtotal_mb', 'processor_vcpus',
    'processor_cores', 'processor_count', 'processor_threads_per_core', 'processor_nproc', 'user_id', 'user_uid',
    'user_gid', 'user_dir', 'user_shell', 'python', 'python_version', 'pkg_mgr', 'service_mgr',
    'virtualization_type', 'virtualization_role', 'fips', 'selinux', 'selinux_python_present',
  ]
  const d = get('default_ipv4') ?? {}
  const dt = get('date_time') ?? {}
  return {
    ...Object.fromEntries(plain.map((k) => [k, get(k)])),
    default_ipv4: Object.fromEntries(['address', 'interface', 'gateway', 'alias', 'netmask', 'network', 'broadcast', 'prefix', 'macaddress', 'mtu'].map((k) => [k, d[k]])),
    all_ipv4_addresses: [...(get('all_ipv4_addresses') ?? [])].sort(),
    interfaces: [...(get('interfaces') ?? [])].sort(),
    mounts: (get('mounts') ?? []).map((m: Facts) => [m.mount, m.device, m.fstype, m.options, m.block_size, m.block_total, m.size_total, m.inode_total].join(' ')).sort(),
    env_home: get('env')?.HOME,
    date_time_keys: Object.keys(dt).sort(),
    date_time: [dt.date, dt.tz, dt.tz_offset, dt.year],
    date_time_formats: [dt.iso8601, dt.iso8601_micro, dt.iso8601_basic, dt.iso8601_basic_short, dt.epoch].map((v) => String(v).replace(/\d/g, '9')),
  }
}

describe.skipIf(!available && !required)('facts as the setup module gives them', () => {
  it('agree with ansible -m setup on this machine, under ansible_facts and the ansible_* names, in one round trip', async () => {
    const theirs = ansibleFacts()
    const { facts: ours, roundTrips } = await pghaFacts()
    expect(stable(ours, '')).toEqual(stable(theirs, 'ansible_'))
    expect(ours.__names).toEqual({ distribution: theirs.ansible_distribution, memtotal_mb: theirs.ansible_memtotal_mb, default_ipv4: ours.default_ipv4 })
    expect(roundTrips).toBe(1)
  }, 180_000)

  it('gather_subset leaves out what was not asked for, keeping min', async () => {
    const { facts } = await pghaFacts("['!hardware', '!virtual']")
    expect(facts.memtotal_mb).toBeUndefined()
    expect(facts.virtualization_type).toBeUndefined()
    expect(facts.default_ipv4.address).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(facts.__names.memtotal_mb).toBe('unset')
    const min = await pghaFacts('min')
    expect(min.facts.default_ipv4).toBeUndefined()
    expect(min.facts.distribution).toBe(facts.distribution)
  }, 60_000)
})
