// Ansible-compatible inventories (INI, YAML, JSON; group_vars/ and host_vars/), host patterns, and the
// connection and become settings of a host.
export type { Inventory, InventoryGroup, InventoryHost, Vars } from './types.js'
export { loadInventory } from './load.js'
export { selectHosts, checkPattern } from './patterns.js'
export { findHost, isLocalhostName, reachableHosts } from './localhost.js'
export { connectionSpec, becomeSpec, ansibleBool, VarError, DEFAULT_CONNECT_TIMEOUT_MS, type ConnectionOptions } from './connection.js'
export { addMembership, type Membership, type Updated } from './update.js'
