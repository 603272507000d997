// A host's task scope merges every layer and renders every templated variable: hundreds of variables per
// task on site.yml, for each host. It only changes when the task's own variables or the host's facts or
// registered results do, so the last scope is kept per play scope and host and reused while they are the
// same (same keys, same values by identity). Scopes are read, never written, by the engine and modules.
// A scope whose templates read other hosts (hostvars, the hostvar helper) depends on their state too, so
// it is never kept.
import type { Vars } from '../inventory/types.js'

interface Entry {
  /** The task's layer, flattened as [vars..., role, params...]. */
  layer: unknown[]
  playRoles: object
  inventory: object
  /** Keys and values of facts and registered, flattened: [k0, v0, k1, v1, ...]. */
  facts: unknown[]
  registered: unknown[]
  /** What include_vars loaded: replaced, never changed, when more is loaded. */
  included?: Vars
  vars: Vars
}

const entries = new WeakMap<object, WeakMap<object, Entry>>()

export interface ScopeInputs {
  facts: Vars
  registered: Vars
  included?: Vars
  /** What the task adds: its variables, its role, its include parameters. */
  layer: { vars: Vars; role?: object; params?: Vars } | undefined
  /** The play's roles' variables (replaced when a public include_role adds one). */
  playRoles: object
  /** The run's inventory (replaced when add_host or group_by changes it: groups, group_names, hostvars). */
  inventory: object
}

export interface BuiltScope {
  vars: Vars
  /** False when the scope also depends on something outside its inputs (other hosts' variables). */
  keep: boolean
}

/** The scope `build` makes for (scopeKey, hostKey, inputs), built again only when an input changed. */
export function cachedScope(scopeKey: object, hostKey: object, inputs: ScopeInputs, build: () => BuiltScope): Vars {
  let perHost = entries.get(scopeKey)
  if (!perHost) entries.set(scopeKey, (perHost = new WeakMap()))
  const hit = perHost.get(hostKey)
  const layer = flatLayer(inputs.layer)
  if (hit && hit.playRoles === inputs.playRoles && hit.inventory === inputs.inventory && hit.included === inputs.included && sameFlat(hit.facts, inputs.facts) && sameFlat(hit.registered, inputs.registered) && sameList(hit.layer, layer)) {
    return hit.vars
  }
  const { vars, keep } = build()
  if (keep) perHost.set(hostKey, { layer, playRoles: inputs.playRoles, inventory: inputs.inventory, facts: flat(inputs.facts), registered: flat(inputs.registered), included: inputs.included, vars })
  else perHost.delete(hostKey)
  return vars
}

/** A template somewhere in `v` mentions `name` (e.g. 'hostvar' for hostvars and the hostvar helper). */
export function templateMentions(v: unknown, name: string): boolean {
  if (typeof v === 'string') return v.includes('{{') && v.includes(name)
  if (Array.isArray(v)) return v.some((x) => templateMentions(x, name))
  if (v && typeof v === 'object') return Object.values(v).some((x) => templateMentions(x, name))
  return false
}

function flat(v: Vars): unknown[] {
  const out: unknown[] = []
  for (const k of Object.keys(v)) out.push(k, v[k])
  return out
}

function sameFlat(snapshot: unknown[], v: Vars): boolean {
  const keys = Object.keys(v)
  if (keys.length * 2 !== snapshot.length) return false
  for (let i = 0; i < keys.length; i++) {
    if (snapshot[2 * i] !== keys[i] || snapshot[2 * i + 1] !== v[keys[i]]) return false
  }
  return true
}

function flatLayer(layer: ScopeInputs['layer']): unknown[] {
  if (!layer) return []
  return [...flat(layer.vars), '\0role', layer.role, '\0params', ...(layer.params ? flat(layer.params) : [])]
}

function sameList(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
