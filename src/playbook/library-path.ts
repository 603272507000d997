// Where a task's short module name may name a playbook's own module, as Ansible's module loader adds them:
// the `library/` of the task's role and of the roles above it, the one next to the playbook, then the
// configured module path (ANSIBLE_LIBRARY, or `library` in ansible.cfg). Ansible looks there before its
// own modules, so a playbook's module shadows a builtin of the same short name; a FQCN never does.
import { join } from 'node:path'
import type { ParseContext } from './nodes.js'
import { configuredLibraryPath } from './roles/ansible-cfg.js'
import { onNewRun } from '../run-state.js'

/** The configured part, read once per playbook directory and environment. */
const configured = new Map<string, string[]>()
// The ansible.cfg read, and the cwd that finds it, may change between the commands of one process.
onNewRun(() => configured.clear())

export function libraryDirs(ctx: Pick<ParseContext, 'role' | 'roles'>): string[] {
  const playDir = ctx.roles.playDir
  const key = `${playDir}\0${process.env.ANSIBLE_LIBRARY ?? ''}\0${process.env.ANSIBLE_CONFIG ?? ''}`
  let fromConfig = configured.get(key)
  if (!fromConfig) configured.set(key, (fromConfig = configuredLibraryPath(playDir)))
  const roles = ctx.role ? [ctx.role.role, ...[...ctx.role.chain].reverse()] : []
  return [...new Set([...roles.map((r) => join(r.path, 'library')), join(playDir, 'library'), ...fromConfig])]
}
