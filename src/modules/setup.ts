// setup: gathering facts as a task (dev-sec's os_hardening gathers them when the play did not), by the same
// round trip as a play's gather_facts, read again as Ansible's setup reads them again; gather_subset and
// filter (fnmatch patterns on the ansible_ names) choose what is kept. The facts become the host's, as
// gathered facts are. fact_path and gather_timeout are not taken, as on a play.
import { z } from 'zod'
import { factVars, GATHER_SUBSETS, hostFacts } from '../facts/index.js'
import { globRegex } from '../inventory/patterns.js'
import { defineModule } from './types.js'
import { stringList } from './lib/list-param.js'

const params = z
  .object({
    gather_subset: stringList()
      .default(['all'])
      .refine((subset) => subset.every((s) => GATHER_SUBSETS.includes(s.replace(/^!/, ''))), `gather_subset takes ${GATHER_SUBSETS.join(', ')} (with ! to leave one out)`)
      .describe("Subsets of facts to gather: all, min, network, hardware, virtual, selinux, '!name' to leave one out (min is always gathered)."),
    filter: stringList().default([]).describe('Keep only the facts whose ansible_ names match one of these fnmatch patterns (ansible_distribution*).'),
  })
  .strict()

export default defineModule({
  name: 'setup',
  description: 'Gather the host facts as a task (as gather_facts does at the start of a play).',
  params,
  async plan(ctx, p) {
    ctx.invalidate(hostFacts)
    const { ansible_facts: facts } = factVars(await ctx.fact(hostFacts, {}), p.gather_subset)
    const keep = p.filter.map(globRegex)
    const named = Object.entries(facts as Record<string, unknown>).map(([k, v]) => [`ansible_${k}`, v] as const)
    return { changes: [], result: { ansible_facts: Object.fromEntries(named.filter(([k]) => keep.length === 0 || keep.some((m) => m(k)))) } }
  },
})
