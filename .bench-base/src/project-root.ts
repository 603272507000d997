// The directory pgha is installed in (its package.json), so the shipped playbooks and templates are found
// from any cwd: this file is src/project-root.ts under tests and part of dist/pgha.cjs when built (where
// the bundle defines import.meta.url as the bundle's own URL).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function projectRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pgha') return dir
    const parent = dirname(dir)
    if (parent === dir) return process.cwd()
    dir = parent
  }
}

/** The playbook `pgha render` and `pgha demo` run when none is given. */
export const defaultPlaybook = (): string => join(projectRoot(), 'playbooks', 'site.yml')
