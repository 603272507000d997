// `pgha inventory -i INVENTORY [--limit PATTERN] [--host NAME] [--output yaml|json]`: the hosts, groups
// and resolved variables pgha would use, secrets masked, like ansible-inventory --list / --host.
import { Command, Option } from 'commander'
import { stringify } from 'yaml'
import { ConfigError, ConfigErrors } from '../../errors.js'
import { checkPattern, loadInventory, maskSecrets, selectHosts, type Inventory } from '../../inventory/index.js'

interface InventoryFlags {
  inventory: string
  limit?: string
  host?: string
  output: 'yaml' | 'json'
}

export function register(program: Command): void {
  program
    .command('inventory')
    .description('show the hosts, groups and resolved variables of an inventory (secrets masked)')
    .requiredOption('-i, --inventory <path>', 'inventory file or directory (INI or YAML, with group_vars/ and host_vars/)')
    .option('-l, --limit <pattern>', 'only the hosts this pattern selects (a:b, a:!b, a:&b, globs)')
    .option('--host <name>', "only this host's variables")
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action((flags: InventoryFlags) => {
      const inv = loadInventory(flags.inventory)
      for (const w of inv.warnings ?? []) process.stderr.write(`WARNING: ${w.format()}\n`)
      const doc = flags.host ? hostDoc(inv, flags.host) : listDoc(inv, flags.limit)
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { nullStr: '' }))
    })
}

function hostDoc(inv: Inventory, name: string): unknown {
  const host = inv.hosts.get(name)
  if (!host) throw new ConfigError(`--host: no host '${name}' in the inventory (${inv.hosts.size} hosts: ${[...inv.hosts.keys()].slice(0, 10).join(', ')}${inv.hosts.size > 10 ? ', ...' : ''})`)
  return maskSecrets(host.vars)
}

function listDoc(inv: Inventory, limit?: string): unknown {
  if (limit) {
    const err = checkPattern(inv, limit)
    if (err) throw new ConfigErrors([new ConfigError(`--limit: ${err.message}`)])
  }
  const selected = new Set(limit ? selectHosts(inv, limit) : inv.hosts.keys())
  const hosts: Record<string, unknown> = {}
  for (const h of inv.hosts.values()) {
    if (selected.has(h.name)) hosts[h.name] = { groups: h.groups, vars: maskSecrets(h.vars) }
  }
  const groups: Record<string, unknown> = {}
  for (const g of inv.groups.values()) {
    const members = g.hosts.filter((h) => selected.has(h))
    if (limit && members.length === 0) continue
    groups[g.name] = { hosts: members, children: g.children, vars: maskSecrets(g.vars) }
  }
  return { hosts, groups }
}
