// Read-ahead: on a converged re-run most of the time goes to round trips that each read one fact.
// When a task's module says which facts it reads (ModuleDef.reads) and they are not cached, the facts of its
// other loop items and of the tasks that follow it (each of their loop items; on past the end of its block
// or included file, into the blocks and literal includes after it) are read in the same batch, as long as
// their modules say so too (any other module ends the window: it could change the host in ways no fact
// records; so does a command without a guard, which runs whatever it finds; either is gone past when its
// `when` is false or cannot be told yet; a role, or an include whose tasks cannot be told before it runs,
// ends it too), and on into the later sections of the play and the later plays the host is in. Each
// fact kind says how it is read in a batch (FactDef.batch): most join one command of the round trip.
//
// Being right does not depend on guessing right. A later task whose arguments come out different from the
// guess (a variable registered in between) asks for other facts and reads them itself; a `when` that
// cannot be told yet is guessed to hold, and a fact read for a task that is then skipped is only never
// used; whatever is applied on the host drops everything read ahead (invoke-module.ts). A later task that
// runs as another become user, one a plan has already run as on this host (or, with a root login, one whose
// account is known to exist: mayBecome), has its facts read in that user's shell, at the same time as the
// batch of the running task's user: two shells, one wait. The window (tasks,
// or the running task's next loop items) closes after a change its plan foresaw, since a first run changes
// nearly every task and would read ahead only to drop it (not after a command that runs every time: a
// converged play may have several), and doubles with each task that reads its facts again, up to
// READ_AHEAD_MAX.
import { userFact, type FactCache, type FactRead } from '../facts/index.js'
import { getModule } from '../modules/index.js'
import type { HostFacts } from '../modules/types.js'
import type { Become, ExecResult } from '../transport/types.js'
import type { Play, Task, TaskNode } from '../playbook/index.js'
import { selectHosts } from '../inventory/index.js'
import type { Vars } from '../inventory/types.js'
import { becomeFor, loginUserFor, transportFor } from './host-access.js'
import type { HostState } from './host-state.js'
import { factUser } from './module-context.js'
import { extendScope, missingName } from './resolve-vars.js'
import type { RunContext } from './run-context.js'
import { eachItem, loopItems, tagsSelect, taskArgs, whenHolds, type TaskArgs } from './task-path.js'

/** The most tasks one batch reads for. */
export const READ_AHEAD_MAX = 128

/** A batch costs one round trip: worth it from two single reads on. */
const MIN_BATCH = 2

/** Guessing yields to the event loop after every task, so a connection being opened makes progress. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A fact a later task reads; `as`: the become user it runs as, when not the running task's. */
export type GuessedRead = FactRead & { as?: { user: string; become: Become } }

export interface ReadAheadAt {
  /** The running task, and what it reads. */
  task: Task
  reads: FactRead[]
  vars: Vars
  facts: FactCache
  /** The running task's become user, as the fact cache keys it (factUser). */
  user: string
  /** Whom the running task's connection logs in as (asked only for a become user no plan has run as). */
  loginUser?: () => string | undefined
}

/**
 * The facts to read in one batch before the running task plans: its own and the guessed ones of the tasks
 * after it; undefined when its own are cached already. It yields after each task it guesses: on a host's
 * first task it runs while the SSH connection is being opened, which needs the event loop and mostly waits.
 */
export async function guessAhead(run: RunContext, host: HostState, at: ReadAheadAt): Promise<GuessedRead[] | undefined> {
  if (at.reads.every((r) => at.facts.has(r.def, r.args, at.user))) return undefined
  const window = host.readAheadWindow
  host.readAheadWindow = Math.min(READ_AHEAD_MAX, Math.max(1, window * 2))
  const reads: GuessedRead[] = [...at.reads]
  // The running task's next loop items.
  if (at.task.loop !== undefined) reads.push(...(guessReads(run, host, at.task, at, window) ?? []))
  return [...reads, ...(await guessNext(run, host, host.upcoming, at, window))]
}

/**
 * A host that skips a task the play's other hosts run waits for them (tasks run host by host in step):
 * meanwhile it reads ahead for its own next tasks, as its next task that reads would, so that the hosts'
 * batches overlap rather than follow one another (site.yml: node1's batch comes at the primary's tasks,
 * node2's at the standby's). The same guesses and rules as a task's batch, as the skipped task's become
 * user (others in their shells), but for volatile facts; nothing when the host just changed something
 * (its window is closed).
 * A read that fails is left to the task that needs it, which reports it.
 */
export async function readAheadWhileWaiting(run: RunContext, host: HostState, task: Task, vars: Vars): Promise<void> {
  const window = host.readAheadWindow
  if (window === 0 || run.signal.aborted) return
  try {
    const become = becomeFor(task, vars)
    const at: ReadAheadAt = {
      task, reads: [], vars, facts: host.factCache, user: factUser(become),
      loginUser: () => loginUserFor(run, host.name, vars, task),
    }
    // The skipped task's user is read as only where a batch could read as it: its shell may not open (an
    // account only the other hosts have), and a refused sudo stays refused for the connection.
    if (at.user !== '' && !host.planUsers.has(at.user) && ![...host.planUsers].some((by) => mayBecome({ ...at, user: by }, at.user))) return
    // Not what changes without this host applying anything: the others are applying things meanwhile,
    // and would drop it (FactCache.dropVolatile) before this host's task reads it.
    const reads = (await guessNext(run, host, host.upcoming, at, window)).filter((r) => !r.def.volatile)
    if (reads.length === 0) return
    const transport = await transportFor(run, host.name, vars, task)
    // One read is worth it too: the host waits anyway.
    await readAhead(at, reads, (command) => transport.exec(command, become), (as) => (command) => transport.exec(command, as), 1)
  } catch {
    // An unreachable host, a keyword that cannot be told yet: the next task finds out and says so.
  }
}

/**
 * The facts a play's first task (every loop item) and the tasks after it in its list will read, guessed
 * before the host's facts are gathered, so that gathering reads them in its own round trip: what depends
 * on a gathered fact cannot be told yet and is left to a later batch. None when the first task's module
 * does not say what it reads, or it will change the host whatever it finds.
 */
export async function guessFirst(run: RunContext, host: HostState, at: Omit<ReadAheadAt, 'reads'>, upcoming: readonly TaskNode[]): Promise<FactRead[]> {
  if (!getModule(at.task.module)?.reads) return []
  const own = guessReads(run, host, at.task, at)
  if (own === undefined) return []
  // Gathering's round trip is the login user's: other users' reads wait for a task's batch.
  return [...own, ...(await guessNext(run, host, upcoming, at, READ_AHEAD_MAX))].filter((r) => r.as === undefined)
}

/**
 * The guessed reads of the first `window` tasks of `nodes` in order, up to the first whose module does not
 * say, or that changes the host anyway, or that cannot be foreseen.
 */
async function guessNext(run: RunContext, host: HostState, nodes: readonly TaskNode[], at: Omit<ReadAheadAt, 'reads'>, window: number): Promise<GuessedRead[]> {
  const reads: GuessedRead[] = []
  let count = 0
  for (const foreseenTask of foreseen(nodes, at.vars, host.name)) {
    if (count++ >= window || foreseenTask === 'end') break
    const { task: next, sure } = foreseenTask
    // A task that may change the host in ways no fact records is gone past when it will not run or may not:
    // if it does apply something, what was read ahead is dropped then (invoke-module.ts), so passing it
    // costs at most the reads after it; a converged run skips most such tasks (a build after a download
    // that changed, a fail on a bad state).
    if (!getModule(next.module)?.reads) {
      if (quietFlush(next, host) || whenState(next.when, Object.keys(next.vars).length > 0 ? extendScope(at.vars, next.vars) : at.vars) !== 'holds') continue
      break
    }
    // Guessed whole by an earlier batch, and all of it still cached: nothing to add (guessing is most of
    // read-ahead's cost, and a window now spans plays). A guess that has gone stale since (a variable set
    // in between) costs that task a read of its own, never a wrong plan.
    const known = host.guesses.get(next)
    if (known?.missing !== undefined ? stillMissing(at.vars, known.missing) : known?.reads.every((r) => at.facts.has(r.def, r.args, r.as?.user ?? known.user))) continue
    const guessed = guessWhole(run, host, next, at, READ_AHEAD_MAX, sure)
    if (guessed === undefined) break
    if (guessed.whole || guessed.missing !== undefined) host.guesses.set(next, { user: at.user, reads: guessed.reads, missing: guessed.missing })
    reads.push(...guessed.reads)
    await yieldToIo()
  }
  return reads
}

/**
 * The hosts of a later play, by its top-level nodes: a guess goes on into the plays after the running one
 * (their sections in order), past those a host is not in. Told when the running play starts: a host that
 * add_host or group_by brings in later is merely not read for.
 */
const laterPlayHosts = new WeakMap<TaskNode, ReadonlySet<string>>()

/** The nodes of `plays`, in the order they run, each play's top-level nodes marked with its hosts. */
export function laterNodes(run: Pick<RunContext, 'inventory'>, plays: readonly Play[]): TaskNode[] {
  const out: TaskNode[] = []
  for (const play of plays) {
    const hosts = new Set(selectHosts(run.inventory, play.hosts))
    for (const node of [...play.preTasks, ...play.tasks, ...play.postTasks]) {
      laterPlayHosts.set(node, hosts)
      out.push(node)
    }
  }
  return out
}

/**
 * The tasks `nodes` will run, in order (a later play's only where the host is in it): those of a block (its `block` part: a rescue is not planned for),
 * and those of an include of a literal file without a loop, unless its `when` is known not to hold; 'end'
 * at what cannot be foreseen (a role, an include that is looped or whose file name is a template). `sure`:
 * no include around the task has a `when` that cannot be told yet.
 */
function* foreseen(nodes: readonly TaskNode[], vars: Vars, host: string, sure = true): Generator<{ task: Task; sure: boolean } | 'end'> {
  for (const node of nodes) {
    if (laterPlayHosts.get(node)?.has(host) === false) continue
    if (node.kind === 'task') yield { task: node, sure }
    else if (node.kind === 'block') yield* foreseen(node.block, vars, host, sure)
    else if (node.kind === 'include_tasks' && node.loop === undefined && node.preloaded) {
      const when = whenState(node.when, vars)
      if (when !== 'no') yield* foreseen(node.preloaded, vars, host, sure && when === 'holds')
    } else {
      yield 'end'
      return
    }
  }
}

/** The host's gathered facts, when the play gathered them: what a module's reads may depend on. */
export function gathered(host: HostState): Partial<HostFacts> | undefined {
  return host.facts.ansible_facts as Partial<HostFacts> | undefined
}

/**
 * Reads `reads` in one batch through the running task's commands (its become user, its timeout), and those
 * of each other become user at the same time through `execAs` (that user's shell, the same timeout); the
 * running user's only from `min` reads on.
 */
export async function readAhead(
  at: Pick<ReadAheadAt, 'facts' | 'user'>, reads: GuessedRead[], exec: (command: string) => Promise<ExecResult>,
  execAs: (become: Become) => (command: string) => Promise<ExecResult>, min = MIN_BATCH,
): Promise<void> {
  const others = new Map<string, { become: Become; reads: FactRead[] }>()
  for (const r of reads) {
    if (r.as === undefined) continue
    const group = others.get(r.as.user) ?? others.set(r.as.user, { become: r.as.become, reads: [] }).get(r.as.user)!
    group.reads.push(r)
  }
  const own = reads.filter((r) => r.as === undefined)
  // Another user's batch waits no longer than the running user's: one read is worth it.
  await Promise.all([
    at.facts.readAhead(own, exec, at.user, min),
    ...[...others].map(([user, g]) => at.facts.readAhead(g.reads, execAs(g.become), user, 1)),
  ])
}

/**
 * The facts a later task would read if it ran now with the running task's variables, for each of its loop
 * items (for the running task itself, the `window` items after the current one); none when unsure,
 * undefined when it will change the host whatever it finds.
 */
function guessReads(run: RunContext, host: HostState, task: Task, at: Omit<ReadAheadAt, 'reads'>, window = READ_AHEAD_MAX): GuessedRead[] | undefined {
  return guessWhole(run, host, task, at, window)?.reads
}

/** A variable a guess lacked is still undefined: guessing again would fail the same way. */
function stillMissing(vars: Vars, name: string): boolean {
  try {
    return vars[name] === undefined
  } catch {
    return true // its rendering fails here
  }
}

/** What a guess found: its reads; whether it is whole (every loop item told); else the variable it lacked, if one did. */
interface Guess {
  reads: GuessedRead[]
  whole: boolean
  missing?: string
}

/**
 * guessReads, saying too whether the guess is whole, or which variable that exists only later it lacked.
 * `sure`: no include around it has a `when` not told yet. Where the task may well not run (that, or its own
 * `when` not told yet), a read whose cost grows with the host's data (FactDef.costly: a checksum hashes a
 * whole file) is left to the task, should it run: a converged run skips most such tasks.
 */
function guessWhole(run: RunContext, host: HostState, task: Task, at: Omit<ReadAheadAt, 'reads'>, window = READ_AHEAD_MAX, sure = true): Guess | undefined {
  const none: Guess = { reads: [], whole: false }
  if (task.delegateTo !== undefined) return none
  if (!tagsSelect(task.tags, run.options.tags, run.options.skipTags)) return none
  // run_once runs on the first of the task's hosts: the others would read for nothing.
  if (task.runOnce === true && task !== at.task && firstWalking(run, host) !== host) return none
  const reads: GuessedRead[] = []
  let whole = true
  let missing: string | undefined
  const lacking = (err: unknown): undefined => {
    whole = false
    missing ??= missingName(err)
    return undefined
  }
  try {
    const ownVars = Object.keys(task.vars).length > 0
    const vars = ownVars ? extendScope(at.vars, task.vars) : at.vars
    // Another become user reads through another shell into another cache. The same keywords with the
    // same variables need no second look.
    const sameBecome = !ownVars && task.become === at.task.become && task.becomeUser === at.task.becomeUser
    const become = sameBecome ? undefined : becomeFor(task, vars)
    const user = become ? factUser(become) : at.user
    // Another user's, read in its own shell when a plan has run as it here already, or when that shell can
    // be opened safely.
    if (user !== at.user && !host.planUsers.has(user) && !mayBecome(at, user)) return none
    const as = become && user !== at.user ? { user, become } : undefined
    // Another environment (a PATH, a locale) may give other answers: the task reads its own.
    const sameEnvironment = task === at.task || (task.environment === undefined ? at.task.environment === undefined
      : !ownVars && JSON.stringify(task.environment) === JSON.stringify(at.task.environment))
    if (!sameEnvironment) return none
    for (const itemVars of itemScopes(task, vars, task === at.task, window)) {
      const when = whenState(task.when, itemVars)
      if (when === 'no') continue
      const args = guessArgs(task, itemVars, lacking)
      if (args === undefined) {
        whole = false
        continue
      }
      const own = args.mod.reads!(args.params, gathered(host))
      // It will change the host if it runs: the end of the window, unless it may well not run.
      if (own === undefined && when === 'unknown') {
        whole = false
        continue
      }
      if (own === undefined) return undefined
      const affordable = sure && when === 'holds' ? own : own.filter((r) => !r.def.costly?.(r.args))
      if (affordable.length < own.length) whole = false
      reads.push(...(as ? affordable.map((r) => ({ ...r, as })) : affordable))
    }
  } catch (err) {
    // A variable that only exists later, say: the task will read its own facts.
    lacking(err)
  }
  return { reads, whole, missing }
}

/**
 * Whether read-ahead may open the shell of a become user no plan has run as yet on the host: when sudo
 * cannot prompt, the login user being root, and the account is known to exist (its user fact, read as
 * `at.user` and not dropped since: an account an earlier task creates, or one that is missing, is not read as).
 */
function mayBecome(at: Omit<ReadAheadAt, 'reads'>, user: string): boolean {
  return at.loginUser?.() === 'root' && at.facts.known(userFact, { name: user }, at.user)?.exists === true
}

/** The hosts running the same task share its `upcoming`: the first of them, in the run's order of hosts. */
const firstOf = new WeakMap<readonly TaskNode[], HostState>()

function firstWalking(run: RunContext, host: HostState): HostState {
  let first = firstOf.get(host.upcoming)
  if (first === undefined) {
    first = [...run.hosts.values()].find((h) => h.active && h.upcoming === host.upcoming) ?? host
    firstOf.set(host.upcoming, first)
  }
  return first
}

/** The task's variables for each loop item to guess: after the current item for the running task. */
function itemScopes(task: Task, vars: Vars, running: boolean, window: number): Vars[] {
  if (task.loop === undefined) return [vars]
  const items = loopItems(task, vars)
  const current = running ? JSON.stringify(vars[task.loopVar]) : undefined
  const from = running ? items.findIndex((item) => JSON.stringify(item) === current) + 1 : 0
  return [...eachItem(task, items, vars)].slice(from, from + window).map((it) => it.vars)
}

/**
 * A flush of handlers when none is notified on the host: a handler it would run must be notified by a task
 * in between, which changed something, and a change drops what was read ahead anyway.
 */
function quietFlush(task: Task, host: HostState): boolean {
  return task.module === 'meta' && (task.args.cmd ?? task.args._raw_params) === 'flush_handlers' && host.notified.size === 0
}

/**
 * Whether a `when` holds with these variables: 'no' when a condition is false (Ansible stops there), else
 * 'unknown' when one cannot be told yet (it names a variable a task in between registers), else 'holds'.
 */
function whenState(when: Task['when'], vars: Vars): 'holds' | 'no' | 'unknown' {
  let unknown = false
  for (const c of when) {
    try {
      if (!whenHolds([c], vars)) return 'no'
    } catch {
      unknown = true
    }
  }
  return unknown ? 'unknown' : 'holds'
}

/** The task's arguments with these variables; undefined when they cannot be told yet or are invalid. */
function guessArgs(task: Task, vars: Vars, failed: (err: unknown) => undefined): Extract<TaskArgs, { mod: unknown }> | undefined {
  try {
    const args = taskArgs(task, vars)
    return args.error === undefined ? args : undefined
  } catch (err) {
    return failed(err)
  }
}
