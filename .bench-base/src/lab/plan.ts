// Which nodes, at which addresses: pure, so it is unit-tested without root.
import { ConfigError } from '../errors.js'
import { labInstance, labNet } from './paths.js'
import type { LabNode } from './node.js'

/** Short enough that the veth `pgha-v-<name>` (`pg<N>v-<name>` in instance N) fits IFNAMSIZ (15). */
const NAME = /^[a-z][a-z0-9-]{0,7}$/

/**
 * node<i> gets 10.77.<instance>.(10+i); other names take the lowest free number, in --nodes order.
 * Throws ConfigError for bad or duplicate names, numbers out of range, or a witness that is not a node.
 */
export function planNodes(names: string[], witness?: string, instance = labInstance()): LabNode[] {
  const NET = labNet(instance)
  if (names.length === 0) throw new ConfigError('lab: no nodes given')
  const problems: string[] = []
  const taken = new Map<number, string>()
  for (const name of names) {
    if (!NAME.test(name)) problems.push(`"${name}" is not a valid node name (a-z, 0-9, -, at most 8 characters)`)
    else if (names.indexOf(name) !== names.lastIndexOf(name)) problems.push(`"${name}" is given twice`)
    const m = /(\d+)$/.exec(name)
    if (!m) continue
    const i = Number(m[1])
    if (i < 1 || i > 240) problems.push(`"${name}": the number in a node name must be 1..240`)
    else if (taken.has(i) && taken.get(i) !== name) problems.push(`"${name}" and "${taken.get(i)}" would share address ${NET.prefix}.${10 + i}`)
    else taken.set(i, name)
  }
  if (witness !== undefined && !names.includes(witness)) problems.push(`witness "${witness}" is not one of the nodes`)
  if (witness !== undefined && names.length < 2) problems.push('a witness needs at least one other node')
  if (problems.length) throw new ConfigError(`lab: ${[...new Set(problems)].join('; ')}`)
  let next = 1
  return names.map((name) => {
    const m = /(\d+)$/.exec(name)
    let i = m ? Number(m[1]) : 0
    if (!m) {
      while (taken.has(next)) next++
      i = next
      taken.set(i, name)
    }
    return { name, address: `${NET.prefix}.${10 + i}` }
  })
}
