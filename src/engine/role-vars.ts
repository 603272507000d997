// A role's variables as Ansible's Role class computes them (playbook/role/__init__.py), for a task of the
// role reached through `chain` (the roles whose dependency, or include, brought it in, outermost first):
// - defaults: every dependency's defaults, the chain's own, then the role's (get_default_vars);
// - vars: the chain's `vars:` keyword and vars/, every dependency's, then the role's keyword vars and its
//   vars/ (get_vars without parameters): vars/ wins over the `vars:` written where the role is used;
// - parameters: the chain's, then the role's (get_role_params).
// Where each lands in the one precedence order is play-scope.ts's business.
import type { Vars } from '../inventory/types.js'
import type { Role, RoleContext } from '../playbook/index.js'

/** Ansible's get_all_dependencies: each dependency after its own, recursively (repeats kept, as there). */
function allDependencies(role: Role): Role[] {
  return role.dependencies.flatMap((dep) => [...allDependencies(dep), dep])
}

const ownDefaults = new WeakMap<Role, Vars>()
const ownVars = new WeakMap<Role, Vars>()

/** get_default_vars() of a role on its own: its dependencies' defaults under its own. */
function defaultsOf(role: Role): Vars {
  let v = ownDefaults.get(role)
  if (!v) ownDefaults.set(role, (v = Object.assign({}, ...allDependencies(role).map(defaultsOf), role.defaults) as Vars))
  return v
}

/** get_vars(include_params=False) of a role on its own: its dependencies', its keyword vars, its vars/. */
function varsOf(role: Role): Vars {
  let v = ownVars.get(role)
  if (!v) ownVars.set(role, (v = Object.assign({}, ...allDependencies(role).map(varsOf), role.keywordVars, role.vars) as Vars))
  return v
}

interface ContextVars {
  defaults: Vars
  vars: Vars
  params: Vars
}

const byContext = new WeakMap<RoleContext, ContextVars>()

/** A role task's defaults, vars and parameters (computed once per role context). */
export function roleContextVars(ctx: RoleContext): ContextVars {
  let v = byContext.get(ctx)
  if (!v) {
    const { role, chain } = ctx
    v = {
      defaults: Object.assign({}, ...allDependencies(role).map(defaultsOf), ...chain.map((r) => r.defaults), role.defaults) as Vars,
      vars: Object.assign({}, ...chain.flatMap((r) => [r.keywordVars, r.vars]), ...allDependencies(role).map(varsOf), role.keywordVars, role.vars) as Vars,
      params: Object.assign({}, ...chain.map((r) => r.params), role.params) as Vars,
    }
    byContext.set(ctx, v)
  }
  return v
}

/** What the play's roles give every task of the play: each role's defaults, and each one's vars. */
export interface PlayRoleVars {
  list: readonly Role[]
  defaults: Vars
  vars: Vars
}

export function playRoleVars(list: readonly Role[]): PlayRoleVars {
  return {
    list,
    defaults: Object.assign({}, ...list.map(defaultsOf)) as Vars,
    vars: Object.assign({}, ...list.map(varsOf)) as Vars,
  }
}

/** The names roleMagicVars defines (for the pre-flight check of undefined variables). */
export const ROLE_MAGIC_VARIABLES = ['ansible_play_role_names', 'role_names', 'ansible_role_names', 'ansible_dependent_role_names', 'role_name', 'role_path', 'ansible_role_name']

/** The magic variables about roles: the play's (role_names, ...) and, for a role's task, role_name and role_path. */
export function roleMagicVars(play: PlayRoleVars, ctx: RoleContext | undefined): Vars {
  const names = play.list.map((r) => r.name)
  const dependencies = [...new Set(play.list.flatMap((r) => allDependencies(r).map((d) => d.name)))]
  const out: Vars = {
    ansible_play_role_names: names,
    role_names: names,
    ansible_role_names: [...new Set([...dependencies, ...names])],
    ansible_dependent_role_names: dependencies,
  }
  if (ctx) Object.assign(out, { role_name: ctx.role.name, role_path: ctx.role.path, ansible_role_name: ctx.role.name })
  return out
}
