// The variables a task sees on a host, and the magic variables Ansible defines.
import { findHost } from '../inventory/localhost.js'
import type { Inventory, InventoryHost, Vars } from '../inventory/types.js'
import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { OMIT } from './omit.js'

export interface VarLayers {
  inventory: Vars
  /** Gathered facts (ansible_facts and the ansible_* shortcuts). */
  facts: Vars
  play: Vars
  varsFiles: Vars
  /** What include_vars loaded: above task vars, below set_fact. */
  included?: Vars
  /** Registered results and set_fact. */
  registered: Vars
  extra: Vars
  magic: Vars
}

/**
 * Merges the layers, later winning per top-level key (Ansible's default hash_behaviour=replace):
 * inventory (groups < host) < facts < play vars < vars_files < include_vars < registered/set_fact < extra
 * vars < magic.
 * Facts sit just above inventory as in Ansible; magic variables cannot be overridden.
 * The result has no prototype, so `toString` or `constructor` are not variables.
 */
export function buildHostVars(layers: VarLayers): Vars {
  return Object.assign(
    Object.create(null) as Vars,
    layers.inventory,
    layers.facts,
    layers.play,
    layers.varsFiles,
    layers.included,
    layers.registered,
    layers.extra,
    layers.magic,
  )
}

/** Another host's variables as `hostvars[name]` shows them; the engine passes one that adds facts and registered results. */
export type HostVarsOf = (host: string) => Vars

const groupsCache = new WeakMap<Inventory, Vars>()
const hostVarsCache = new WeakMap<Inventory, Map<HostVarsOf | undefined, Vars>>()

function groupsOf(inv: Inventory): Vars {
  let groups = groupsCache.get(inv)
  if (!groups) {
    groups = Object.create(null) as Vars
    for (const [name, g] of inv.groups) groups[name] = Object.freeze([...g.hosts])
    Object.freeze(groups)
    groupsCache.set(inv, groups)
  }
  return groups
}

/** Inventory variables plus the host's own magic names, when the engine gives no richer view. */
function inventoryView(inv: Inventory): HostVarsOf {
  const memo = new Map<string, Vars>()
  return (name) => {
    let v = memo.get(name)
    if (!v) {
      const h = findHost(inv, name)
      v = { ...h?.vars, inventory_hostname: name, group_names: groupNames(h) }
      memo.set(name, v)
    }
    return v
  }
}

/**
 * `hostvars`: one getter per host, resolved when read, so a task does not copy every host's variables.
 * Built once per inventory and resolver; pass a stable `hostVarsOf` to benefit.
 */
function hostVarsView(inv: Inventory, hostVarsOf: HostVarsOf | undefined): Vars {
  let perResolver = hostVarsCache.get(inv)
  if (!perResolver) hostVarsCache.set(inv, (perResolver = new Map()))
  let view = perResolver.get(hostVarsOf)
  if (!view) {
    const resolve = hostVarsOf ?? inventoryView(inv)
    view = Object.create(null) as Vars
    for (const name of inv.hosts.keys()) {
      Object.defineProperty(view, name, { enumerable: true, get: () => resolve(name) })
    }
    // The implicit localhost can be read by name but is not listed, as in Ansible.
    if (inv.implicitLocalhost) {
      Object.defineProperty(view, 'localhost', { enumerable: false, get: () => resolve('localhost') })
    }
    Object.freeze(view)
    perResolver.set(hostVarsOf, view)
  }
  return view
}

/** Names pgha itself defines for every task (`item` inside loops), so static checks never call them undefined. */
export const MAGIC_VARIABLES: readonly string[] = [
  'inventory_hostname',
  'inventory_hostname_short',
  'group_names',
  'groups',
  'hostvars',
  'ansible_check_mode',
  'ansible_play_hosts',
  'ansible_play_hosts_all',
  'play_hosts',
  'ansible_play_batch',
  'ansible_version',
  'ansible_managed',
  'inventory_dir',
  'inventory_file',
  'playbook_dir',
  'omit',
  'item',
]

/**
 * The ansible-core release whose behaviour pgha follows (its differential tests run against it), for roles
 * that check `ansible_version`.
 */
export const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' }

/** What a play adds to the magic variables: the serial batch running now and the playbook's directory. */
export interface PlayMagic {
  batch?: string[]
  playbookDir?: string
}

const inventoryDirs = new WeakMap<Inventory, string>()

/** The directory of the inventory source (the source itself when it is a directory). */
function inventoryDir(inv: Inventory): string {
  let dir = inventoryDirs.get(inv)
  if (dir === undefined) {
    dir = statSync(inv.source, { throwIfNoEntry: false })?.isDirectory() ? inv.source : dirname(inv.source)
    inventoryDirs.set(inv, dir)
  }
  return dir
}

/** group_names as Ansible gives it: a host in no group is in `ungrouped`; the implicit localhost is in none. */
function groupNames(h: InventoryHost | undefined): string[] {
  if (!h || h.implicit) return []
  return h.groups.length > 0 ? h.groups : ['ungrouped']
}

/** The magic variables of `host`: inventory_hostname, group_names, groups, hostvars, check mode, play hosts. */
export function magicVars(inv: Inventory, host: string, playHosts: string[], checkMode: boolean, hostVarsOf?: HostVarsOf, play: PlayMagic = {}): Vars {
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0],
    group_names: groupNames(inv.hosts.get(host)),
    groups: groupsOf(inv),
    hostvars: hostVarsView(inv, hostVarsOf),
    ansible_check_mode: checkMode,
    ansible_play_hosts: playHosts,
    ansible_play_hosts_all: playHosts,
    play_hosts: playHosts,
    ansible_play_batch: play.batch ?? playHosts,
    ansible_version: ANSIBLE_VERSION,
    // Ansible's default text for templates' `{{ ansible_managed }}` header comment.
    ansible_managed: 'Ansible managed',
    inventory_dir: inventoryDir(inv),
    inventory_file: inv.source,
    ...(play.playbookDir !== undefined ? { playbook_dir: play.playbookDir } : {}),
    omit: OMIT,
  }
}
