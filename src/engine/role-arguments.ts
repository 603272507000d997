// A role's argument_specs, checked before any host is contacted: for every use of a role whose entry point
// has a spec (and no rolespec_validate: false), on every host of its play, the values its tasks would start
// with (parameters, the role's defaults and vars, play vars, inventory, extra vars: the run's own scope
// without facts) are validated. A variable only set once tasks run (register, set_fact) cannot be missing;
// one whose template needs facts is checked where it is used. Ansible runs the same check as the role's
// first task, so it fails the same uses, only later.
import { ConfigError, type SourceLocation } from '../errors.js'
import type { Inventory, Vars } from '../inventory/types.js'
import { findHost, selectHosts } from '../inventory/index.js'
import {
  argumentSpecOf, definedAtRunTime, validateArguments, varLoc, walkPlay, type Playbook, type RoleNode,
} from '../playbook/index.js'
import { locOf } from '../yaml-source.js'
import { playScope, taskVars, type ScopeRun } from './play-scope.js'
import { loadPlayVarsFiles } from './run-play.js'

export function roleArgumentErrors(inventory: Inventory, playbook: Playbook, extraVars: Vars, limit?: Set<string>): ConfigError[] {
  const out: ConfigError[] = []
  const runtime = definedAtRunTime(playbook)
  const run: ScopeRun = { inventory, extraVars, check: false, hostVarsOf: (name) => ({ ...inventory.hosts.get(name)?.vars }) }
  for (const play of playbook.plays) {
    const uses = [...walkPlay(play)].filter((n): n is RoleNode => n.kind === 'role' && argumentSpecOf(n.runs.role).spec !== undefined)
    if (uses.length === 0) continue
    let hosts: string[]
    let varsFiles: Vars
    try {
      hosts = play.hosts === '' ? [] : selectHosts(inventory, play.hosts).filter((h) => !limit || limit.has(h))
      varsFiles = loadPlayVarsFiles({ extraVars, playbook }, play)
    } catch {
      continue // the pattern or a vars file is reported by the pre-flight check itself
    }
    const scope = playScope(play, varsFiles, hosts)
    for (const node of uses) {
      const role = node.runs.role
      const { spec, entry, validate } = argumentSpecOf(role)
      if (!spec || !validate) continue
      const what = `role '${role.name}'${entry === 'main' ? '' : ` (entry point '${entry}')`}`
      for (const name of hosts) {
        const inv = findHost(inventory, name)!
        const host = { name, inv, facts: {}, registered: {} }
        const vars = taskVars(run, scope, host, { vars: node.vars, role: node.runs, params: node.params })
        // The value's position: the first source, in precedence order, that sets it.
        const sources: Vars[] = [extraVars, node.params ?? {}, role.params, node.vars, role.vars, role.keywordVars, play.vars, varsFiles, inv.vars, role.defaults]
        const locate = (key: string): SourceLocation | undefined => {
          const source = sources.find((s) => key in s)
          return source && (varLoc(source, key) ?? locOf(source, key))
        }
        for (const p of validateArguments(spec, vars, what, node.loc, locate, runtime)) out.push(new ConfigError(p.message, p.loc))
      }
    }
  }
  return out
}
