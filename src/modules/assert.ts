// assert: checks conditions (the `when` expression language) and fails with fail_msg on the first false one.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { evaluate, evaluateCondition, parseExpression } from '../vars/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'

const condition = z.union([z.string().min(1), z.boolean()])

const params = z
  .object({
    that: z.union([condition, z.array(condition).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])).describe('A condition or a list of conditions, written like `when:`.'),
    fail_msg: z.string().optional().describe('Message when an assertion fails (alias: msg).'),
    msg: z.string().optional().describe('Alias of fail_msg.'),
    success_msg: z.string().default('All assertions passed').describe('Message when every assertion holds.'),
    quiet: bool(false, 'Leave out the success message.'),
  })
  .strict()

export default defineModule({
  name: 'assert',
  description: 'Fail unless every given condition holds.',
  params,
  local: true,
  // `that` is read as `when:` is, never rendered first: a condition built from a host's output stays text.
  expressionArgs: ['that'],
  // Reads nothing on the host and changes nothing there: read-ahead's window goes on past it.
  reads: () => [],
  async plan(ctx, p) {
    for (const cond of p.that) {
      if (typeof cond === 'string' && /^\s*\{\{[\s\S]*\}\}\s*$/.test(cond) && Array.isArray(evaluate(parseExpression(cond, undefined, 'assert'), ctx.vars))) {
        throw new PghaError('task', `assert reads its conditions as the task writes them, never from a value: ${cond} is a list, write its conditions under that`)
      }
      if (!evaluateCondition(cond, ctx.vars, undefined, 'assert')) {
        return { changes: [], result: { failed: true, msg: p.fail_msg ?? p.msg ?? 'Assertion failed', assertion: cond, evaluated_to: false } }
      }
    }
    return { changes: [], result: p.quiet ? {} : { msg: p.success_msg } }
  },
})
