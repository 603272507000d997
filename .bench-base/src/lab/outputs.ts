// What `up` leaves for pgha: an Ansible YAML inventory and a known_hosts file with the nodes' real keys.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { labPaths, nodePaths } from './paths.js'
import type { LabNode } from './node.js'
import { REPMGR_VERSION } from './repmgr-source.js'

/** `name,address keytype key` for every host key of every node. */
export function knownHostsText(nodes: LabNode[]): string {
  const lines: string[] = []
  for (const n of nodes) {
    const dir = join(nodePaths(n.name).hostKeys, 'etc', 'ssh')
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.pub')).sort()) {
      const [type, key] = readFileSync(join(dir, f), 'utf8').trim().split(/\s+/)
      lines.push(`${n.name},${n.address} ${type} ${key}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/**
 * Variables the lab's group_vars (inventory/group_vars/lab.yml, which overrides the defaults in all.yml as
 * Ansible's precedence has it) builds on: where the lab keeps the repmgr source tarball.
 */
export function labClusterVars(repmgrTarball: string): Record<string, unknown> {
  return {
    pgha_lab_repmgr_tarball: repmgrTarball,
    pgha_lab_repmgr_version: REPMGR_VERSION,
    // `pgha render` cannot ask the nodes: it takes their facts from here.
    pgha_render_facts: { os_family: 'Debian', distribution: 'Debian', distribution_major_version: '12', pkg_mgr: 'apt', service_mgr: 'systemd' },
  }
}

export function inventoryText(nodes: LabNode[], knownHosts: string, witness?: string, clusterVars: Record<string, unknown> = {}): string {
  const hosts = (list: LabNode[]) => Object.fromEntries(list.map((n) => [n.name, null]))
  const [primary, ...rest] = nodes.filter((n) => n.name !== witness)
  const doc = {
    all: {
      vars: {
        pgha_known_hosts_file: knownHosts,
        // For ansible-playbook on the same hosts (the benchmark): the same strict checking.
        ansible_ssh_common_args: `-o StrictHostKeyChecking=yes -o UserKnownHostsFile=${knownHosts}`,
        ...clusterVars,
      },
      children: {
        lab: {
          hosts: Object.fromEntries(nodes.map((n, i) => [n.name, {
            ansible_host: n.address,
            repmgr_node_id: i + 1,
            ansible_user: 'root',
            ansible_ssh_private_key_file: labPaths.key(),
          }])),
        },
        primary: { hosts: hosts(primary ? [primary] : []) },
        standby: { hosts: hosts(rest) },
        // Always declared (maybe empty), so the playbooks' `primary:standby:witness` patterns resolve.
        witness: { hosts: hosts(nodes.filter((n) => n.name === witness)) },
      },
    },
  }
  return `# Written by \`pgha lab up\`; rewritten on every run.\n${stringify(doc, { nullStr: '', lineWidth: 0 })}`
}

export function writeOutputs(nodes: LabNode[], inventory: string, knownHosts: string, witness?: string, clusterVars?: Record<string, unknown>): void {
  mkdirSync(dirname(inventory), { recursive: true })
  mkdirSync(dirname(knownHosts), { recursive: true })
  writeFileSync(knownHosts, knownHostsText(nodes))
  writeFileSync(inventory, inventoryText(nodes, knownHosts, witness, clusterVars))
}
