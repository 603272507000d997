// Network faults for failover tests: a full cut (veth down) or a partition between groups of nodes.
import { PghaError } from '../errors.js'
import { cutNode, healNode, partition } from './network.js'
import { readState } from './state.js'
import type { LabNode } from './node.js'

function lookup(names: string[]): LabNode[] {
  const state = readState()
  if (!state) throw new PghaError('internal', 'lab: no lab is up')
  return names.map((name) => {
    const n = state.nodes.find((x) => x.name === name)
    if (!n) throw new PghaError('internal', `lab: ${name} is not a lab node`)
    return n
  })
}

/**
 * Without `from`: each node loses its link (nobody reaches it, not even the host).
 * With `from`: `nodes` and `from` can no longer reach each other; everything else still works.
 */
export async function labCut(nodes: string[], from?: string[]): Promise<void> {
  const cut = lookup(nodes)
  if (!from?.length) {
    for (const n of cut) await cutNode(n.name)
    return
  }
  const peers = lookup(from)
  for (const a of cut) {
    for (const b of peers) {
      await partition(a.name, b.address)
      await partition(b.name, a.address)
    }
  }
}

/** Every link up, every partition gone. */
export async function labHeal(): Promise<void> {
  const state = readState()
  for (const n of state?.nodes ?? []) await healNode(n.name)
}
