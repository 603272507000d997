// Read-ahead: on a converged re-run most of the time goes to round trips that each read one file's facts.
// When a task's module says which facts it reads (ModuleDef.reads) and they are not cached, the facts of the
// tasks that follow it in the same list are read in the same batch, as long as their modules say so too
// (any other module ends the window: it could change the host in ways no fact records).
//
// Being right does not depend on guessing right. A later task whose arguments come out different from the
// guess (a variable registered in between) asks for other facts and reads them itself; whatever is applied
// on the host drops everything read ahead (invoke-module.ts). The window closes after a change, since a
// first run changes nearly every task and would read ahead only to drop it, and doubles with each task
// that reads its facts again, up to READ_AHEAD_MAX.
import type { FactCache, FactRead } from '../facts/index.js'
import { getModule } from '../modules/index.js'
import type { ModuleContext } from '../modules/types.js'
import { coerceArgs, type Task } from '../playbook/index.js'
import type { Vars } from '../inventory/types.js'
import { evaluateCondition, renderValue } from '../vars/index.js'
import { becomeFor } from './host-access.js'
import type { HostState } from './host-state.js'
import { factUser } from './module-context.js'
import { extendScope } from './resolve-vars.js'
import type { RunContext } from './run-context.js'
import { tagsSelect } from './tags.js'

/** The most tasks one batch reads for. */
export const READ_AHEAD_MAX = 64

/** A batch costs two round trips: worth it from three single reads on. */
const MIN_BATCH = 3

/** Guessing yields to the event loop after every task, so a connection being opened makes progress. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export interface ReadAheadAt {
  /** The running task, and what it reads. */
  task: Task
  reads: FactRead[]
  vars: Vars
  facts: FactCache
  /** The running task's become user, as the fact cache keys it (factUser). */
  user: string
}

/**
 * The facts to read in one batch before the running task plans: its own and the guessed ones of the tasks
 * after it; undefined when its own are cached already. It yields after each task it guesses: on a host's
 * first task it runs while the SSH connection is being opened, which needs the event loop and mostly waits.
 */
export async function guessAhead(run: RunContext, host: HostState, at: ReadAheadAt): Promise<FactRead[] | undefined> {
  if (at.reads.every((r) => at.facts.has(r.def, r.args, at.user))) return undefined
  const window = host.readAheadWindow
  host.readAheadWindow = Math.min(READ_AHEAD_MAX, Math.max(1, window * 2))
  const reads = [...at.reads]
  for (const next of host.upcoming.slice(0, window)) {
    if (next.kind !== 'task' || !getModule(next.module)?.reads) break
    reads.push(...guessReads(run, next, at))
    await yieldToIo()
  }
  return reads
}

/** Reads `reads` in one batch through the running task's commands (its become user, its timeout). */
export function readAhead(at: Pick<ReadAheadAt, 'facts' | 'user'>, reads: FactRead[], exec: ModuleContext['exec']): Promise<void> {
  return at.facts.readAhead(reads, (command) => exec(command), at.user, MIN_BATCH)
}

/** The facts a later task would read if it ran now with the running task's variables; none when unsure. */
function guessReads(run: RunContext, task: Task, at: ReadAheadAt): FactRead[] {
  if (task.loop !== undefined || task.delegateTo !== undefined) return []
  if (!tagsSelect(task.tags, run.options.tags, run.options.skipTags)) return []
  const mod = getModule(task.module)!
  try {
    const ownVars = Object.keys(task.vars).length > 0
    const vars = ownVars ? extendScope(at.vars, task.vars) : at.vars
    if (!task.when.every((c) => evaluateCondition(c.expr, vars, c.loc))) return []
    // Another become user reads through another shell into another cache. The same keywords with the
    // same variables need no second look.
    const sameBecome = !ownVars && task.become === at.task.become && task.becomeUser === at.task.becomeUser
    if (!sameBecome && factUser(becomeFor(task, vars)) !== at.user) return []
    const args = renderValue(task.args, vars, task.argsLoc ?? task.loc) as Record<string, unknown>
    const parsed = mod.params.safeParse(coerceArgs(mod, args))
    return parsed.success ? mod.reads!(parsed.data) : []
  } catch {
    return [] // a variable that only exists later, say: the task will read its own facts
  }
}
