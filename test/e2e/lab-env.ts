// What e2e test files need from the lab: `describe.skipIf(skipReason)(...)`, then `lab` and the helpers.
import { inject } from 'vitest'
import { RECIPE, type LabInfo, type LabNode } from '../../src/lab/index.js'

export { labCut, labExec, labHeal, labReset, labSsh, labStatus } from '../../src/lab/index.js'

/** Why the lab is not available (undefined when it is). */
export const skipReason: string | undefined = inject('pghaLabSkip') || undefined

const provided = inject('pghaLab')

/** The running lab; only read it inside a suite that is skipped when `skipReason` is set. */
export const lab: LabInfo = provided ?? {
  inventory: '', knownHosts: '', key: '', nodes: [], reused: false, elapsedMs: 0,
}

/** The non-root login user with sudo (password required, requiretty). */
export const loginUser: { name: string; password: string } = RECIPE.user

export function node(name: string): LabNode {
  const n = lab.nodes.find((x) => x.name === name)
  if (!n) throw new Error(`e2e: ${name} is not in the lab (${lab.nodes.map((x) => x.name).join(', ')})`)
  return n
}
