// What reboot and wait_for_connection share: a try at the host (log in again, run a command) repeated
// until it succeeds or a deadline passes. Every try is bounded by the time left, so neither module can
// hang on a host that neither answers nor refuses: a try still pending at the deadline counts as failed.
import { PghaError, TimeoutError } from '../../errors.js'
import type { ModuleContext } from '../types.js'

/** `p`, or a TimeoutError after `ms` (a try abandoned so may still settle later: its outcome is ignored). */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  p.catch(() => undefined)
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not answer within ${Math.round(ms / 100) / 10} s`)), ms)
  })
  return Promise.race([p, bound]).finally(() => clearTimeout(timer))
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * Runs `attempt` (given the ms left) until it succeeds or `timeoutMs` has passed, sleeping `pauseMs(n)`
 * after the n-th failure (never past the deadline). Returns the value, or the last failure.
 */
export async function untilSuccess<T>(
  ctx: ModuleContext,
  timeoutMs: number,
  pauseMs: (failures: number) => number,
  attempt: (leftMs: number) => Promise<T>,
): Promise<Outcome<T>> {
  const end = Date.now() + timeoutMs
  let error: unknown = new TimeoutError(`no try fits in ${timeoutMs / 1000} s`)
  for (let failures = 0; ; failures++) {
    const left = end - Date.now()
    if (left <= 0) return { ok: false, error }
    try {
      return { ok: true, value: await bounded(attempt(left), left, ctx.host) }
    } catch (err) {
      error = err
    }
    interrupted(ctx)
    const wait = Math.min(pauseMs(failures), end - Date.now())
    if (wait > 0) await ctx.sleep(wait)
    interrupted(ctx)
  }
}

/** Sleeps `ms` (none for 0), ending the task when the run is interrupted meanwhile. */
export async function pause(ctx: ModuleContext, ms: number): Promise<void> {
  if (ms <= 0) return
  await ctx.sleep(ms)
  interrupted(ctx)
}

function interrupted(ctx: ModuleContext): void {
  if (ctx.signal.aborted) throw new PghaError('interrupted', 'interrupted while waiting for the host')
}

/** The last line of an error's message, as Ansible shows a failure it retried. */
export function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).trim().split('\n').at(-1) ?? ''
}

/** Whole seconds since `started`, as Ansible's results count `elapsed` (timedelta.seconds). */
export const elapsedSince = (started: number): number => Math.floor((Date.now() - started) / 1000)
