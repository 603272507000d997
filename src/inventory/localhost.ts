// Ansible's implicit localhost: a play or a task may name `localhost` (or 127.0.0.1, ::1) without the
// inventory listing it, and then runs on the controller itself (connection local). That host is in no group,
// so `all`, `*` and every group leave it out; only a pattern naming it exactly, or delegate_to, selects it.
// It sees the variables of group `all` (inline and group_vars/all) and host_vars/localhost, as in Ansible.
import type { Inventory, InventoryHost } from './types.js'

/** The names that mean the controller, as Ansible's C.LOCALHOST. */
export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1']

export const isLocalhostName = (name: string): boolean => LOCALHOST_NAMES.includes(name)

/** Whether the inventory lists the controller under one of its names (then no implicit host is made). */
export const listsLocalhost = (names: Iterable<string>): boolean => [...names].some(isLocalhostName)

/** The host a name means: the inventory's own, else the implicit localhost for one of its names. */
export function findHost<H = InventoryHost>(inv: { hosts: ReadonlyMap<string, H>; implicitLocalhost?: H }, name: string): H | undefined {
  return inv.hosts.get(name) ?? (isLocalhostName(name) ? inv.implicitLocalhost : undefined)
}

/** The inventory's hosts in order, then the implicit localhost if there is one: every host a run may reach. */
export function reachableHosts(inv: Inventory): string[] {
  return inv.implicitLocalhost ? [...inv.hosts.keys(), inv.implicitLocalhost.name] : [...inv.hosts.keys()]
}
