// `pgha lab up`: reuse a healthy lab when it matches, otherwise clear whatever is left and boot afresh.
import { basename, dirname, join, resolve } from 'node:path'
import { PghaError } from '../errors.js'
import { ensureImage, seconds, type Log } from './image.js'
import { ensureLabKey } from './key.js'
import { withLabLock } from './lock.js'
import { assertRoutedThroughBridge, createNodeNetwork, ensureBridge, healNode } from './network.js'
import { bootNode, logTail, nodeLaunched, prepareNode, runningPid, stopNode, type LabNode } from './node.js'
import { defaultInventory, labInstance, labPaths } from './paths.js'
import { planNodes } from './plan.js'
import { recipeHash } from './recipe.js'
import { sshBanner, waitForSshd } from './ssh-probe.js'
import { settleBoot } from './settle-boot.js'
import { readState, writeState, type LabState } from './state.js'
import { labSupport } from './support.js'
import { teardownAll } from './teardown.js'
import { labClusterVars, writeOutputs } from './outputs.js'
import { ensureRepmgrSource } from './repmgr-source.js'
import { ensureHostLimits } from './host-limits.js'
import { labNspawns, otherInstancesNodes } from './processes.js'
import { decideUp, type FoundNode } from './up-decision.js'
import { ensureLabPackages } from './packages.js'

export interface LabUpOptions {
  nodes: string[]
  /** Inventory to write (default inventory/lab.yml, inventory/lab<N>.yml in instance N); known_hosts goes next to it. */
  inventory?: string
  witness?: string
  /** Replace a running lab of this instance that is not the one asked for (default: refuse, touching nothing). */
  force?: boolean
  /** The command the user ran (`lab up`, `demo`), for the hints when a running lab is left alone. */
  command?: string[]
  /** A node that only keeps the pgBackRest repository (group backup); without it the last standby keeps it. */
  backup?: string
  log?: Log
}

export interface LabInfo {
  /** The lab instance (PGHA_LAB_INSTANCE) these nodes belong to. */
  instance: number
  inventory: string
  knownHosts: string
  key: string
  nodes: LabNode[]
  /** True when running nodes were reused rather than booted. */
  reused: boolean
  elapsedMs: number
}

/** Instance 0's inventory; see defaultInventory(instance) for the others. */
export const DEFAULT_INVENTORY = defaultInventory(0)

export async function labUp(opts: LabUpOptions): Promise<LabInfo> {
  const started = Date.now()
  const log = opts.log ?? (() => undefined)
  const planned = planNodes(opts.nodes, opts.witness, labInstance(), opts.backup)
  const instance = labInstance()
  const inventory = resolve(opts.inventory ?? defaultInventory(instance))
  const knownHosts = join(dirname(inventory), `${basename(inventory).replace(/\.ya?ml$/, '')}.known_hosts`)
  await ensureLabPackages(log)
  const support = labSupport()
  if (!support.ok) throw new PghaError('internal', `lab: cannot run here: ${support.reason}`)
  return withLabLock(async () => {
    const pubKey = await ensureLabKey()
    const state: LabState = { image: recipeHash(), nodes: planned, inventory, knownHosts, witness: opts.witness, backup: opts.backup }
    const current = readState()
    const decision = decideUp({
      current, wanted: state, found: await foundNodes(current), force: !!opts.force, instance, command: opts.command ?? ['lab', 'up'],
    })
    if (decision.action === 'refuse') throw new PghaError('config', `lab: ${decision.message}`)
    // A running lab whose nodes do not settle (a unit left failed: a server a test kept down) is booted afresh.
    const reused = decision.action === 'reuse' && (await settleBoot(planned.map((n) => n.name)).then(() => true, (err: Error) => {
      log(`not reusing the running lab: ${err.message}`)
      return false
    }))
    if (reused) {
      log(`reusing the running lab (${planned.map((n) => n.name).join(', ')})`)
    } else {
      log(decision.action === 'replace' ? `--force: replacing it: ${decision.why}` : 'clearing any previous or stale lab state')
      await teardownAll()
      const image = await ensureImage(log)
      await ensureBridge()
      ensureHostLimits(planned.length + otherInstancesNodes(), log)
      log(`booting ${planned.length} node(s)`)
      try {
        await Promise.all(planned.map((n) => bootOne(n, planned, image, pubKey)))
        await waitAll(planned, log)
      } catch (err) {
        await teardownAll()
        throw err
      }
    }
    writeOutputs(planned, inventory, knownHosts, opts.witness, labClusterVars(await ensureRepmgrSource()), opts.backup)
    writeState(state)
    return { instance, inventory, knownHosts, key: labPaths.key(), nodes: planned, reused, elapsedMs: Date.now() - started }
  })
}

async function bootOne(node: LabNode, all: LabNode[], image: string, pubKey: string): Promise<void> {
  await createNodeNetwork(node.name, node.address)
  await assertRoutedThroughBridge(node.address)
  await prepareNode(node, all, image, pubKey)
  bootNode(node.name)
}

async function waitAll(nodes: LabNode[], log: Log): Promise<void> {
  const started = Date.now()
  const timeout = 60_000 + 4_000 * nodes.length
  await Promise.all(nodes.map((n) => waitForSshd(n.name, n.address, timeout, () => (nodeLaunched(n.name) ? undefined : logTail(n.name)))))
  await settleBoot(nodes.map((n) => n.name))
  log(`${nodes.length} node(s) booted and answer SSH after ${seconds(started)}`)
}

/** The instance's nodes on this machine: those of its state and any other that runs, and which answer SSH. */
async function foundNodes(current: LabState | undefined): Promise<FoundNode[]> {
  const nspawns = labNspawns()
  const names = new Set([...(current?.nodes.map((n) => n.name) ?? []), ...nspawns.keys()])
  return Promise.all([...names].map(async (name) => {
    const running = !!runningPid(name) || nspawns.has(name)
    const address = current?.nodes.find((n) => n.name === name)?.address
    return { name, running, sshd: running && !!address && !!(await sshBanner(address)) }
  }))
}

/**
 * Puts nodes back to the pristine image (fresh overlay, same host keys and address, network healed),
 * so a test that installed software leaves the next one a clean host.
 */
export async function labReset(names: string[], log: Log = () => undefined): Promise<void> {
  await withLabLock(async () => {
    const state = readState()
    if (!state) throw new PghaError('internal', 'lab: no lab is up')
    const nodes = names.map((name) => {
      const n = state.nodes.find((x) => x.name === name)
      if (!n) throw new PghaError('internal', `lab: ${name} is not a lab node`)
      return n
    })
    const pubKey = await ensureLabKey()
    const image = labPaths.image(state.image)
    await Promise.all(nodes.map(async (n) => {
      await stopNode(n.name)
      await healNode(n.name)
      await prepareNode(n, state.nodes, image, pubKey)
      bootNode(n.name)
    }))
    await waitAll(nodes, log)
  })
}

