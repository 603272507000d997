// The engine's entry point: validate everything, then run each play, emitting events; returns the
// recap and how the run ended (src/cli/exit-codes.ts turns that into the exit code).
import { reachableHosts } from '../inventory/index.js'
import { openTransport } from '../transport/index.js'
import type { EngineEvent } from './events.js'
import { Connections } from './connections.js'
import { DEFAULT_FORKS, INTERRUPT_GRACE_MS, type RunOptions } from './options.js'
import { prepare } from './preflight.js'
import { Recap } from './recap.js'
import { hostVarsOf } from './host-vars.js'
import { hostState, type RunContext } from './run-context.js'
import { runPlay } from './run-play.js'
import { hostSecrets, learnSecrets } from '../secrets/index.js'
import { ConfigErrors } from '../errors.js'
import { answerPrompts } from './vars-prompt.js'

/** How a run ended: an interrupt outranks an unreachable host, which outranks a failed task. */
export type RunOutcome = 'ok' | 'failed' | 'unreachable' | 'interrupted'

export interface RunSummary {
  recap: Recap['counts']
  outcome: RunOutcome
  elapsedMs: number
  roundTrips: number
}

export async function runPlaybook(options: RunOptions): Promise<RunSummary> {
  const startedAt = Date.now()
  const prepared = prepare(options) // throws ConfigErrors before anything is contacted
  // vars_prompt: asked once the input is valid, still before anything is contacted.
  const prompted = answerPrompts(prepared.playbook, prepared.extraVars, options.prompt)
  if (prompted.errors.length > 0) throw new ConfigErrors(prompted.errors)
  const signal = options.signal ?? new AbortController().signal
  const recap = new Recap()
  const emit = (e: EngineEvent): void => {
    recap.record(e)
    options.onEvent?.(e)
  }
  // A handshake retried after a crowded timeout is said at -v; one that gives up says so in its error.
  const onRetry = (host: string, message: string): void => { if ((options.verbosity ?? 0) > 0) emit({ type: 'warning', host, message }) }
  const connections = new Connections(options.openTransport ?? openTransport, { onRetry })
  const run: RunContext = {
    options, inventory: prepared.inventory, playbook: prepared.playbook, extraVars: prepared.extraVars,
    connections, hosts: new Map(), forks: options.forks ?? DEFAULT_FORKS, check: !!options.check, signal,
    started: !options.startAtTask, stopped: false, emit,
    hostVarsOf: (name) => hostVarsOf(run, name),
  }
  for (const w of [...(prepared.inventory.warnings ?? []), ...(prepared.playbook.warnings ?? [])]) emit({ type: 'warning', message: w.format() })
  const allHosts = reachableHosts(prepared.inventory).filter((h) => !prepared.limit || prepared.limit.has(h))
  for (const h of allHosts) {
    const state = hostState(run, h)
    state.secrets = hostSecrets(run, h)
    learnSecrets(run, state, prompted.secrets)
  }
  options.onSecrets?.([...new Set([...run.hosts.values()].flatMap((h) => h.secrets))])
  // After an interrupt, running commands get a grace period; then connections close, which ends them.
  const onAbort = (): void => { setTimeout(() => void connections.closeAll(), INTERRUPT_GRACE_MS).unref() }
  signal.addEventListener('abort', onAbort, { once: true })
  emit({ type: 'run:start', playbook: options.playbook, check: run.check, hosts: [] })
  try {
    const plays = prepared.playbook.plays
    for (const [i, play] of plays.entries()) {
      if (run.stopped || signal.aborted) break
      await runPlay(run, play, prepared.limit, plays.slice(i + 1))
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    // A run that ended in order may leave its logins to the next run of a run server (login-pool.ts).
    await connections.closeAll({ keepLogin: !signal.aborted })
  }
  const elapsedMs = Date.now() - startedAt
  emit({ type: 'run:end', recap: recap.counts, elapsedMs, interrupted: signal.aborted })
  const outcome: RunOutcome = signal.aborted ? 'interrupted' : recap.anyUnreachable ? 'unreachable' : recap.anyFailed ? 'failed' : 'ok'
  return { recap: recap.counts, outcome, elapsedMs, roundTrips: connections.roundTrips }
}

export type { RunOptions } from './options.js'
export type { EngineEvent, RecapCounts, HostStatus } from './events.js'

// What `pgha render` reuses to walk a playbook offline exactly as a run would see it.
export { prepare, type Prepared } from './preflight.js'
export { playScope, taskVars, type PlayScope, type ScopeRun, type ScopeHost, type TaskLayer } from './play-scope.js'
export { loadPlayVarsFiles } from './run-play.js'
export { factVars, FACT_VARIABLES } from './gather-facts.js'
export { resolveLocalFor, hostConnectionSpec, withCommandLineConnection } from './host-access.js'
export { extendScope, resolveTemplatedVars } from './resolve-vars.js'
export { hostVarsOf } from './host-vars.js'
export {
  eachItem, formatZodIssues, handlerTopics, LoopNotAList, loopItems, taskArgs, taskLayer, walkTasks, type Include, type TaskVisitor,
} from './task-path.js'
export { listPlaybook, type ListingRequest } from './listing.js'
export { answerPrompts, type Prompter } from './vars-prompt.js'
export { applyCommandLineDefaults } from './command-line-defaults.js'
