// Exit codes follow ansible-playbook: 0 ok, 1 invalid input (nothing was contacted), 2 a task failed on
// some host or a command line that cannot be parsed (a missing -i, an unknown option, a value not among
// an option's choices: argparse's usage error), 4 some host unreachable, 130 interrupted (SIGINT); a run stopped by SIGTERM exits 143 and by
// SIGHUP 129, as a shell reports a process those signals ended. `pgha status` exits 0 healthy, 2 problems
// found, 4 some node unreachable. This file is the one place that turns errors and outcomes into those numbers.
import type { RunOutcome } from '../engine/index.js'
import { PghaError } from '../errors.js'
import type { StatusOutcome } from '../status/index.js'

export const EXIT = { ok: 0, input: 1, failed: 2, usage: 2, unreachable: 4, hangup: 129, interrupted: 130, terminated: 143 } as const

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

/** The signals that stop a run gracefully (running commands finish or are ended, temp files removed). */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP'

/** How a run stopped by a signal ended: SIGINT is the engine's 'interrupted'. */
export type SignalOutcome = 'interrupted' | 'terminated' | 'hangup'

export const SIGNAL_OUTCOME: Record<StopSignal, SignalOutcome> = { SIGINT: 'interrupted', SIGTERM: 'terminated', SIGHUP: 'hangup' }

/** How a run or a status ended (the lab's status reports unreachable nodes the same way). */
export type Outcome = RunOutcome | StatusOutcome | SignalOutcome

const OUTCOME_EXIT: Record<Outcome, number> = {
  ok: EXIT.ok,
  healthy: EXIT.ok,
  failed: EXIT.failed,
  problems: EXIT.failed,
  unreachable: EXIT.unreachable,
  interrupted: EXIT.interrupted,
  terminated: EXIT.terminated,
  hangup: EXIT.hangup,
}

export function exitCodeOf(outcome: Outcome): number {
  return OUTCOME_EXIT[outcome]
}
