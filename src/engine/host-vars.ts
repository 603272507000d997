// `hostvars[name]` as Ansible gives it: another host's variables outside any play (inventory, facts,
// include_vars, set_fact and registered results, extra vars, its own inventory_hostname, group_names and
// groups), with templated values rendered against that host's variables, as Ansible's HostVars does.
// What the host answered (facts, registered results) is data and is not rendered.
// Templates read it often (a pg_hba.conf line per node, each through hostvars): the variables are kept per
// host while what they are made of is unchanged (scope-cache.ts), rather than merged and rendered anew at
// every read.
import { findHost } from '../inventory/index.js'
import type { Vars } from '../inventory/types.js'
import { magicVars } from '../vars/index.js'
import { inventoryVars, resolveTemplatedVars } from './resolve-vars.js'
import type { ScopeHost } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { cachedScope } from './scope-cache.js'

/** The hosts a run knows, by name: the engine's host states, or `pgha render`'s offline hosts. */
type KnownHosts = ReadonlyMap<string, Pick<ScopeHost, 'facts' | 'registered' | 'included'>>

type HostVarsRun = Pick<RunContext, 'inventory' | 'extraVars'> & { hosts: KnownHosts }

/** What cachedScope compares for every host: nothing of a play (no roles). */
const NO_ROLES = {}

export function hostVarsOf(run: HostVarsRun, name: string): Vars {
  const h = run.hosts.get(name)
  if (!h) return build(run, name).vars
  const inputs = { facts: h.facts, included: h.included, registered: h.registered, layer: { vars: run.extraVars }, playRoles: NO_ROLES, inventory: run.inventory }
  return cachedScope(run, h, inputs, () => build(run, name))
}

function build(run: HostVarsRun, name: string): { vars: Vars; keep: boolean } {
  const h = run.hosts.get(name)
  const inv = findHost(run.inventory, name)
  const facts = h?.facts ?? {}
  const included = h?.included ?? {}
  const registered = h?.registered ?? {}
  const { inventory_hostname, inventory_hostname_short, group_names, groups } = magicVars(run.inventory, name, [], false)
  const vars: Vars = { ...(inv && inventoryVars(inv)), ...facts, ...included, ...registered, ...run.extraVars, inventory_hostname, inventory_hostname_short, group_names, groups }
  const data = new Set([...Object.keys(facts).filter((k) => !(k in included)), ...Object.keys(registered)].filter((k) => !(k in run.extraVars)))
  // Rendered without hostvars: nothing here depends on another host's state.
  return { vars: resolveTemplatedVars(vars, data), keep: true }
}
