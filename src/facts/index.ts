// Every fact definition, by name (fixtures seed facts by name).
import type { FactDef } from './types.js'
import { hostFacts } from './host.js'

const all: FactDef<any, any>[] = [
  hostFacts,
  // --- file facts ---
  // --- package, service, user facts ---
]

export const facts: ReadonlyMap<string, FactDef<any, any>> = new Map(all.map((f) => [f.name, f]))

export { hostFacts }
export { FactCache } from './cache.js'
export type { FactDef } from './types.js'
