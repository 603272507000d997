// service_facts: the host's services as ansible_facts.services (and `services`), keyed by unit name,
// each { name, state, status, source }, as Ansible's systemd scan reports them. Read-only: never changed.
import { z } from 'zod'
import { serviceListFact } from '../facts/index.js'
import { defineModule } from './types.js'

const NONE = 'Failed to find any services. This can be due to privileges or some other configuration issue.'

export default defineModule({
  name: 'service_facts',
  description: 'Return the state of every service as ansible_facts.services.',
  params: z.object({}).strict(),
  facts: ['services'],
  reads: () => [{ def: serviceListFact, args: {} }],
  async plan(ctx) {
    const services = await ctx.fact(serviceListFact, {})
    // As Ansible: no service found is a skip with its message, not an empty fact.
    if (Object.keys(services).length === 0) return { changes: [], result: { skipped: true, msg: NONE } }
    return { changes: [], result: { ansible_facts: { services } } }
  },
})
