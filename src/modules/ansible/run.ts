// One of Ansible's modules on the host, as ansible-playbook runs it with pipelining: the AnsiballZ payload
// Ansible builds (payload.ts) piped into the host's python through the task's shell session, under its
// become user, so the arguments never touch a disk, here or there. The result is read by the same code
// as a playbook's own modules (library/result.ts).
import type { ExecResult } from '../../transport/types.js'
import type { ModuleContext } from '../types.js'
import { configuredPython, findPython } from '../lib/python-interpreter.js'
import type { LibraryFile } from '../library/module.js'
import { buildPayload } from './payload.js'

/** The host's ansible_remote_tmp, where AnsibleModule makes its temporary files (Ansible's default otherwise). */
function remoteTmp(vars: Record<string, unknown>): string | undefined {
  try {
    return typeof vars.ansible_remote_tmp === 'string' && vars.ansible_remote_tmp !== '' ? vars.ansible_remote_tmp : undefined
  } catch {
    return undefined // a template that cannot be rendered: the default, as with none
  }
}

export async function runAnsiballz(ctx: ModuleContext, file: LibraryFile, args: Record<string, unknown>): Promise<ExecResult> {
  let payload: Buffer
  try {
    payload = await buildPayload({
      name: file.name, path: file.path, args,
      internal: { check: ctx.check, no_log: ctx.noLog ?? false, diff: ctx.diff ?? false, verbosity: ctx.verbosity, python: configuredPython(ctx.vars), remote_tmp: remoteTmp(ctx.vars) },
    })
  } catch (err) {
    // The helper's message (a module Ansible cannot build) is this task's failure, shaped as a module's.
    return { rc: 1, stdout: JSON.stringify({ failed: true, msg: `pgha could not build ${file.name} with the controller's Ansible: ${(err as Error).message}` }), stderr: '' }
  }
  return ctx.exec(`${findPython(ctx.vars, `the module ${file.name}`)}\n"$py" -`, { stdin: payload })
}
