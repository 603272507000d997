// Loads fixture playbooks and turns the ConfigErrors a user would see into `file:line:col: message` lines.
import { relative, resolve } from 'node:path'
import { ConfigErrors } from '../../src/errors.js'
import { loadPlaybook, type Playbook } from '../../src/playbook/index.js'
import { testModules } from './registry.js'

export const fixtures = resolve(__dirname, '../fixtures/playbooks')

export function load(file: string): Playbook {
  return loadPlaybook(resolve(fixtures, file), testModules)
}

/** The problems loading `file` reports, each as `path/relative/to/fixtures:line:col: message`. */
export function problems(file: string): string[] {
  try {
    load(file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    return err.errors.map((e) => `${e.loc ? `${relative(fixtures, e.loc.file)}:${e.loc.line}:${e.loc.col}` : '-'}: ${e.message}`)
  }
  throw new Error(`${file} loaded without errors`)
}
