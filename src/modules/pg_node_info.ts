// pg_node_info: what a node has of PostgreSQL and repmgr, read without changing anything (check mode runs
// it too, and it never reports a change): whether the server's systemd unit is active, which repmgr the
// bin directory holds, and whether an upstream accepts repmgr's connection from this node (the article's
// step 7 check). All are declared reads, so read-ahead fetches them with the facts of the tasks around
// it, where a `systemctl is-active`, `repmgr --version` or `psql -c 'SELECT 1'` command would end the
// window (and, run as a command, make every host read the cluster again).
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { pgUpstreamFact, repmgrVersionFact, systemdUnitFact, type FactRead } from '../facts/index.js'
import { defineModule } from './types.js'
import { absolutePathParam, hostAddressParam, singleLineParam, unitNameParam } from './lib/value-kinds.js'

const upstream = z
  .object({
    host: hostAddressParam().describe('The upstream (the primary) to connect to.'),
    port: z.coerce.number().int().min(1).max(65535).default(5432).describe('Its port.'),
    user: singleLineParam().default('repmgr').describe("repmgr's user on it."),
    db: singleLineParam().default('repmgr').describe("repmgr's database on it."),
    bindir: absolutePathParam().describe('Where psql is installed on this node.'),
  })
  .strict()

const params = z
  .object({
    service: unitNameParam().optional().describe("The server's systemd unit: service_active says whether it is active (systemctl is-active)."),
    bindir: absolutePathParam().optional().describe('Where repmgr is installed: repmgr_version is its version (repmgr --version), \'\' when none runs there.'),
    upstream: upstream.optional().describe("Connect to this upstream as repmgr does, from this node (psql with repmgr's conninfo and the user's ~/.pgpass): upstream is what it says of itself; the task fails when it does not answer."),
  })
  .strict()
  .refine((p) => p.service !== undefined || p.bindir !== undefined || p.upstream !== undefined, { message: 'give service, bindir, upstream, or several' })

type Params = z.output<typeof params>

const reads = (p: Params): FactRead[] => [
  ...(p.service !== undefined ? [{ def: systemdUnitFact, args: { name: p.service } }] : []),
  ...(p.bindir !== undefined ? [{ def: repmgrVersionFact, args: { bindir: p.bindir } }] : []),
  ...(p.upstream !== undefined ? [{ def: pgUpstreamFact, args: p.upstream }] : []),
]

export default defineModule({
  name: 'pg_node_info',
  description: "Read whether the server's systemd unit is active, which repmgr is installed and whether an upstream accepts repmgr's connection, changing nothing.",
  params,
  reads,
  async plan(ctx, p) {
    const result: Record<string, unknown> = {}
    if (p.service !== undefined) result.service_active = (await ctx.fact(systemdUnitFact, { name: p.service })).activeState === 'active'
    if (p.bindir !== undefined) {
      const repmgr = await ctx.fact(repmgrVersionFact, { bindir: p.bindir })
      Object.assign(result, { repmgr_version: repmgr.version, rc: repmgr.rc, stdout: repmgr.stdout })
    }
    if (p.upstream !== undefined) {
      const { host, port } = p.upstream
      const seen = await ctx.fact(pgUpstreamFact, p.upstream)
      if (!seen.reachable) throw new PghaError('task', `${host}:${port} does not accept ${p.upstream.user}'s connection to ${p.upstream.db} from this node: ${seen.error ?? 'no answer'}`)
      result.upstream = { system_identifier: seen.systemId, timeline: seen.timeline, in_recovery: seen.inRecovery, major: seen.major }
    }
    return { changes: [], result }
  },
})
