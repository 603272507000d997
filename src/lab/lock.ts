// One operation at a time per lab instance (two test runs, or a test run and a user's `pgha lab down`),
// and one builder at a time of what instances share (the base image, the lab key, the source tarballs and builds).
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { PghaError } from '../errors.js'
import { labPaths } from './paths.js'
import { alive, sleep } from './processes.js'

/** Runs `fn` holding the current instance's lock. */
export function withLabLock<T>(fn: () => Promise<T>, waitMs = 600_000): Promise<T> {
  return withFileLock(labPaths.lock(), fn, waitMs)
}

/** Runs `fn` holding the lock of a resource every instance shares; waits long, since it guards the image build. */
export function withSharedLock<T>(name: 'image' | 'key' | 'src' | 'build', fn: () => Promise<T>, waitMs = 7_200_000): Promise<T> {
  return withFileLock(labPaths.sharedLock(name), fn, waitMs)
}

export async function withFileLock<T>(file: string, fn: () => Promise<T>, waitMs: number): Promise<T> {
  mkdirSync(dirname(file), { recursive: true })
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
      if (Date.now() >= deadline) throw new PghaError('timeout', `lab: another lab operation (pid ${holder}) holds ${file}`)
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
