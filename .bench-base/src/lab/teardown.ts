// Stopping one lab instance and clearing what a crashed or interrupted run of it left: nspawn processes,
// overlay mounts, namespaces, veths, the bridge. Works from what is on the machine, not only from the state
// file, and matches names exactly per instance, so other instances' nodes are never touched.
import { existsSync, readdirSync } from 'node:fs'
import { PghaError } from '../errors.js'
import { labInstance, labPaths } from './paths.js'
import { killOrphans, labNspawns } from './processes.js'
import { leftoverNetworks, removeBridge, removeNodeNetwork } from './network.js'
import { stopNode } from './node.js'
import { clearState } from './state.js'
import { unmountUnder } from './mounts.js'
import { withSharedLock } from './lock.js'
import { tryRun } from './run.js'

type Log = (m: string) => void

/** Stops the given nodes (all of the instance's nodes when omitted) and removes their networks. */
export async function stopNodes(names?: string[]): Promise<void> {
  const running = labNspawns()
  const nodesDir = labPaths.nodes()
  const known = new Set([...running.keys(), ...(existsSync(nodesDir) ? readdirSync(nodesDir) : [])])
  const targets = names ?? [...known]
  await Promise.all(targets.map(async (n) => {
    await stopNode(n, running.get(n))
    await removeNodeNetwork(n)
  }))
}

/** Everything of this instance down and gone, except the shared image cache and lab key, and its nodes' host keys. */
export async function teardownAll(log: Log = () => undefined): Promise<void> {
  await killOrphans()
  await stopNodes()
  const left = await leftoverNetworks()
  for (const ns of left.netns) await tryRun('ip', ['netns', 'del', ns])
  for (const v of left.veths) await tryRun('ip', ['link', 'del', v])
  await removeBridge()
  await unmountUnder(labPaths.nodes())
  await unmountLeftoverBuild()
  clearState()
  log(labInstance() === 0 ? 'lab is down' : `lab instance ${labInstance()} is down`)
}

/**
 * An interrupted image build can leave debootstrap's /proc and /sys mounted in its temp dir. Only cleared
 * when no instance is building right now (the build clears its own leftovers when it starts anyway).
 */
async function unmountLeftoverBuild(): Promise<void> {
  try {
    await withSharedLock('image', () => unmountUnder(labPaths.images()), 0)
  } catch (err) {
    if (!(err instanceof PghaError && err.code === 'timeout')) throw err
  }
}
