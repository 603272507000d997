// ping: proves pgha can run a command on the host (not an ICMP ping) and answers `ping: pong`, or `data`.
// As in Ansible, data=crash makes the task fail, to test failure handling.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { defineModule } from './types.js'

export default defineModule({
  name: 'ping',
  description: 'Check that the host answers: runs a no-op command there and returns ping: pong',
  params: z.object({ data: z.string().default('pong').describe("What to return in result.ping; 'crash' makes the task fail.") }).strict(),
  async plan(ctx, p) {
    if (p.data === 'crash') throw new PghaError('task', 'boom')
    const r = await ctx.exec('true')
    if (r.rc !== 0) throw new PghaError('task', `the host did not run a command: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`)
    return { changes: [], result: { ping: p.data } }
  },
})
