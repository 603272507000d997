// What e2e test files need from the lab: `describe.skipIf(skipReason)(...)`, then `lab` and the helpers.
import { inject } from 'vitest'
import { RECIPE, labInstance, labNet, type LabInfo, type LabNet, type LabNode } from '../../src/lab/index.js'

export { labCut, labExec, labHeal, labReboot, labReset, labSsh, labStatus } from '../../src/lab/index.js'

/** Why the lab is not available (undefined when it is). */
export const skipReason: string | undefined = inject('pghaLabSkip') || undefined

const provided = inject('pghaLab')

/** The lab instance the run uses (PGHA_LAB_INSTANCE, default 0), as the global setup brought it up. */
export const instance: number = provided?.instance ?? labInstance()
// The lab helpers read the instance from the environment on every call: make this worker's match the lab.
process.env.PGHA_LAB_INSTANCE = String(instance)

/** The instance's network: bridge, address prefix (`${net.prefix}.12`), host address. */
export const net: LabNet = labNet(instance)

/** The running lab; only read it inside a suite that is skipped when `skipReason` is set. */
export const lab: LabInfo = provided ?? {
  instance, inventory: '', knownHosts: '', key: '', nodes: [], reused: false, elapsedMs: 0,
}

/** The non-root login user with sudo (password required, requiretty). */
export const loginUser: { name: string; password: string } = RECIPE.user

export function node(name: string): LabNode {
  const n = lab.nodes.find((x) => x.name === name)
  if (!n) throw new Error(`e2e: ${name} is not in the lab (${lab.nodes.map((x) => x.name).join(', ')})`)
  return n
}
