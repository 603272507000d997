// What the cluster e2e tests check, the way an operator would: run a shipped playbook against the lab
// and read the recap, the events per task and host, and the cluster's own state through psql on a node.
import { resolve } from 'node:path'
import { runPlaybook, type EngineEvent, type RecapCounts } from '../../src/engine/index.js'
import { exitCodeOf } from '../../src/cli/exit-codes.js'
import { labExec } from './lab-env.js'

export interface PlaybookRun {
  exitCode: number
  recap: Record<string, RecapCounts>
  elapsedMs: number
  /** Round trips to the hosts, all of them together. */
  roundTrips: number
  /** `task @ host` for every changed result, in order. */
  changed: string[]
  /** `task @ host: message` for every failed or unreachable result. */
  failures: string[]
  events: EngineEvent[]
}

export async function runShipped(playbook: string, inventory: string, opts: { check?: boolean; extraVars?: string[]; limit?: string } = {}): Promise<PlaybookRun> {
  const events: EngineEvent[] = []
  const summary = await runPlaybook({
    playbook: resolve('playbooks', playbook), inventory, check: opts.check, diff: true, extraVars: opts.extraVars, limit: opts.limit,
    onEvent: (e) => events.push(e),
  })
  const results = events.filter((e): e is Extract<EngineEvent, { type: 'host:result' }> => e.type === 'host:result')
  return {
    exitCode: exitCodeOf(summary.outcome),
    recap: summary.recap,
    elapsedMs: summary.elapsedMs,
    roundTrips: summary.roundTrips,
    changed: results.filter((e) => e.status === 'changed').map((e) => `${e.task} @ ${e.host}`),
    failures: results.filter((e) => e.status === 'failed' || e.status === 'unreachable').map((e) => `${e.task} @ ${e.host}: ${String(e.result.msg ?? '')}`),
    events,
  }
}

/** Runs SQL through psql as postgres on a node (inside it, like a DBA logged in there). */
export async function psql(node: string, sql: string, db = 'postgres'): Promise<string> {
  const r = await labExec(node, ['runuser', '-u', 'postgres', '--', 'psql', '-XAtq', '-d', db, '-c', sql])
  if (r.rc !== 0) throw new Error(`psql on ${node} failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout.trim()
}

/** Polls until `fn` returns true or the time is up; returns the last value. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn().catch((e: Error) => e as unknown as T)
    if (ok(v) || Date.now() > until) return v
    await new Promise((r) => setTimeout(r, 500))
  }
}

export async function onNode(node: string, cmd: string): Promise<string> {
  const r = await labExec(node, ['sh', '-c', cmd])
  if (r.rc !== 0) throw new Error(`${cmd} on ${node} failed (rc ${r.rc}): ${r.stderr}`)
  return r.stdout
}

export const totalChanged = (run: PlaybookRun): number => Object.values(run.recap).reduce((n, c) => n + c.changed, 0)
