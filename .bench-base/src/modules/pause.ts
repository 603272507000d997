// pause: waits a number of seconds or minutes (interruptible). pgha runs unattended, so a pause without
// a duration does not wait for Enter: it returns at once and says so.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'

const params = z
  .object({
    seconds: z.coerce.number().nonnegative().optional().describe('Seconds to pause.'),
    minutes: z.coerce.number().nonnegative().optional().describe('Minutes to pause.'),
    prompt: z.string().optional().describe('Text shown while pausing (ignored: pgha is not interactive).'),
    echo: bool(true, 'Accepted for Ansible compatibility; ignored.'),
  })
  .strict()
  .refine((p) => p.seconds === undefined || p.minutes === undefined, { message: 'give seconds or minutes, not both' })

export default defineModule({
  name: 'pause',
  description: 'Pause for a number of seconds or minutes.',
  params,
  local: true,
  async plan(ctx, p) {
    const seconds = p.seconds ?? (p.minutes === undefined ? undefined : p.minutes * 60)
    if (seconds === undefined) {
      return { changes: [], result: { msg: 'no duration given and pgha is not interactive: not pausing', user_input: '' } }
    }
    const started = Date.now()
    await ctx.sleep(seconds * 1000)
    if (ctx.signal.aborted) throw new PghaError('interrupted', 'interrupted while pausing')
    const delta = Math.round((Date.now() - started) / 1000)
    return { changes: [], result: { delta, stdout: `Paused for ${seconds >= 60 ? `${seconds / 60} minutes` : `${seconds} seconds`}`, user_input: '' } }
  },
})
