// validate_argument_spec: checks variables against an argument spec (the `options` of a role's
// argument_specs entry point), as Ansible's action does: the values are the task's variables of those
// names, overridden by provided_arguments. Ansible runs it as the first task of every use of a role that
// has a spec for its entry point ("Validating arguments against arg spec 'main'"); pgha does too, after
// checking the same before any host is contacted, so here it fails only on what only the run could tell
// (a value set by register or set_fact, a template that needed facts).
import { z } from 'zod'
import type { SourceLocation } from '../errors.js'
import { Problems } from '../playbook/problems.js'
import { readOptions, validateArguments } from '../playbook/roles/argument-spec.js'
import { defineModule } from './types.js'

const mapping = z.record(z.string(), z.unknown())

const params = z
  .object({
    argument_spec: mapping.describe('The options to check, as an argument_specs entry point writes them (name: {type, required, choices, default, elements, options}).'),
    provided_arguments: mapping.default({}).describe('Values to check, over the variables of the same names.'),
    validate_args_context: mapping.default({}).describe('Returned as is: what the check is for (a role: its name, path and entry point).'),
  })
  .strict()

export default defineModule({
  name: 'validate_argument_spec',
  description: 'Check variables against an argument spec (the first task of a role that has argument_specs).',
  params,
  local: true,
  // Reads nothing on the host and changes nothing there: read-ahead's window goes on past it.
  reads: () => [],
  async plan(ctx, p) {
    const context = p.validate_args_context
    const at: SourceLocation = { file: typeof context.path === 'string' ? `${context.path}/meta/argument_specs.yml` : 'argument_spec', line: 1, col: 1 }
    const problems = new Problems()
    const spec = readOptions(p.argument_spec, at, problems)
    const values: Record<string, unknown> = {}
    for (const name of Object.keys(spec)) {
      try {
        if (name in ctx.vars) values[name] = ctx.vars[name]
      } catch {
        // a variable whose template cannot be rendered here is reported where a task uses it
      }
    }
    Object.assign(values, p.provided_arguments)
    const what = typeof context.name === 'string' ? `role '${context.name}'` : 'validate_argument_spec'
    const errors = [...problems.errors.map((e) => e.message), ...validateArguments(spec, values, what, at, () => undefined).map((e) => e.message)]
    const result = { argument_spec_data: p.argument_spec, validate_args_context: context }
    if (errors.length > 0) return { changes: [], result: { ...result, failed: true, argument_errors: errors, msg: `Validation of arguments failed:\n${errors.join('\n')}` } }
    return { changes: [], result: { validate_args_context: context, msg: 'The arg spec validation passed' } }
  },
})
