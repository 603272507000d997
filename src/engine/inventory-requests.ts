// The one place a task changes the run's inventory: a module whose result carries an InventoryRequest
// (add_host, group_by) has it applied here, for later tasks and plays, as Ansible's strategy does. The run
// gets a new Inventory (src/inventory/update.ts), the hosts' states follow it, and a new host gets its
// state and secrets like the inventory's own hosts. The result's `changed` says whether anything changed.
import { addMembership, type Membership } from '../inventory/index.js'
import type { InventoryRequest, TaskResult } from '../modules/index.js'
import { hostSecrets, learnSecrets } from '../secrets/index.js'
import type { HostState } from './host-state.js'
import { hostState, type RunContext } from './run-context.js'

/** The memberships a result asks for, on behalf of `host` (group_by's host). */
export function requestedMemberships(result: InventoryRequest, host: string): Membership[] {
  const out: Membership[] = []
  if (result.add_host) out.push({ host: result.add_host.host_name, groups: result.add_host.groups, vars: result.add_host.host_vars })
  if (result.add_group !== undefined) out.push({ host, groups: [result.add_group], parents: result.parent_groups })
  return out
}

/** Applies what the result asks of the inventory; true when the inventory changed. */
export function applyInventoryRequests(run: RunContext, host: HostState, result: TaskResult & InventoryRequest): boolean {
  let changed = false
  for (const m of requestedMemberships(result, host.name)) {
    const updated = addMembership(run.inventory, m)
    if (!updated.changed) continue
    changed = true
    run.inventory = updated.inventory
    const state = hostState(run, m.host)
    state.inv = run.inventory.hosts.get(m.host)!
    // Secret variables add_host gives (ansible_password) are scrubbed from output like the inventory's.
    learnSecrets(run, state, hostSecrets(run, m.host))
  }
  return changed
}
