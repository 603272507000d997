// Facts without a host: the inventory's `pgha_render_facts` ({os_family, distribution,
// distribution_major_version, pkg_mgr, ...}) stands in for what Gathering Facts would read.
import { ConfigError, type SourceLocation } from '../errors.js'
import type { HostFacts } from '../modules/index.js'
import type { Vars } from '../inventory/index.js'

export const RENDER_FACTS = 'pgha_render_facts'

const PKG_MGRS: readonly HostFacts['pkg_mgr'][] = ['apt', 'yum', 'dnf', 'unknown']

/**
 * The host's facts from `pgha_render_facts` in its variables, or undefined when it has none. os_family is
 * required (the playbooks branch on it); the rest default to what a systemd host named like its
 * inventory entry would report.
 */
export function renderFacts(host: string, vars: Vars, loc?: SourceLocation): HostFacts | undefined {
  const raw = vars[RENDER_FACTS]
  if (raw === undefined || raw === null) return undefined
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`${RENDER_FACTS} of ${host} must be a mapping such as {os_family: RedHat, distribution: CentOS, distribution_major_version: "7", pkg_mgr: yum}`, loc)
  }
  const f = raw as Record<string, unknown>
  const str = (k: string, dflt: string): string => (f[k] === undefined || f[k] === null ? dflt : String(f[k]))
  if (str('os_family', '') === '') throw new ConfigError(`${RENDER_FACTS} of ${host} has no os_family (RedHat, Debian, ...)`, loc)
  const pkg = str('pkg_mgr', 'unknown') as HostFacts['pkg_mgr']
  if (!PKG_MGRS.includes(pkg)) throw new ConfigError(`${RENDER_FACTS} of ${host}: pkg_mgr must be one of ${PKG_MGRS.join(', ')}`, loc)
  return {
    os_family: str('os_family', ''),
    distribution: str('distribution', str('os_family', '')),
    distribution_major_version: str('distribution_major_version', ''),
    pkg_mgr: pkg,
    service_mgr: str('service_mgr', 'systemd'),
    hostname: str('hostname', host.split('.')[0]),
    default_ipv4: str('default_ipv4', vars.ansible_host === undefined ? '' : String(vars.ansible_host)),
  }
}
