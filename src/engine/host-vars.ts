// `hostvars[name]` as Ansible gives it: another host's variables outside any play (inventory, facts,
// include_vars, set_fact and registered results, extra vars, its own inventory_hostname, group_names and
// groups), with templated values rendered against that host's variables, as Ansible's HostVars does.
// What the host answered (facts, registered results) is data and is not rendered.
import type { Vars } from '../inventory/types.js'
import { magicVars } from '../vars/index.js'
import { inventoryVars, resolveTemplatedVars } from './resolve-vars.js'
import type { RunContext } from './run-context.js'

export function hostVarsOf(run: Pick<RunContext, 'inventory' | 'hosts' | 'extraVars'>, name: string): Vars {
  const h = run.hosts.get(name)
  const inv = run.inventory.hosts.get(name)
  const facts = h?.facts ?? {}
  const included = h?.included ?? {}
  const registered = h?.registered ?? {}
  const { inventory_hostname, inventory_hostname_short, group_names, groups } = magicVars(run.inventory, name, [], false)
  const vars = { ...(inv && inventoryVars(inv)), ...facts, ...included, ...registered, ...run.extraVars, inventory_hostname, inventory_hostname_short, group_names, groups }
  const data = new Set([...Object.keys(facts).filter((k) => !(k in included)), ...Object.keys(registered)].filter((k) => !(k in run.extraVars)))
  return resolveTemplatedVars(vars, data)
}
