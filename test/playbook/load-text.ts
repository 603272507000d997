// Loads a playbook written as text with the real module registry, and turns the ConfigErrors a user
// would see into `line:col: message` lines: for tests of what the real modules accept.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { fqcnOf, getModule, modules } from '../../src/modules/index.js'
import { loadPlaybook, type Playbook } from '../../src/playbook/index.js'

/** The real module registry, as pgha loads playbooks with it. */
export const registry = { modules: getModule, moduleNames: [...modules.keys()], fqcnOf }

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

export function load(text: string): Playbook {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-play-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'site.yml'), text)
  return loadPlaybook(join(dir, 'site.yml'), registry)
}

export function problems(text: string): string[] {
  try {
    load(text)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    return err.errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)
  }
  throw new Error('loaded without errors')
}
