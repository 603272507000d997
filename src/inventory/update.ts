// Changes to an inventory while a run goes on (add_host, group_by), as Ansible's strategy applies them:
// a host joins groups (created on first mention, as children of `all` or of the parents named), a new
// host gets the variables of its groups and its own, a host with a group leaves `ungrouped`. The
// inventory is never changed in place: each change makes a new Inventory (unchanged hosts and groups are
// shared), so whatever is cached per inventory (groups, hostvars, task scopes) is built again.
import { isLocalhostName } from './localhost.js'
import { ancestors } from './resolve.js'
import type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js'

export interface Membership {
  host: string
  /** Groups the host joins (besides those it is in). */
  groups: readonly string[]
  /** Parents of the groups that do not exist yet (Ansible's group_by `parents`); default `all`. */
  parents?: readonly string[]
  /** Variables set on the host itself (add_host's other parameters); they win over group variables. */
  vars?: Vars
}

export interface Updated {
  inventory: Inventory
  /** False when the host, its groups and its variables were all already so. */
  changed: boolean
}

const SPECIAL = new Set(['all', 'ungrouped'])

export function addMembership(inv: Inventory, m: Membership): Updated {
  const groups = new Map(inv.groups)
  const hosts = new Map(inv.hosts)
  let changed = false
  const isNew = !hosts.has(m.host)
  const parentsOf = (g: string): string[] => [...groups.values()].filter((p) => p.children.includes(g)).map((p) => p.name)
  const ensureGroup = (name: string, parents: readonly string[]): void => {
    if (groups.has(name)) return
    groups.set(name, { name, hosts: [], children: [], vars: {} })
    changed = true
    for (const p of parents.length > 0 ? parents : ['all']) {
      if (p !== 'all') ensureGroup(p, ['all'])
      const parent = groups.get(p)!
      groups.set(p, { ...parent, children: [...parent.children, name] })
    }
  }
  for (const g of m.groups) ensureGroup(g, m.parents ?? ['all'])

  // The host's groups after the change: its own, the new ones, and every ancestor of those.
  const parents = new Map([...groups.keys()].map((g) => [g, parentsOf(g)]))
  const before = new Set(isNew ? [] : ancestors(hosts.get(m.host)!.groups, parents))
  const member = ancestors([...before, ...m.groups.filter((g) => !SPECIAL.has(g))], parents)
  member.add('all')
  const own = [...member].filter((g) => !SPECIAL.has(g))
  if (own.length === 0) member.add('ungrouped')
  const order = [...hosts.keys(), ...(isNew ? [m.host] : [])]
  for (const g of new Set([...member, ...groups.keys()])) {
    const group = groups.get(g)!
    const should = member.has(g)
    if (should === group.hosts.includes(m.host)) continue
    changed = true
    const list = should ? [...group.hosts, m.host] : group.hosts.filter((h) => h !== m.host)
    groups.set(g, { ...group, hosts: order.filter((h) => list.includes(h)) })
  }

  const joined = own.filter((g) => !before.has(g))
  const depth = depthOf(groups)
  const byDepth = (x: string, y: string): number => depth(x) - depth(y) || (x < y ? -1 : x > y ? 1 : 0)
  const groupVars = (names: string[]): Vars => Object.assign({}, ...names.sort(byDepth).map((g) => groups.get(g)!.vars))
  const current = hosts.get(m.host)
  // A new host: all < its groups by depth < its own variables. A known host keeps its variables over the
  // groups it joins (they were below its own), and add_host's variables go on top.
  const vars: Vars = current
    ? { ...groupVars(joined), ...current.vars, ...m.vars }
    : { ...groups.get('all')!.vars, ...groupVars(own), ...m.vars }
  // add_host's variables were rendered by its task: they are data from now on, never rendered again.
  const data = [...new Set([...(current?.dataVars ?? []), ...Object.keys(m.vars ?? {})])]
  const host: InventoryHost = { ...current, name: m.host, vars, groups: own.sort(), ...(data.length > 0 && { dataVars: data }) }
  if (!current || !sameVars(current.vars, vars) || current.groups.join('\0') !== host.groups.join('\0') || (current.dataVars ?? []).length !== data.length) {
    changed = true
    hosts.set(m.host, host)
  }
  if (!changed) return { inventory: inv, changed }
  // A host added under one of the controller's names is the controller from now on, not the implicit one.
  const implicitLocalhost = isLocalhostName(m.host) ? undefined : inv.implicitLocalhost
  return { inventory: { ...inv, hosts, groups, implicitLocalhost }, changed }
}

function depthOf(groups: Map<string, InventoryGroup>): (g: string) => number {
  const memo = new Map<string, number>([['all', 0]])
  const depth = (g: string, seen = new Set<string>()): number => {
    const known = memo.get(g)
    if (known !== undefined) return known
    seen.add(g)
    const parents = [...groups.values()].filter((p) => p.children.includes(g) && !seen.has(p.name))
    const d = Math.max(0, ...parents.map((p) => depth(p.name, seen) + 1))
    memo.set(g, d)
    return d
  }
  return (g) => depth(g)
}

function sameVars(a: Vars, b: Vars): boolean {
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]))
}
