// Where a role named in a play is found, in Ansible's order: roles/ next to the playbook, the configured
// roles path (ANSIBLE_ROLES_PATH or ansible.cfg's roles_path), for a dependency the directory holding the
// role that depends on it, the playbook's directory itself; then the name as a path (absolute, or relative
// to the working directory), whose last component is then the role's name.
import { existsSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

export interface FoundRole {
  name: string
  path: string
}

/** The directories a role name is looked up in, for a play in `playDir` (and a dependency of the role at `roleDir`). */
export function roleSearchPath(playDir: string, configured: readonly string[], roleDir?: string): string[] {
  return [...new Set([join(playDir, 'roles'), ...configured, ...(roleDir ? [dirname(roleDir)] : []), playDir])]
}

/** The role's name and directory, or the directories looked in. */
export function findRole(name: string, search: readonly string[]): FoundRole | { tried: string[] } {
  for (const dir of search) {
    const path = resolve(dir, name)
    if (isDir(path)) return { name, path }
  }
  const path = resolve(name)
  if (isDir(path)) return { name: basename(path), path }
  return { tried: [...search] }
}

export function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}
