// meta: engine actions (flush_handlers, end_play, ...). The engine performs them; this module only
// validates the action name so a typo is an input error before any host is contacted.
import { z } from 'zod'
import { defineModule } from './types.js'

const ACTIONS = ['flush_handlers', 'end_play', 'end_host', 'noop', 'clear_facts', 'reset_connection'] as const
const action = z.enum(ACTIONS).describe(`The action: ${ACTIONS.join(', ')} (free form: \`meta: flush_handlers\`).`)

const params = z
  .object({ cmd: action.optional(), _raw_params: action.optional() })
  .strict()
  .refine((p) => (p.cmd ?? p._raw_params) !== undefined, { message: `meta needs an action: ${ACTIONS.join(', ')}` })

export default defineModule({
  name: 'meta',
  description: 'Engine actions: flush_handlers, end_play, end_host, noop, clear_facts, reset_connection (log in again).',
  params,
  local: true,
  async plan(_ctx, p) {
    return { changes: [], result: { meta: p.cmd ?? p._raw_params } }
  },
})
