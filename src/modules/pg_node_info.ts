// pg_node_info: what a node has of PostgreSQL and repmgr, read without changing anything (check mode runs
// it too, and it never reports a change): whether the server's systemd unit is active, and which repmgr
// the bin directory holds. Both are declared reads, so read-ahead fetches them with the facts of the tasks
// around it, where a `systemctl is-active` or `repmgr --version` command would end the window.
import { z } from 'zod'
import { repmgrVersionFact, systemdUnitFact, type FactRead } from '../facts/index.js'
import { defineModule } from './types.js'
import { absolutePathParam, unitNameParam } from './lib/value-kinds.js'

const params = z
  .object({
    service: unitNameParam().optional().describe("The server's systemd unit: service_active says whether it is active (systemctl is-active)."),
    bindir: absolutePathParam().optional().describe('Where repmgr is installed: repmgr_version is its version (repmgr --version), \'\' when none runs there.'),
  })
  .strict()
  .refine((p) => p.service !== undefined || p.bindir !== undefined, { message: 'give service, bindir or both' })

type Params = z.output<typeof params>

const reads = (p: Params): FactRead[] => [
  ...(p.service !== undefined ? [{ def: systemdUnitFact, args: { name: p.service } }] : []),
  ...(p.bindir !== undefined ? [{ def: repmgrVersionFact, args: { bindir: p.bindir } }] : []),
]

export default defineModule({
  name: 'pg_node_info',
  description: "Read whether the server's systemd unit is active and which repmgr is installed, changing nothing.",
  params,
  reads,
  async plan(ctx, p) {
    const result: Record<string, unknown> = {}
    if (p.service !== undefined) result.service_active = (await ctx.fact(systemdUnitFact, { name: p.service })).activeState === 'active'
    if (p.bindir !== undefined) {
      const repmgr = await ctx.fact(repmgrVersionFact, { bindir: p.bindir })
      Object.assign(result, { repmgr_version: repmgr.version, rc: repmgr.rc, stdout: repmgr.stdout })
    }
    return { changes: [], result }
  },
})
