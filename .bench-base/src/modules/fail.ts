// fail: fails the task with a message (usually under `when`).
import { z } from 'zod'
import { defineModule } from './types.js'

export default defineModule({
  name: 'fail',
  description: 'Fail the task with a message.',
  params: z.object({ msg: z.string().default('Failed as requested from task').describe('The failure message.') }).strict(),
  local: true,
  async plan(_ctx, p) {
    return { changes: [], result: { failed: true, msg: p.msg } }
  },
})
