// The lab: local Debian 12 test hosts, each a systemd-nspawn container with its own network namespace,
// address, sshd and sudo. Used by `pgha lab` and by the e2e tests.
//
// Instances: several labs run side by side on one machine, chosen by PGHA_LAB_INSTANCE=N (the CLI's
// `--instance N` sets it), N in 0..9. Every function here works on the instance the variable names when
// it is called. Instance 0 (the default) keeps the original names:
//
//                 instance 0                    instance N (1..9)
//   bridge        pgha-br0, 10.77.0.1/24        pgha-br<N>, 10.77.<N>.1/24
//   node i        10.77.0.(10+i)                10.77.<N>.(10+i)
//   netns         pgha-<node>                   pgha<N>-<node>
//   veth          pgha-v-<node>                 pg<N>v-<node>   (node names <= 8 chars fit IFNAMSIZ 15)
//   machine       <node>                        pgha<N>-<node>  (hostname inside is <node> in both)
//   PGHA_LAB_NODE <node>                        <N>/<node>
//   state, lock,  PGHA_LAB_DIR/{state.json,     PGHA_LAB_DIR/instances/<N>/{state.json,lock,nodes/}
//   nodes         lock,nodes/}
//   inventory     inventory/lab.yml (+ .known_hosts)  inventory/lab<N>.yml (+ .known_hosts)
//
// Shared by every instance: the base image cache, the lab key, the source tarballs and the PostgreSQL
// builds from source, each created under its own lock in PGHA_LAB_DIR (image.lock, key.lock, src.lock,
// build.lock), so two instances can build at once.
// Teardown matches names exactly per instance: `down` of one never touches another's nodes.
import { withLabLock } from './lock.js'
import { teardownAll } from './teardown.js'
import type { Log } from './image.js'

export { labUp, labReset, DEFAULT_INVENTORY, type LabUpOptions, type LabInfo } from './up.js'
export { labStatus, labExec, type NodeStatus } from './status.js'
export { labCut, labHeal } from './faults.js'
export { labReboot, type LabRebootOptions } from './reboot.js'
export { labSupport, type LabSupport } from './support.js'
export { ensureRepmgrSource, REPMGR_VERSION } from './repmgr-source.js'
export {
  ensurePostgresSource, hasSourceBuild, labSourceLayout, postgresSourceVersion, saveSourceBuild, seedSourceBuild, sourceBuildKey,
  writeSourceLayoutInventory, PG_SOURCE_PACKAGE, SOURCE_LAYOUT_GROUP, SOURCE_LAYOUT_PREFIX, type SourceLayout,
} from './postgres-source.js'
export { readState as labState, type LabState } from './state.js'
export { planNodes } from './plan.js'
export { MAX_INSTANCE, defaultInventory, labInstance, labNet, parseLabInstance, type LabNet } from './paths.js'
export { inventoryText, knownHostsText } from './outputs.js'
export { RECIPE, recipeHash } from './recipe.js'
export type { LabNode } from './node.js'
export type { RunResult } from './run.js'

/** Stops the instance's nodes and removes its namespaces, mounts, veths and bridge (the shared image cache stays). */
export async function labDown(log?: Log): Promise<void> {
  await withLabLock(() => teardownAll(log))
}
export { labSsh, type LabSshOptions } from './ssh-client.js'
