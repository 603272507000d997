// The variables a task sees on a host, layered as Ansible defines them (VariableManager.get_vars), lowest first:
// the play's roles' defaults < the task's role's defaults < inventory group < inventory host < facts
// < play vars < vars_files < the play's roles' vars < the task's role's vars < block/include/task vars
// < include_vars < registered and set_fact < role parameters < include parameters < extra vars; magic variables on top.
// Templated values inside variables ("{{ pg_prefix }}/bin") are resolved when the scope is built.
import { dirname } from 'node:path'
import type { Vars } from '../inventory/types.js'
import type { Play, Role, RoleContext, TaskNode } from '../playbook/index.js'
import { buildHostVars, magicVars, MAGIC_VARIABLES } from '../vars/index.js'
import type { HostState } from './host-state.js'
import type { RunContext } from './run-context.js'
import { dataNames, inventoryVars, resolveTemplatedVars } from './resolve-vars.js'
import { playRoleVars, roleContextVars, roleMagicVars, type PlayRoleVars } from './role-vars.js'
import { cachedScope, templateMentions, type BuiltScope } from './scope-cache.js'

export interface PlayScope {
  play: Play
  vars: Vars
  varsFiles: Vars
  /** Hosts of the play (all batches), for ansible_play_hosts and run_once. */
  hostNames: string[]
  /** What the play's roles give every task; replaced (not changed) when a public include_role adds its role. */
  roles: PlayRoleVars
  /** The play's handlers, and those of the roles include_role has loaded so far. */
  handlers: TaskNode[]
  /** The serial batch running now (ansible_play_batch); all the play's hosts when not set. */
  batch?: string[]
}

export function playScope(play: Play, varsFiles: Vars, hostNames: string[]): PlayScope {
  return { play, vars: play.vars, varsFiles, hostNames, roles: playRoleVars(play.roles), handlers: [...play.handlers] }
}

/** A role an include_role with `public: true` ran: its defaults and vars are seen by the rest of the play. */
export function publishRole(scope: PlayScope, role: Role): void {
  if (!scope.roles.list.includes(role)) scope.roles = playRoleVars([...scope.roles.list, role])
}

/** What a task's own scope adds over the play's: its variables (blocks', includes', its own), its role, its include parameters. */
export interface TaskLayer {
  vars: Vars
  role?: RoleContext
  params?: Vars
}

/** What the scope needs from a run and a host; `pgha render` builds the same scope without a RunContext. */
const MAGIC: readonly string[] = [...MAGIC_VARIABLES, 'ansible_loop_var']

export type ScopeRun = Pick<RunContext, 'inventory' | 'extraVars' | 'check' | 'hostVarsOf'> & Partial<Pick<RunContext, 'playbook'>>
export type ScopeHost = Pick<HostState, 'name' | 'inv' | 'facts' | 'registered'> & Partial<Pick<HostState, 'included'>>

export function taskVars(run: ScopeRun, scope: PlayScope, host: ScopeHost, layer?: TaskLayer): Vars {
  const inputs = { facts: host.facts, included: host.included, registered: host.registered, layer, playRoles: scope.roles, inventory: run.inventory }
  return cachedScope(scope, host, inputs, () => buildTaskVars(run, scope, host, layer))
}

function buildTaskVars(run: ScopeRun, scope: PlayScope, host: ScopeHost, layer?: TaskLayer): BuiltScope {
  const role = layer?.role ? roleContextVars(layer.role) : undefined
  const roles = role !== undefined || scope.roles.list.length > 0
  const defaults = { ...scope.roles.defaults, ...role?.defaults }
  const params = { ...role?.params, ...layer?.params }
  const hasParams = Object.keys(params).length > 0
  const playbookDir = run.playbook ? dirname(run.playbook.file) : undefined
  const hostMagic = magicVars(run.inventory, host.name, scope.hostNames, run.check, run.hostVarsOf, { batch: scope.batch, playbookDir })
  const magic = roles ? { ...hostMagic, ...roleMagicVars(scope.roles, layer?.role) } : hostMagic
  const vars = buildHostVars({
    inventory: Object.keys(defaults).length > 0 ? { ...defaults, ...inventoryVars(host.inv) } : inventoryVars(host.inv),
    play: scope.vars,
    varsFiles: roles || layer ? { ...scope.varsFiles, ...scope.roles.vars, ...role?.vars, ...layer?.vars } : scope.varsFiles,
    facts: host.facts,
    included: host.included,
    // Role and include parameters rank above set_fact and registered results, below extra vars.
    registered: hasParams ? { ...host.registered, ...params } : host.registered,
    extra: run.extraVars,
    magic,
  })
  // Registered results and facts are what the host answered: rendering them would let a command's output
  // (`{{ ansible_become_password }}` in a file it printed) pull a secret into a later task's arguments.
  // Magic variables are computed, never templates; walking hostvars would also read every host's results.
  // What include_vars loaded is vars-file text, rendered like any variable, above a fact of the same name.
  const facts = Object.keys(host.facts).filter((k) => !(k in (host.included ?? {})))
  const data = new Set([...MAGIC, ...facts, ...Object.keys(host.registered)].filter((k) => !(k in run.extraVars) && !(k in params)))
  for (const k of dataNames(vars)) data.add(k)
  const keep = !Object.keys(vars).some((k) => !data.has(k) && templateMentions(vars[k], 'hostvar'))
  return { vars: resolveTemplatedVars(vars, data, host), keep }
}
