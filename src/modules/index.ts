// The module registry. Each module lives in its own file and is listed here once.
// Ansible's fully qualified names (ansible.builtin.copy) resolve to the same module.
import type { ModuleDef } from './types.js'

// --- file modules ---
// --- command, package, service and control modules ---
import command from './command.js'
import shell from './shell.js'
import pkg from './package.js'
import apt from './apt.js'
import yum from './yum.js'

const all: ModuleDef[] = [
  // --- file modules (list) ---
  // --- command, package, service and control modules (list) ---
  command,
  shell,
  pkg,
  apt,
  yum,
]

export const modules: ReadonlyMap<string, ModuleDef> = new Map(all.map((m) => [m.name, m]))

export function getModule(name: string): ModuleDef | undefined {
  return modules.get(name.replace(/^ansible\.(builtin|posix)\./, ''))
}

export { defineModule, normalizePlan } from './types.js'
export type { ModuleDef, ModuleContext, Change, Plan, TaskResult, HostFacts } from './types.js'
