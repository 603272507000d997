// Brings the lab up once for the whole e2e run (reusing a running one) and takes it down at the end.
// Where the lab cannot run, every e2e test is skipped with the reason on a visible line, unless
// PGHA_REQUIRE_LAB=1 (CI), which turns that into a failure. PGHA_LAB_INSTANCE=N runs the suite on lab
// instance N (its own subnet, state and inventory/lab<N>.yml), so a developer's lab 0 stays as it is.
import type { TestProject } from 'vitest/node'
import { labDown, labInstance, labSupport, labState, labStatus, labUp, type LabInfo } from '../../src/lab/index.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running lab, or null when e2e tests are skipped. */
    pghaLab: LabInfo | null
    /** Why e2e tests are skipped ('' when they run). */
    pghaLabSkip: string
  }
}

const say = (m: string): void => { process.stdout.write(`e2e: ${m}\n`) }

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // Refuses a bad value before anything is touched; the test workers inherit the normalised one.
  const instance = labInstance()
  process.env.PGHA_LAB_INSTANCE = String(instance)
  const support = labSupport()
  if (!support.ok) {
    if (process.env.PGHA_REQUIRE_LAB === '1') {
      throw new Error(`e2e: the lab cannot run here and PGHA_REQUIRE_LAB=1 requires it: ${support.reason}`)
    }
    say(`SKIPPED — ${support.reason}`)
    project.provide('pghaLab', null)
    project.provide('pghaLabSkip', support.reason ?? 'the lab cannot run here')
    return undefined
  }
  const nodes = (process.env.PGHA_LAB_NODES || 'node1,node2').split(',').map((s) => s.trim()).filter(Boolean)
  // A lab that was already up and healthy belongs to whoever started it: reuse it, leave it running.
  const before = labState()
  const wasRunning = !!before && (await labStatus()).every((n) => n.sshd)
  say(`bringing lab instance ${instance} up (${nodes.join(', ')}); the first run builds the base image, which takes minutes`)
  const info = await labUp({ nodes, log: (m) => say(m) })
  say(`lab ${info.reused ? 'reused' : 'up'} in ${(info.elapsedMs / 1000).toFixed(1)} s: ${info.nodes.map((n) => `${n.name} ${n.address}`).join(', ')}`)
  project.provide('pghaLab', info)
  project.provide('pghaLabSkip', '')
  return async () => {
    if (process.env.PGHA_LAB_KEEP === '1' || (wasRunning && info.reused)) {
      say('leaving the lab running (PGHA_LAB_KEEP=1 or it was up before the tests)')
      return
    }
    await labDown()
    say(`lab instance ${instance} is down`)
  }
}
