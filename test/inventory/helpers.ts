// Writes small inventories to a temporary directory and reads back the located problems of a load.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { ConfigError, ConfigErrors } from '../../src/errors.js'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'inventory')

/** Creates the files (paths relative to a fresh directory) and returns the directory. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-inv-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** `file:line:col: message` with the file relative to `dir`, as a user reads them. */
export function located(errors: ConfigError[], dir: string): string[] {
  return errors.map((e) => (e.loc ? `${relative(dir, e.loc.file)}:${e.loc.line}:${e.loc.col}: ${e.message}` : e.message))
}

/** The located problems `fn` throws; fails the test when it does not throw ConfigErrors. */
export function problems(fn: () => unknown, dir: string): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigErrors) return located(err.errors, dir)
    throw err
  }
  throw new Error('expected ConfigErrors, nothing was thrown')
}
