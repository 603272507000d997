// The lab: local Debian 12 test hosts, each a systemd-nspawn container with its own network namespace,
// address, sshd and sudo. Used by `pgha lab` and by the e2e tests.
import { withLabLock } from './lock.js'
import { teardownAll } from './teardown.js'
import type { Log } from './image.js'

export { labUp, labReset, DEFAULT_INVENTORY, type LabUpOptions, type LabInfo } from './up.js'
export { labStatus, labExec, type NodeStatus } from './status.js'
export { labCut, labHeal } from './faults.js'
export { labSupport, type LabSupport } from './support.js'
export { ensureRepmgrSource, REPMGR_VERSION } from './repmgr-source.js'
export { readState as labState, type LabState } from './state.js'
export { planNodes } from './plan.js'
export { inventoryText, knownHostsText } from './outputs.js'
export { RECIPE, recipeHash } from './recipe.js'
export type { LabNode } from './node.js'
export type { RunResult } from './run.js'

/** Stops every node and removes namespaces, mounts, veths and the bridge (the image cache stays). */
export async function labDown(log?: Log): Promise<void> {
  await withLabLock(() => teardownAll(log))
}
export { labSsh, type LabSshOptions } from './ssh-client.js'
