// Turns what the parsers collected into an Inventory: the children graph (cycles refused), group depth,
// `ungrouped`, each group's hosts, and each host's variables in Ansible's precedence order:
//   inline group vars (all, then the host's groups by depth, ansible_group_priority, name)
//   < group_vars/all < group_vars/<group> (same order) < inline host vars < host_vars/<host>
// Inline inventory vars of every group come before any group_vars file, as in Ansible, so
// group_vars/all.yml overrides an inline [child:vars]: surprising, but what Ansible users rely on.
import { formatLoc, type SourceLocation } from '../errors.js'
import { emptyVars, type InventoryBuilder, type LocatedVars, type RawGroup } from './builder.js'
import type { Inventory, InventoryGroup, InventoryHost } from './types.js'
import type { VarsFiles } from './vars-files.js'
import { listsLocalhost } from './localhost.js'

/** What Ansible gives its implicit localhost as host variables: the controller, reached without SSH. */
const IMPLICIT_LOCALHOST_VARS: LocatedVars = { vars: { ansible_connection: 'local' }, locs: new Map() }

export interface Resolved {
  inventory: Inventory
  /** Where each of a host's resolved variables was set. */
  varLocs: Map<string, Map<string, SourceLocation>>
}

export function resolveInventory(source: string, b: InventoryBuilder, files: VarsFiles): Resolved {
  const children = acyclicChildren(b)
  const parents = new Map<string, string[]>([...b.groups.keys()].map((g) => [g, []]))
  for (const [g, cs] of children) for (const c of cs) parents.get(c)!.push(g)
  // Groups nobody claims are children of `all`, as in Ansible.
  for (const g of b.groups.keys()) {
    if (g !== 'all' && parents.get(g)!.length === 0) {
      children.get('all')!.push(g)
      parents.get(g)!.push('all')
    }
  }
  const depth = depths(parents)
  const priority = (g: string): number => Number(b.groups.get(g)!.vars.vars.ansible_group_priority ?? 1) || 1
  const order = (x: string, y: string): number => depth(x) - depth(y) || priority(x) - priority(y) || (x < y ? -1 : x > y ? 1 : 0)

  const direct = new Map<string, Set<string>>([...b.hosts.keys()].map((h) => [h, new Set()]))
  for (const g of b.groups.values()) for (const h of g.hosts) direct.get(h)!.add(g.name)
  const memberOf = new Map<string, Set<string>>()
  for (const [host, gs] of direct) {
    const own = [...gs].filter((g) => g !== 'all' && g !== 'ungrouped')
    memberOf.set(host, ancestors(own.length > 0 ? own : ['ungrouped'], parents))
  }

  const hostNames = [...b.hosts.keys()]
  const groups = new Map<string, InventoryGroup>()
  for (const g of b.groups.values()) {
    groups.set(g.name, {
      name: g.name,
      hosts: hostNames.filter((h) => memberOf.get(h)!.has(g.name)),
      children: children.get(g.name)!,
      vars: merge([g.vars, files.groups.get(g.name)]).vars,
      ...(g.loc ? { loc: g.loc } : {}),
    })
  }

  const hosts = new Map<string, InventoryHost>()
  const varLocs = new Map<string, Map<string, SourceLocation>>()
  const warned = new Set<string>()
  for (const h of b.hosts.values()) {
    const own = [...memberOf.get(h.name)!].filter((g) => g !== 'all').sort(order)
    const inline = ['all', ...own].map((g) => ({ group: g, vars: b.groups.get(g)!.vars }))
    const groupFiles = ['all', ...own].map((g) => files.groups.get(g))
    const layers: (LocatedVars | undefined)[] = [
      ...inline.map((l) => l.vars),
      ...groupFiles,
      h.vars,
      files.hosts.get(h.name),
    ]
    const merged = merge(layers)
    warnShadowedInline(inline, groupFiles, [h.vars, files.hosts.get(h.name)], b, warned)
    varLocs.set(h.name, merged.locs)
    hosts.set(h.name, {
      name: h.name,
      vars: merged.vars,
      groups: own.filter((g) => g !== 'ungrouped').sort(),
      ...(h.loc ? { loc: h.loc } : {}),
    })
    if (b.groups.has(h.name)) b.warn(`'${h.name}' is both a host and a group; patterns naming it select the group`, h.loc)
  }
  const inventory: Inventory = { source, hosts, groups }
  if (!listsLocalhost(b.hosts.keys())) {
    const local = merge([b.groups.get('all')!.vars, files.groups.get('all'), IMPLICIT_LOCALHOST_VARS, files.hosts.get('localhost')])
    varLocs.set('localhost', local.locs)
    inventory.implicitLocalhost = { name: 'localhost', vars: local.vars, groups: [], implicit: true }
  }
  return { inventory, varLocs }
}

/**
 * A variable written inline under a group in the inventory (`all: vars:`, `[g:vars]`) that a group_vars/
 * file replaces for some host: the value the user sees in the inventory is not the one pgha uses. Warned
 * once per pair of places, naming both. Host variables are the user's own override and stay quiet.
 */
function warnShadowedInline(
  inline: { group: string; vars: LocatedVars }[], groupFiles: (LocatedVars | undefined)[], hostLayers: (LocatedVars | undefined)[],
  b: InventoryBuilder, warned: Set<string>,
): void {
  const last = <T>(list: T[], has: (x: T) => boolean): T | undefined => [...list].reverse().find(has)
  const keys = new Set(groupFiles.flatMap((f) => Object.keys(f?.vars ?? {})))
  for (const key of keys) {
    // A host variable wins over both: the user's own override, nothing to warn about.
    if (hostLayers.some((l) => l && key in l.vars)) continue
    const written = last(inline, (l) => key in l.vars.vars)
    const where = written?.vars.locs.get(key)
    const at = last(groupFiles, (f) => !!f && key in f.vars)?.locs.get(key)
    if (!written || !where || !at) continue
    const id = `${formatLoc(where)} ${formatLoc(at)}`
    if (warned.has(id)) continue
    warned.add(id)
    b.warn(`${key} is set here for group '${written.group}', but ${formatLoc(at)} sets it too and wins (group_vars/ files rank above the inventory's own variables, as in Ansible): set it there instead`, where)
  }
}

/** Later layers win, key by key (Ansible's default hash_behaviour=replace). */
function merge(layers: (LocatedVars | undefined)[]): LocatedVars {
  const out = emptyVars()
  for (const l of layers) {
    if (!l) continue
    Object.assign(out.vars, l.vars)
    for (const k of Object.keys(l.vars)) {
      const loc = l.locs.get(k)
      if (loc) out.locs.set(k, loc)
      else out.locs.delete(k)
    }
  }
  return out
}

/** Each group's children, without the edges that would close a cycle (each reported once, where written). */
function acyclicChildren(b: InventoryBuilder): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const g of b.groups.values()) {
    for (const c of g.children) b.group(c.name, c.loc)
  }
  for (const g of b.groups.keys()) out.set(g, [])
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (g: RawGroup, path: string[]): void => {
    state.set(g.name, 'visiting')
    for (const c of g.children) {
      const s = state.get(c.name)
      if (s === 'visiting') {
        const from = path.indexOf(c.name)
        const cycle = [...(from >= 0 ? path.slice(from) : []), g.name, c.name].join(' -> ')
        b.error(`group '${c.name}' cannot be a child of '${g.name}': that makes a cycle (${cycle})`, c.loc)
        continue
      }
      out.get(g.name)!.push(c.name)
      if (s === undefined) visit(b.groups.get(c.name)!, [...path, g.name])
    }
    state.set(g.name, 'done')
  }
  for (const g of b.groups.values()) if (!state.has(g.name)) visit(g, [])
  return out
}

/** Depth of a group: the longest path from `all` (0), as Ansible computes it for precedence. */
function depths(parents: Map<string, string[]>): (g: string) => number {
  const memo = new Map<string, number>([['all', 0]])
  const depth = (g: string): number => {
    let d = memo.get(g)
    if (d === undefined) {
      d = Math.max(0, ...parents.get(g)!.map((p) => depth(p) + 1))
      memo.set(g, d)
    }
    return d
  }
  return depth
}

/** The groups and every group above them, `all` included. */
export function ancestors(start: string[], parents: Map<string, string[]>): Set<string> {
  const seen = new Set<string>()
  const stack = [...start]
  while (stack.length > 0) {
    const g = stack.pop()!
    if (seen.has(g)) continue
    seen.add(g)
    stack.push(...parents.get(g)!)
  }
  return seen
}
