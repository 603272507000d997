// pg_cluster: reads every node's role, timeline and upstream over the network and names the current
// primary, a split brain, and standbys that do not stream from the primary. Changes nothing (check mode
// runs it too); the playbooks decide which problems stop them.
import { z } from 'zod'
import { pgClusterFact } from '../facts/index.js'
import { defineModule } from './types.js'
import { analyzeCluster } from './lib/cluster-roles.js'

// Playbooks pass groups (lists) side by side: ["{{ groups.primary }}", "{{ groups.standby }}"].
const names = z.array(z.union([z.string(), z.array(z.string())])).transform((l) => [...new Set(l.flat())])

const params = z
  .object({
    nodes: names.describe('The data nodes (primary and standbys), by the names their conninfo uses; lists are flattened.'),
    witness: names.default([]).describe('Witness nodes: asked too, but their own primary instance is not a cluster primary.'),
    port: z.coerce.number().int().min(1).max(65535).default(5432).describe('PostgreSQL port of every node.'),
    user: z.string().default('repmgr').describe('repmgr user.'),
    db: z.string().default('repmgr').describe('repmgr database.'),
    bindir: z.string().min(1).default('/usr/local/pgsql/bin').describe('Directory holding psql.'),
  })
  .strict()

export default defineModule({
  name: 'pg_cluster',
  description: 'Read the current primary, standbys, timelines and any split brain from the nodes themselves.',
  params,
  async plan(ctx, p) {
    const all = [...p.nodes, ...p.witness.filter((w) => !p.nodes.includes(w))]
    // Roles change under a run (switchover, failover, retries waiting for a promotion): always ask again.
    ctx.invalidate(pgClusterFact)
    const states = await ctx.fact(pgClusterFact, { nodes: all, port: p.port, user: p.user, db: p.db, bindir: p.bindir })
    const view = analyzeCluster(states, p.witness)
    const msg = view.problems.length ? view.problems.join('\n') : `primary ${view.primary}; standbys ${view.standbys.join(', ') || 'none'}`
    return { changes: [], result: { ...view, msg } }
  },
})
