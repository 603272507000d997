// What is installed and running on a host, in the shape of Ansible's service_facts and package_facts:
// systemd's services with their state and enablement, and the installed packages of dpkg or rpm.
import type { FactDef } from './types.js'

export interface ServiceInfo {
  name: string
  /** running, stopped, or systemd's ActiveState for a unit that is not loaded. */
  state: string
  /** enabled, disabled, static, masked, not-found, failed, ... (unknown when systemd does not say). */
  status: string
  source: 'systemd'
}

const SECTION = '@@pgha-section@@'
const BAD_STATES = ['not-found', 'masked', 'failed']

/**
 * systemd's services as service_facts reports them: `list-units` gives the state (running or stopped) and
 * a bad load or active state; `list-unit-files` the enablement, and for a unit that is not loaded its
 * ActiveState from `systemctl show`. An empty map when systemd is not PID 1.
 */
export const serviceListFact: FactDef<Record<string, never>, Record<string, ServiceInfo>> = {
  name: 'service_list',
  batch: 'joined',
  command: () =>
    [
      `grep -q systemd /proc/1/comm 2>/dev/null || exit 0`,
      `LC_ALL=C systemctl list-units --no-pager --type service --all`,
      `echo ${SECTION}`,
      `LC_ALL=C systemctl list-unit-files --no-pager --type service --all`,
      `echo ${SECTION}`,
      `LC_ALL=C systemctl list-unit-files --no-pager --type service --all --no-legend | while read -r u _; do printf '%s ' "$u"; systemctl show "$u" --property=ActiveState 2>/dev/null || echo; done`,
    ].join('\n'),
  parse(stdout) {
    const [units = '', files = '', shown = ''] = stdout.split(`${SECTION}\n`)
    const services: Record<string, ServiceInfo> = {}
    for (const line of units.split('\n').filter((l) => l.includes('.service'))) {
      let fields = line.trim().split(/\s+/)
      let status: string
      const bad = BAD_STATES.find((b) => fields.includes(b))
      if (bad !== undefined) {
        status = bad
        fields = fields.slice(1)
      } else status = fields[2]
      services[fields[0]] = { name: fields[0], state: fields[3] === 'running' ? 'running' : 'stopped', status: status ?? 'unknown', source: 'systemd' }
    }
    const active = new Map(shown.split('\n').map((l) => l.trim().split(' ')).map(([u, kv]) => [u, kv?.startsWith('ActiveState=') ? kv.slice(12) : '']))
    for (const line of files.split('\n').filter((l) => l.includes('.service'))) {
      const [name, status] = line.trim().split(/\s+/)
      if (status === undefined) continue
      const known = services[name]
      if (!known) services[name] = { name, state: active.get(name) || 'unknown', status, source: 'systemd' }
      else if (!BAD_STATES.includes(known.status)) known.status = status
    }
    return services
  },
}

/** One installed package, as package_facts lists it (rpm adds release and epoch; apt category). */
export interface PackageInfo {
  name: string
  version: string
  arch: string
  source: 'apt' | 'rpm'
  release?: string
  epoch?: number | null
  category?: string
}

export interface PackageListArgs {
  manager: 'apt' | 'rpm'
}

/**
 * Installed packages by name, each a list (rpm may hold several versions of one name). apt's list comes
 * from dpkg's database: a package of a foreign architecture is named `name:arch`, as apt names it.
 */
export const packageListFact: FactDef<PackageListArgs, Record<string, PackageInfo[]>> = {
  name: 'package_list',
  batch: 'joined',
  anyUser: true,
  command: ({ manager }) =>
    manager === 'apt'
      ? `dpkg --print-architecture; dpkg-query -W -f '\${Status}\\t\${Package}\\t\${Version}\\t\${Architecture}\\t\${Section}\\n'`
      : `rpm -qa --qf '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\n'`,
  parse(stdout, { manager }) {
    const packages: Record<string, PackageInfo[]> = {}
    const add = (p: PackageInfo): void => {
      ;(packages[p.name] ??= []).push(p)
    }
    const lines = stdout.split('\n').filter((l) => l.trim() !== '')
    if (manager === 'apt') {
      const native = lines.shift()?.trim()
      for (const line of lines) {
        const [status, pkg, version, arch, section] = line.split('\t')
        if (!status?.endsWith(' installed') || !pkg) continue
        const name = arch === native || arch === 'all' ? pkg : `${pkg}:${arch}`
        add({ name, version, arch, category: section ?? '', source: 'apt' })
      }
    } else {
      for (const line of lines) {
        const [name, version, release, epoch, arch] = line.split('\t')
        if (!name) continue
        add({ name, version, release, epoch: /^\d+$/.test(epoch ?? '') ? Number(epoch) : null, arch, source: 'rpm' })
      }
    }
    return packages
  },
}
