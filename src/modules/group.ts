// group: a local group with an optional fixed gid (the seed gives postgres the same ids on every node).
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { groupFact } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { accountNameParam } from './lib/value-kinds.js'

const params = z
  .object({
    name: accountNameParam().describe('Name of the group.'),
    gid: z.coerce.number().int().nonnegative().optional().describe('Group id to set.'),
    system: bool(false, 'Create a system group (gid from the system range) when the group is created.'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
  })
  .strict()

export default defineModule({
  name: 'group',
  description: 'Create, change the gid of, or remove a local group.',
  params,
  reads: (p) => [{ def: groupFact, args: { name: p.name } }],
  async plan(ctx, p) {
    const g = await ctx.fact(groupFact, { name: p.name })
    // The change carries the groupadd/groupmod/groupdel command apply runs.
    const change = (description: string, command: string): Change<string>[] => [{ description, data: command }]
    if (p.state === 'absent') return g.exists ? change(`remove group ${p.name}`, commandLine('groupdel', [], [p.name])) : []
    const gidFlag = p.gid !== undefined && (['-g', String(p.gid)] as const)
    if (!g.exists) {
      return change(`create group ${p.name}${p.gid === undefined ? '' : ` (gid ${p.gid})`}`, commandLine('groupadd', [gidFlag, p.system && '-r'], [p.name]))
    }
    if (p.gid !== undefined && g.gid !== p.gid) return change(`change gid of group ${p.name}: ${g.gid} -> ${p.gid}`, commandLine('groupmod', [gidFlag], [p.name]))
    return []
  },
  async apply(ctx, p, plan) {
    const command = plan.changes[0].data
    const r = await ctx.exec(command)
    ctx.invalidate(groupFact, { name: p.name })
    if (r.rc !== 0) throw new PghaError('task', `${command} failed on ${ctx.host} (rc ${r.rc}): ${r.stderr.trim() || r.stdout.trim()}`)
    const g = p.state === 'present' ? await ctx.fact(groupFact, { name: p.name }) : undefined
    return { name: p.name, state: p.state, gid: g?.gid }
  },
})
