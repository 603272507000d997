// slurp: reads a whole file from the host into result.content (base64), for register + b64decode.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { slurpFact } from '../facts/index.js'
import { defineModule } from './types.js'
import { hostPathParam } from './lib/value-kinds.js'

export default defineModule({
  name: 'slurp',
  aliases: { path: 'src' },
  description: 'Read a file on the host into result.content, base64-encoded',
  params: z.object({ src: hostPathParam().describe('The file to read.') }).strict(),
  reads: (p) => [{ def: slurpFact, args: { path: p.src } }],
  async plan(ctx, p) {
    const f = await ctx.fact(slurpFact, { path: p.src })
    if (!f.exists) throw new PghaError('task', `file not found: ${p.src}`)
    return { changes: [], result: { content: f.base64, encoding: 'base64', source: p.src } }
  },
})
