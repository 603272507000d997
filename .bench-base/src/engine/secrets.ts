// Secrets never reach output: results are scrubbed of every secret string of the host before they are
// emitted, and no_log results are replaced whole.
import type { TaskResult } from '../modules/index.js'
import type { Task } from '../playbook/index.js'
import { scrub } from '../vars/index.js'

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

export function censor(r: TaskResult): TaskResult {
  return { changed: r.changed, failed: r.failed, ...(r.skipped ? { skipped: true } : {}), censored: CENSORED }
}

export function scrubResult(r: TaskResult, secrets: string[]): TaskResult {
  if (secrets.length === 0) return r
  return scrubDeep(r, secrets) as TaskResult
}

function scrubDeep(v: unknown, secrets: string[]): unknown {
  if (typeof v === 'string') return scrub(v, secrets)
  if (Array.isArray(v)) return v.map((x) => scrubDeep(x, secrets))
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = scrubDeep(x, secrets)
    return out
  }
  return v
}

/** A no_log task without a name is titled by its module alone: its usual title is a summary of its arguments. */
export function taskTitle(task: Task): string {
  return task.noLog && task.name === undefined ? task.module : task.displayName
}
