// Stopping the lab and clearing what a crashed or interrupted run left: nspawn processes, overlay mounts,
// namespaces, veths, the bridge. Works from what is on the machine, not only from the state file.
import { existsSync, readdirSync } from 'node:fs'
import { labPaths } from './paths.js'
import { killOrphans, labNspawns } from './processes.js'
import { leftoverNetworks, removeBridge, removeNodeNetwork } from './network.js'
import { stopNode } from './node.js'
import { clearState } from './state.js'
import { unmountUnder } from './mounts.js'
import { tryRun } from './run.js'

type Log = (m: string) => void

/** Stops the given nodes (all lab nodes when omitted) and removes their networks. */
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

/** Everything down and gone, except the image cache, the lab key and the nodes' host keys. */
export async function teardownAll(log: Log = () => undefined): Promise<void> {
  await killOrphans()
  await stopNodes()
  const left = await leftoverNetworks()
  for (const ns of left.netns) await tryRun('ip', ['netns', 'del', ns])
  for (const v of left.veths) await tryRun('ip', ['link', 'del', v])
  await removeBridge()
  await unmountUnder(labPaths.nodes())
  await unmountUnder(labPaths.images())
  clearState()
  log('lab is down')
}
