// Host facts gathered in one round trip: OS family, distribution, package manager, init system,
// hostname and default IPv4 address.
import type { HostFacts } from '../modules/types.js'
import type { FactDef } from './types.js'

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
  command: () =>
    [
      '. /etc/os-release 2>/dev/null',
      'echo "id=$ID"',
      'echo "version=$VERSION_ID"',
      'for m in dnf yum apt-get; do command -v $m >/dev/null 2>&1 && { echo "pkg=$m"; break; }; done',
      'echo "init=$(cat /proc/1/comm 2>/dev/null)"',
      'echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"',
      "echo \"ipv4=$(ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p' | head -n1)\"",
    ].join('; '),
  parse(stdout) {
    const kv = Object.fromEntries(
      stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
    )
    const id = (kv.id ?? '').toLowerCase()
    const pkg = kv.pkg === 'apt-get' ? 'apt' : kv.pkg === 'yum' || kv.pkg === 'dnf' ? kv.pkg : 'unknown'
    return {
      os_family: FAMILY[id] ?? (id ? id[0].toUpperCase() + id.slice(1) : 'unknown'),
      distribution: DISTRO[id] ?? (id || 'unknown'),
      distribution_major_version: (kv.version ?? '').split('.')[0] || 'unknown',
      pkg_mgr: pkg,
      service_mgr: kv.init === 'systemd' ? 'systemd' : kv.init || 'unknown',
      hostname: kv.hostname ?? '',
      default_ipv4: kv.ipv4 ?? '',
    }
  },
}
