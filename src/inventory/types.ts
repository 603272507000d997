import type { ConfigError, SourceLocation } from '../errors.js'

export type Vars = Record<string, unknown>

export interface InventoryHost {
  name: string
  /** Variables after group precedence (all < parents < children, then host vars). */
  vars: Vars
  /** Groups the host belongs to, directly or through children, without `all`/`ungrouped`, sorted. */
  groups: string[]
  loc?: SourceLocation
  /** Ansible's implicit localhost (localhost.ts): in no group, selected only by its name. */
  implicit?: true
  /**
   * Variables whose values are data, never templates: what add_host set, which a task already rendered
   * (a registered stdout holding `{{ ... }}` stays text when the added host's plays read it).
   */
  dataVars?: readonly string[]
}

export interface InventoryGroup {
  name: string
  /** Hosts directly in the group and in its descendants, in inventory order. */
  hosts: string[]
  children: string[]
  vars: Vars
  loc?: SourceLocation
}

export interface Inventory {
  /** Absolute path of the inventory file (or directory). */
  source: string
  hosts: Map<string, InventoryHost>
  /** Ansible's implicit localhost (localhost.ts), when the inventory does not list the controller: not in `hosts`. */
  implicitLocalhost?: InventoryHost
  /** Includes `all` and `ungrouped`. */
  groups: Map<string, InventoryGroup>
  /** Problems that do not stop a run (a host_vars file for no host...), each with its location. */
  warnings?: ConfigError[]
}
