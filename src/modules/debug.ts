// debug: prints a message or a variable's value. `var` is an expression, as in Ansible (`result.stdout_lines`).
import { z } from 'zod'
import { evaluate, isTemplated, parseExpression, renderString } from '../vars/index.js'
import { defineModule, type Plan } from './types.js'

const params = z
  .object({
    msg: z.unknown().optional().describe("The message (any value) to print; default 'Hello world!'."),
    var: z.string().min(1).optional().describe('A variable name or expression whose value to print, without {{ }}.'),
    verbosity: z.coerce.number().int().min(0).default(0).describe('Print only when run with at least this many -v.'),
  })
  .strict()
  .refine((p) => p.msg === undefined || p.var === undefined, { message: "give msg or var, not both" })

export default defineModule({
  name: 'debug',
  description: "Print a message or a variable's value.",
  params,
  local: true,
  // `var` is an expression, never rendered first: a name built from a host's output stays text.
  expressionArgs: ['var'],
  // Reads nothing on the host and changes nothing there: read-ahead's window goes on past it.
  reads: () => [],
  async plan(ctx, p): Promise<Plan> {
    if (p.verbosity > ctx.verbosity) return { changes: [], result: { skipped: true, skip_reason: `verbosity ${p.verbosity} needs -${'v'.repeat(p.verbosity)}` } }
    // Ansible's debug msg may be any value (a list prints as a list); TaskResult types msg as text.
    if (p.var === undefined) return { changes: [], result: { msg: (p.msg ?? 'Hello world!') as string } }
    const [name, value] = isTemplated(p.var) ? rendered(p.var, ctx.vars) : [p.var, valueOf(p.var, ctx.vars)]
    // Shown as the message too; a list of lines (stdout_lines) reads best as the lines themselves.
    const shown = Array.isArray(value) && value.every((l) => typeof l === 'string') ? value.join('\n') : value
    return { changes: [], result: { [name]: value, msg: `${name}:\n${typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2)}` } }
  },
})

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!'
/** A variable and its attributes or indexes: `x`, `result.stdout_lines`, `hostvars['db1'].port`, `l[0]`. */
const VARIABLE_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*$/

/**
 * `var: "{{ item }}"`: Ansible renders the text, then evaluates what it says and shows it under that
 * name (a loop over variable names shows each). pgha evaluates it only when it names a variable, a
 * lookup that cannot run anything: a name a host printed never becomes code. A number is no variable
 * (Ansible: not defined); any other text is shown as it is.
 */
function rendered(text: string, vars: Record<string, unknown>): [string, unknown] {
  const name = renderString(text, vars, 'debug var').trim()
  if (VARIABLE_PATH.test(name)) return [name, valueOf(name, vars)]
  return [name, /^[-+]?\d+(?:\.\d*)?$/.test(name) ? NOT_DEFINED : name]
}

function valueOf(text: string, vars: Record<string, unknown>): unknown {
  try {
    const v = evaluate(parseExpression(text, undefined, 'debug var'), vars)
    // An undefined name evaluates to the expression language's Undefined marker rather than throwing.
    return v !== null && typeof v === 'object' && v.constructor?.name === 'Undefined' ? NOT_DEFINED : v
  } catch (err) {
    if (/undefined variable/.test((err as Error).message)) return NOT_DEFINED
    throw err
  }
}
