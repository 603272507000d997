// The project's own directory (where playbooks/, templates/ and inventory/ live), whatever the cwd:
// this file is dist/cli/project-root.js when built, src/cli/project-root.ts under tests.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
}
