// Points PGHA_LAB_DIR at a fresh temporary directory for each test of the calling suite.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'

/** Returns a getter for the current test's lab directory. */
export function useTempLabDir(): () => string {
  let saved: string | undefined
  beforeEach(() => {
    saved = process.env.PGHA_LAB_DIR
    process.env.PGHA_LAB_DIR = mkdtempSync(join(tmpdir(), 'pgha-lab-'))
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.PGHA_LAB_DIR
    else process.env.PGHA_LAB_DIR = saved
  })
  return () => process.env.PGHA_LAB_DIR!
}
