// The variables gathered facts give, as a play's gather_facts and the setup module give them: each fact as
// ansible_facts.NAME and ansible_NAME, limited to a gather_subset as Ansible limits it.
import type { HostFacts } from '../modules/types.js'
import type { Vars } from '../inventory/types.js'
import { SUBSETS } from './setup.js'

/** The gather_subset names pgha's fact gathering knows (the keys of SUBSETS, and all). */
export const GATHER_SUBSETS: readonly string[] = ['all', ...Object.keys(SUBSETS)]

/**
 * The variables gathered facts give: ansible_facts.NAME and ansible_NAME, limited to the play's
 * gather_subset (Ansible always adds `min`). Facts given without `setup` (pgha render's, tests') keep
 * the few names pgha's own modules read.
 */
export function factVars(f: HostFacts, subset?: readonly string[]): Vars {
  const { setup, ...own } = f
  const all: Vars = setup ?? { ...own, default_ipv4: { address: f.default_ipv4 } }
  const wanted = subsetNames(subset)
  const facts = Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has(k)))
  const vars: Vars = { ansible_facts: facts }
  for (const [k, v] of Object.entries(facts)) vars[`ansible_${k}`] = v
  return vars
}

/** The fact names a gather_subset keeps: `all` unless told, `!name` removes, `min` always stays. */
function subsetNames(subset: readonly string[] = ['all']): Set<string> {
  const names = new Set<string>(SUBSETS.min)
  const add = (s: string): void => (s === 'all' ? Object.values(SUBSETS) : [SUBSETS[s] ?? []]).flat().forEach((n) => names.add(n))
  const positive = subset.filter((s) => !s.startsWith('!'))
  for (const s of positive.length > 0 ? positive : subset.length > 0 ? ['all'] : []) add(s)
  for (const s of subset.filter((x) => x.startsWith('!'))) {
    const name = s.slice(1)
    if (name === 'all') for (const n of [...names]) if (!SUBSETS.min.includes(n)) names.delete(n)
    for (const n of SUBSETS[name] ?? []) if (name !== 'min') names.delete(n)
  }
  return names
}
