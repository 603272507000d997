// A small module registry for the playbook tests, shaped like the real modules (strict objects,
// refinements, optional parameters with defaults), so these tests do not depend on src/modules.
import { z } from 'zod'
import { defineModule, type ModuleDef } from '../../src/modules/index.js'
import type { LoadOptions } from '../../src/playbook/index.js'

const noop = async () => []
const mod = (name: string, params: z.ZodType): ModuleDef => defineModule({ name, description: name, params, plan: noop })

const run = { creates: z.string().optional(), removes: z.string().optional(), chdir: z.string().optional() }
const defs: ModuleDef[] = [
  mod('command', z.object({ cmd: z.string().optional(), argv: z.array(z.string()).optional(), ...run }).strict()
    .refine((p) => (p.cmd === undefined) !== (p.argv === undefined), { message: 'give exactly one of cmd or argv' })),
  mod('shell', z.object({ cmd: z.string(), ...run }).strict()),
  mod('copy', z.object({
    dest: z.string(), src: z.string().optional(), content: z.string().optional(), mode: z.string().optional(),
    backup: z.boolean().default(false), owner: z.string().optional(),
  }).strict().refine((p) => (p.src === undefined) !== (p.content === undefined), { message: 'give exactly one of src and content' })),
  mod('file', z.object({ path: z.string(), state: z.enum(['file', 'directory', 'absent']).optional(), mode: z.string().optional() }).strict()),
  mod('template', z.object({ src: z.string(), dest: z.string(), mode: z.string().optional() }).strict()),
  mod('service', z.object({ name: z.string(), state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(), enabled: z.boolean().optional() }).strict()),
  mod('debug', z.object({ msg: z.unknown().optional(), var: z.string().optional() }).strict()),
  mod('set_fact', z.looseObject({ cacheable: z.boolean().optional() })),
  mod('meta', z.object({ _raw_params: z.enum(['flush_handlers', 'end_play', 'end_host', 'noop']) }).strict()),
  mod('wait_for', z.object({ port: z.number().int(), timeout: z.number().optional(), lines: z.array(z.object({ n: z.number() })).optional() }).strict()),
  mod('ping', z.object({}).strict()),
  // the first task of a role whose entry point has argument_specs
  mod('validate_argument_spec', z.object({ argument_spec: z.record(z.string(), z.unknown()), provided_arguments: z.record(z.string(), z.unknown()).optional(), validate_args_context: z.record(z.string(), z.unknown()).optional() }).strict()),
]

const byName = new Map(defs.map((d) => [d.name, d]))

export const testModules: LoadOptions = {
  modules: (name) => byName.get(name.replace(/^ansible\.(builtin|posix)\./, '')),
  moduleNames: [...byName.keys()],
}
