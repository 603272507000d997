// One lab operation at a time on a machine (two test runs, or a test run and a user's `pgha lab down`).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { PghaError } from '../errors.js'
import { labDir, labPaths } from './paths.js'
import { alive, sleep } from './processes.js'

export async function withLabLock<T>(fn: () => Promise<T>, waitMs = 600_000): Promise<T> {
  mkdirSync(labDir(), { recursive: true })
  const file = labPaths.lock()
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      const fd = openSync(file, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch {
      const holder = Number(readFileSafe(file))
      // A lock whose holder is gone (crash, or a previous session on this machine) is stale; an empty one
      // is only stale once its creator has had time to write its pid.
      if (holder ? !alive(holder) : ageMs(file) > 5_000) {
        rmSync(file, { force: true })
        continue
      }
      if (Date.now() > deadline) throw new PghaError('timeout', `lab: another lab operation (pid ${holder}) holds ${file}`)
      await sleep(500)
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(file, { force: true })
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs
  } catch {
    return Infinity
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return ''
  }
}
