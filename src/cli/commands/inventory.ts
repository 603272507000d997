// `pgha inventory -i INVENTORY [-e VARS] [--limit PATTERN] [--host NAME] [--output yaml|json]`: the hosts,
// groups and resolved variables pgha would use, secrets masked, like ansible-inventory --list / --host (-e
// overrides every host's variables there too; a group's own stay as written).
import type { Command } from 'commander'
import { stringify } from 'yaml'
import { ConfigError, ConfigErrors } from '../../errors.js'
import { checkPattern, loadInventory, selectHosts, type Inventory, type Vars } from '../../inventory/index.js'
import { maskSecrets, revealedVaultValues, scrub } from '../../secrets/index.js'
import { parseExtraVars } from '../../vars/index.js'
import { choiceOption, sharedOption } from '../options.js'
import { addVaultOptions, useVaultFlags, type VaultFlags } from '../secret-options.js'

interface InventoryFlags extends Partial<VaultFlags> {
  inventory: string
  extraVars: string[]
  limit?: string
  host?: string
  output: 'yaml' | 'json'
}

export function register(program: Command): void {
  const inventory = program
    .command('inventory')
    .description('show the hosts, groups and resolved variables of an inventory (secrets masked)')
    .addOption(sharedOption.inventory())
    .addOption(sharedOption.extraVars())
    .option('-l, --limit <pattern>', 'only the hosts this pattern selects (a:b, a:!b, a:&b, globs)')
    .option('--host <name>', "only this host's variables")
    .addOption(choiceOption('-o, --output <format>', 'output format', ['yaml', 'json'] as const, 'yaml'))
  addVaultOptions(inventory).action((flags: InventoryFlags) => {
    useVaultFlags({ vaultPasswordFile: flags.vaultPasswordFile ?? [], askVaultPass: flags.askVaultPass, vaultId: flags.vaultId ?? [] })
    const extra = parseExtraVars(flags.extraVars)
    const inv = loadInventory(flags.inventory)
    for (const w of inv.warnings ?? []) process.stderr.write(`WARNING: ${w.format()}\n`)
    const doc = flags.host ? hostDoc(inv, flags.host, extra) : listDoc(inv, extra, flags.limit)
    const text = flags.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { nullStr: '' })
    // A value decrypted from Ansible Vault is masked where it is printed whole, and inside longer text too.
    process.stdout.write(scrub(text, revealedVaultValues()))
  })
}

function hostDoc(inv: Inventory, name: string, extra: Vars): unknown {
  const host = inv.hosts.get(name)
  if (!host) throw new ConfigError(`--host: no host '${name}' in the inventory (${inv.hosts.size} hosts: ${[...inv.hosts.keys()].slice(0, 10).join(', ')}${inv.hosts.size > 10 ? ', ...' : ''})`)
  return maskSecrets({ ...host.vars, ...extra })
}

function listDoc(inv: Inventory, extra: Vars, limit?: string): unknown {
  if (limit) {
    const err = checkPattern(inv, limit)
    if (err) throw new ConfigErrors([new ConfigError(`--limit: ${err.message}`)])
  }
  const selected = new Set(limit ? selectHosts(inv, limit) : inv.hosts.keys())
  const hosts: Record<string, unknown> = {}
  for (const h of inv.hosts.values()) {
    if (selected.has(h.name)) hosts[h.name] = { groups: h.groups, vars: maskSecrets({ ...h.vars, ...extra }) }
  }
  const groups: Record<string, unknown> = {}
  for (const g of inv.groups.values()) {
    const members = g.hosts.filter((h) => selected.has(h))
    if (limit && members.length === 0) continue
    groups[g.name] = { hosts: members, children: g.children, vars: maskSecrets(g.vars) }
  }
  return { hosts, groups }
}
