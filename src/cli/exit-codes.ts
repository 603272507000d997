// Exit codes follow ansible-playbook: 0 ok, 1 invalid input (nothing was contacted), 2 a task failed on
// some host, 4 some host unreachable, 130 interrupted. `pgha status` exits 0 healthy, 2 problems found,
// 4 some node unreachable. This file is the one place that turns errors and outcomes into those numbers.
import type { RunOutcome } from '../engine/index.js'
import { PghaError } from '../errors.js'
import type { StatusOutcome } from '../status/index.js'

export const EXIT = { ok: 0, input: 1, failed: 2, unreachable: 4, interrupted: 130 } as const

export function exitCodeFor(err: unknown): number {
  if (!(err instanceof PghaError)) return EXIT.input
  switch (err.code) {
    case 'config': return EXIT.input
    case 'unreachable': return EXIT.unreachable
    case 'interrupted': return EXIT.interrupted
    case 'task': case 'timeout': return EXIT.failed
    default: return EXIT.input
  }
}

/** How a run or a status ended (the lab's status reports unreachable nodes the same way). */
export type Outcome = RunOutcome | StatusOutcome

const OUTCOME_EXIT: Record<Outcome, number> = {
  ok: EXIT.ok,
  healthy: EXIT.ok,
  failed: EXIT.failed,
  problems: EXIT.failed,
  unreachable: EXIT.unreachable,
  interrupted: EXIT.interrupted,
}

export function exitCodeOf(outcome: Outcome): number {
  return OUTCOME_EXIT[outcome]
}
