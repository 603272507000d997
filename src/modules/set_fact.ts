// set_fact: sets host variables for the rest of the run. The engine merges result.ansible_facts into the
// host's variables (the set_fact layer); with `cacheable` they are facts too (ansible_facts.NAME), as in
// Ansible, though pgha keeps no fact cache on disk between runs.
import { z } from 'zod'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const params = z
  .object({ cacheable: bool(false, 'Also make the variables facts (ansible_facts.NAME, at the facts level).').optional() })
  .catchall(z.unknown().describe('Each other key is a variable to set to its (templated) value.'))
  .superRefine((p, ctx) => {
    const names = Object.keys(p).filter((k) => k !== 'cacheable')
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'set_fact needs at least one variable to set' })
    for (const n of names) if (!NAME.test(n)) ctx.addIssue({ code: 'custom', path: [n], message: `'${n}' is not a valid variable name` })
  })

export default defineModule({
  name: 'set_fact',
  description: 'Set variables on the host for the rest of the run (any key: value pairs).',
  params,
  local: true,
  // `"{{ item.key }}": "{{ item.value }}"` sets the variable each item names, as in Ansible
  namesTemplated: true,
  // Reads nothing on the host and changes nothing there: read-ahead's window goes on past it.
  reads: () => [],
  async plan(_ctx, { cacheable: _ignored, ...vars }) {
    return { changes: [], result: { ansible_facts: vars } }
  },
})
