// The variables a task sees on a host, layered as issue #2 and Ansible define:
// inventory group < inventory host < play vars < vars_files < task/block/include vars
// < registered and set_fact (and gathered facts) < extra vars; magic variables on top.
// Templated values inside variables ("{{ pg_prefix }}/bin") are resolved when the scope is built.
import type { Vars } from '../inventory/types.js'
import type { Play } from '../playbook/index.js'
import { buildHostVars, magicVars, MAGIC_VARIABLES } from '../vars/index.js'
import type { HostState } from './host-state.js'
import type { RunContext } from './run-context.js'
import { resolveTemplatedVars } from './resolve-vars.js'
import { cachedScope, templateMentions, type BuiltScope } from './scope-cache.js'

export interface PlayScope {
  play: Play
  vars: Vars
  varsFiles: Vars
  /** Hosts of the play (all batches), for ansible_play_hosts and run_once. */
  hostNames: string[]
}

/** What the scope needs from a run and a host; `pgha render` builds the same scope without a RunContext. */
const MAGIC: readonly string[] = [...MAGIC_VARIABLES, 'ansible_loop_var']

export type ScopeRun = Pick<RunContext, 'inventory' | 'extraVars' | 'check' | 'hostVarsOf'>
export type ScopeHost = Pick<HostState, 'name' | 'inv' | 'facts' | 'registered'>

export function taskVars(run: ScopeRun, scope: PlayScope, host: ScopeHost, extra?: Vars): Vars {
  return cachedScope(scope, host, { facts: host.facts, registered: host.registered, extra }, () => buildTaskVars(run, scope, host, extra))
}

function buildTaskVars(run: ScopeRun, scope: PlayScope, host: ScopeHost, extra?: Vars): BuiltScope {
  const vars = buildHostVars({
    inventory: host.inv.vars,
    play: scope.vars,
    varsFiles: extra ? { ...scope.varsFiles, ...extra } : scope.varsFiles,
    facts: host.facts,
    registered: host.registered,
    extra: run.extraVars,
    magic: magicVars(run.inventory, host.name, scope.hostNames, run.check, run.hostVarsOf),
  })
  // Registered results and facts are what the host answered: rendering them would let a command's output
  // (`{{ ansible_become_password }}` in a file it printed) pull a secret into a later task's arguments.
  // Magic variables are computed, never templates; walking hostvars would also read every host's results.
  const data = new Set([...MAGIC, ...Object.keys(host.facts), ...Object.keys(host.registered)].filter((k) => !(k in run.extraVars)))
  const keep = !Object.keys(vars).some((k) => !data.has(k) && templateMentions(vars[k], 'hostvar'))
  return { vars: resolveTemplatedVars(vars, data), keep }
}
