// Every fact definition, by name (fixtures seed facts by name).
import type { FactDef } from './types.js'
import { hostFacts } from './host.js'
// --- package, service, user facts (imports) ---
import { aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact } from './package.js'

const all: FactDef<any, any>[] = [
  hostFacts,
  // --- file facts ---
  // --- package, service, user facts ---
  aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact,
]

export const facts: ReadonlyMap<string, FactDef<any, any>> = new Map(all.map((f) => [f.name, f]))

export { hostFacts }
// --- package, service, user facts (exports) ---
export { aptInstalledFact, rpmInstalledFact, aptCandidatesFact, yumUpdatesFact } from './package.js'
export type { InstalledPackages, Candidates } from './package.js'
export { FactCache } from './cache.js'
export type { FactDef } from './types.js'
