// Host facts gathered in one round trip: OS family, distribution, package manager, init system,
// hostname and default IPv4 address for pgha's modules, and everything setup.ts reads for playbooks.
import type { HostFacts } from '../modules/types.js'
import type { FactDef } from './types.js'
import { parseSetup, serviceMgrOf, SETUP_SCRIPT } from './setup.js'

const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', centos: 'RedHat', rhel: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
  fedora: 'RedHat', ol: 'RedHat', alpine: 'Alpine', arch: 'Archlinux', sles: 'Suse', opensuse: 'Suse',
}
const DISTRO: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', centos: 'CentOS', rhel: 'RedHat', rocky: 'Rocky', almalinux: 'AlmaLinux',
  fedora: 'Fedora', ol: 'OracleLinux', alpine: 'Alpine', arch: 'Archlinux',
}

export const hostFacts: FactDef<Record<string, never>, HostFacts> = {
  name: 'host',
  anyUser: true,
  // Read ahead for a play that does not gather facts (the package module's plan reads the package manager).
  batch: 'joined',
  command: () => SETUP_SCRIPT,
  parse(stdout) {
    const kv = Object.fromEntries(
      stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
    )
    const id = (kv.id ?? '').toLowerCase()
    const pkg = kv.pkg === 'apt-get' ? 'apt' : kv.pkg === 'yum' || kv.pkg === 'dnf' ? kv.pkg : 'unknown'
    const base: HostFacts = {
      os_family: FAMILY[id] ?? (id ? id[0].toUpperCase() + id.slice(1) : 'unknown'),
      distribution: DISTRO[id] ?? (id || 'unknown'),
      distribution_major_version: (kv.version ?? '').split('.')[0] || 'unknown',
      pkg_mgr: pkg,
      service_mgr: serviceMgrOf(kv.init ?? '', kv.systemd_run === '1', kv.initd === '1'),
      hostname: kv.hostname ?? '',
      default_ipv4: / src ([\d.]+)/.exec(kv.route ?? '')?.[1] ?? '',
    }
    return { ...base, setup: parseSetup(stdout, base) }
  },
}
