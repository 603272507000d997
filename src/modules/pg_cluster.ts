// pg_cluster: reads every node's role, timeline and upstream over the network and names the current
// primary, a split brain, and standbys that do not stream from the primary, judged by the cluster model
// `pgha status` uses too, so both describe a problem with the same sentence. Changes nothing (check mode
// runs it too); the playbooks decide which problems stop them.
import { z } from 'zod'
import { judge, type NodeJudgement } from '../cluster/index.js'
import { pgClusterFact } from '../facts/index.js'
import { defineModule } from './types.js'
import { absolutePathParam, hostItems, singleLineParam } from './lib/value-kinds.js'

// Playbooks pass groups (lists) side by side: ["{{ groups.primary }}", "{{ groups.standby }}"].
const names = z.array(z.union([z.string(), z.array(z.string())])).transform((l) => [...new Set(l.flat())]).superRefine(hostItems)

const params = z
  .object({
    nodes: names.describe('The data nodes (primary and standbys), by the names their conninfo uses; lists are flattened.'),
    witness: names.default([]).describe('Witness nodes: asked too, but their own primary instance is not a cluster primary.'),
    port: z.coerce.number().int().min(1).max(65535).default(5432).describe('PostgreSQL port of every node.'),
    user: singleLineParam().default('repmgr').describe('repmgr user.'),
    db: singleLineParam().default('repmgr').describe('repmgr database.'),
    bindir: absolutePathParam().default('/usr/local/pgsql/bin').describe('Directory holding psql.'),
    inventory: singleLineParam().optional().describe('The inventory, for the commands the problem sentences suggest (their -i); the playbooks pass inventory_file.'),
  })
  .strict()

export default defineModule({
  name: 'pg_cluster',
  description: 'Read the current primary, standbys, timelines and any split brain from the nodes themselves.',
  params,
  // Read ahead with the facts of the tasks before it. The fact is volatile: each plan (a retry waiting
  // for a promotion too) asks again, unless it was read ahead with nothing applied on any host since.
  reads: (p) => [{ def: pgClusterFact, args: clusterArgs(p) }],
  async plan(ctx, p) {
    const observed = await ctx.fact(pgClusterFact, clusterArgs(p))
    const j = judge(observed, { inventory: p.inventory })
    const problems = j.problems.map((x) => x.message)
    const msg = problems.length ? problems.join('\n') : `primary ${j.primary}; standbys ${j.standbys.join(', ') || 'none'}`
    // The registered result the playbooks read (pgha_cluster.primary, .split_brain, .standbys, ...).
    const result = {
      /** The current primary; '' when none can be told. */
      primary: j.primary ?? '',
      primaries: j.primaries,
      split_brain: j.splitBrain,
      newer: j.newer ?? '',
      standbys: j.standbys,
      down: j.down,
      /** Every node by name: role (primary, standby, witness, down), timeline, upstream, WAL receiver, error. */
      nodes: Object.fromEntries(j.nodes.map((n) => [n.host, { role: n.role, timeline: n.timeline, upstream: n.upstream, receiver: n.receiver, error: n.error ?? null }])),
      /** One sentence per thing that is wrong; [] for a healthy cluster. */
      problems,
      /** One line per node, for the output. */
      table: j.nodes.map(tableLine),
      msg,
    }
    return { changes: [], result }
  },
})

function clusterArgs(p: z.output<typeof params>) {
  const all = [...p.nodes, ...p.witness.filter((w) => !p.nodes.includes(w))]
  return { nodes: all, witness: p.witness, port: p.port, user: p.user, db: p.db, bindir: p.bindir }
}

function tableLine(n: NodeJudgement): string {
  if (n.role === 'down' || n.role === 'unreachable') return `${n.host}: down (${n.error})`
  if (n.role === 'witness' || n.witness) return `${n.host}: witness`
  const tl = `timeline ${n.timeline ?? '?'}`
  return n.role === 'standby' ? `${n.host}: standby, ${tl}, ${n.receiver ?? 'not receiving'}${n.upstream ? ` from ${n.upstream}` : ''}` : `${n.host}: primary, ${tl}`
}
