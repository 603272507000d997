// One task: on its hosts (at most `forks` at once, or once for run_once), with its task:start/end events;
// then on one host: `when`, `loop`, retries/until, changed_when/failed_when, register, notify, and the
// host:result event. Host faults (unreachable) take the host out of the run; every other error is a
// failed task on that host, reported with its cause.
import { ConfigError, ConfigErrors, PghaError, UnreachableError, formatAt } from '../errors.js'
import type { Vars } from '../inventory/types.js'
import { getModule, type TaskResult } from '../modules/index.js'
import type { Task, TaskNode } from '../playbook/index.js'
import { evaluateCondition } from '../vars/index.js'
import { msSince, type HostStatus } from './events.js'
import type { HostState } from './host-state.js'
import { invokeModule, type Invocation } from './invoke-module.js'
import { readAheadWhileWaiting } from './read-ahead.js'
import { extendScope } from './resolve-vars.js'
import { mapLimit, type RunContext } from './run-context.js'
import { censor, learnSecrets, noLogOutputSecrets, revealedVaultCount, revealedVaultValues, scrub, scrubResult, taskSecrets, taskTitle } from '../secrets/index.js'
import { sleep } from './module-context.js'
import { taskVars, type PlayScope } from './play-scope.js'
import { taskLimit } from './task-limit.js'
import { eachItem, itemLabel, itemsUnlessSkipped, loopControl, moduleOf, resolveKeywords, taskLayer, whenHolds } from './task-path.js'

/** A task's outcome on a host: its status, its result and the changes it planned (every item's, for a loop). */
export interface HostOutcome extends Invocation {
  status: HostStatus
}

/** Runs one task on the given hosts and emits its events; tasks and handlers alike. `upcoming`: for read-ahead. */
export async function runTaskOnHosts(
  run: RunContext, scope: PlayScope, task: Task, hosts: HostState[], layer: Vars, handler: boolean, upcoming: readonly TaskNode[] = [],
): Promise<void> {
  for (const h of hosts) h.upcoming = upcoming
  const extra = taskLayer(task, layer)
  const scopes = new Map(hosts.map((h) => [h, taskVars(run, scope, h, extra)]))
  // Known before the task is announced, so even its name is masked (a no_log given as a template counts
  // as set when it cannot be evaluated; the task then fails on that host with the template's error).
  for (const [h, vars] of scopes) learnSecrets(run, h, taskSecrets(keywordsOrWorst(task, vars), vars, moduleOf(task)?.secretArgs))
  run.emit({ type: 'task:start', name: taskTitle(task), hosts: hosts.map((h) => h.name), handler, module: task.module })
  const varsOf = (h: HostState): Vars => scopes.get(h)!
  // run_once, or a module that runs once for all its hosts (add_host: Ansible's bypass_host_loop).
  if (hosts.length > 0 && (keywordsOrWorst(task, varsOf(hosts[0])).runOnce || getModule(task.module)?.once)) {
    const [first, ...rest] = hosts
    const outcome = await runTaskOnHost(run, task, first, varsOf(first))
    // run_once: one execution, its result registered on every host of the play, as Ansible does.
    for (const h of rest) if (task.register) h.registered[task.register] = outcome.result
  } else {
    const forks = Math.min(run.forks, task.throttle ?? Infinity)
    const waiting = handler ? [] : waitingHosts(task, hosts, varsOf)
    const applies = waiting.map((h) => h.factCache.appliesSeen)
    await Promise.all([
      mapLimit(hosts, forks, (h) => runTaskOnHost(run, task, h, varsOf(h))),
      mapLimit(waiting, forks, (h) => readAheadWhileWaiting(run, h, task, varsOf(h))),
    ])
    // Another host's task may change this one (a switchover restarts the old primary over SSH): what a
    // waiting host read meanwhile, and before, is dropped when anything was applied during the task.
    waiting.forEach((h, i) => h.factCache.appliesSeen !== applies[i] && h.factCache.dropReadAhead())
  }
  run.emit({ type: 'task:end', name: taskTitle(task) })
}

/**
 * The hosts whose `when` skips a task that others run on their hosts: they wait for those, and can read
 * ahead meanwhile (read-ahead.ts readAheadWhileWaiting). None for a task that runs on the controller.
 */
function waitingHosts(task: Task, hosts: HostState[], varsOf: (h: HostState) => Vars): HostState[] {
  const mod = getModule(task.module)
  if (!mod || mod.local || task.loop !== undefined || task.delegateTo !== undefined || task.environment !== undefined || task.when.length === 0) return []
  const skips = (h: HostState): boolean => {
    try {
      return !whenHolds(task.when, varsOf(h))
    } catch {
      return false // it fails on the host, as it would
    }
  }
  const waiting = hosts.filter(skips)
  return waiting.length < hosts.length ? waiting : []
}

/** The task's templated keywords evaluated, or when they cannot be, the task with no_log set and run_once not. */
function keywordsOrWorst(task: Task, vars: Vars): Task {
  try {
    return resolveKeywords(task, vars)
  } catch {
    return { ...task, noLog: task.noLog || !!task.templated?.noLog, runOnce: task.runOnce }
  }
}

export async function runTaskOnHost(run: RunContext, template: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  const started = performance.now()
  let outcome: HostOutcome
  // As Ansible does, `when` comes first: a skipped task's templated keywords are not evaluated, and a
  // loop's are evaluated per item (the loop's own status uses what the host's variables give).
  let task = keywordsOrWorst(template, vars)
  try {
    if (template.loop === undefined && whenHolds(template.when, vars)) task = resolveKeywords(template, vars)
    outcome = task.loop === undefined ? await runOnce(run, task, host, vars) : await runLoop(run, task, host, vars)
  } catch (err) {
    outcome = faultOutcome(host, err, task.ignoreUnreachable === true)
    // ignore_errors covers a module's thrown failure (validate refused, sudo refused) as Ansible does;
    // an unreachable host is never ignored.
    if (outcome.status === 'failed' && task.ignoreErrors) outcome.status = 'ignored'
  }
  // Ansible registers a module's result without its `invocation` (its strategy's clean copy), and shows
  // it only from -vvv (its callbacks' _dump_results).
  if (task.register && outcome.status !== 'unreachable') host.registered[task.register] = withoutInvocation(outcome.result)
  if (outcome.result.changed && !outcome.result.failed) for (const n of task.notify) host.notified.add(n)
  if (outcome.status === 'failed') {
    host.failed = true
    host.lastFailure = { task: taskTitle(task), result: outcome.result }
  }
  if (task.noLog) learnSecrets(run, host, noLogOutputSecrets(outcome.result))
  learnDecrypted(run, host)
  const shown = task.noLog ? censor(outcome.result) : scrubResult((run.options.verbosity ?? 0) >= 3 ? outcome.result : withoutInvocation(outcome.result), host.secrets)
  const changes = task.noLog || outcome.changes.length === 0 ? undefined : outcome.changes.map((c) => scrub(c, host.secrets))
  run.emit({
    type: 'host:result', task: taskTitle(task), host: host.name, status: outcome.status, result: shown,
    durationMs: msSince(started), changes, ...(task.diff === undefined ? {} : { diff: task.diff }),
  })
  for (const message of resultWarnings(shown)) run.emit({ type: 'warning', host: host.name, message })
  return outcome
}

/** How many of the values decrypted so far (revealedVaultValues) each host has learned as secrets. */
const decryptedSeen = new WeakMap<HostState, number>()

/**
 * A module may decrypt a file as it runs (copy's vault-encrypted src, a file lookup), on this host or on
 * another running the same task at the same time: before a result is shown, its host learns every value
 * decrypted since it last looked, so that neither this result nor a later one shows it.
 */
function learnDecrypted(run: RunContext, host: HostState): void {
  const seen = decryptedSeen.get(host) ?? 0
  if (revealedVaultCount() === seen) return
  learnSecrets(run, host, revealedVaultValues().slice(seen))
  decryptedSeen.set(host, revealedVaultCount())
}

/**
 * What a module's result asks to have shown as warnings (a module run through Ansible's AnsibleModule):
 * its `warnings`, and its `deprecations` as Ansible words them. From the shown result, so scrubbed.
 */
function resultWarnings(r: TaskResult): string[] {
  const out = Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string') : []
  for (const d of Array.isArray(r.deprecations) ? r.deprecations : []) {
    const { msg, version, date } = (d ?? {}) as { msg?: unknown; version?: unknown; date?: unknown }
    if (typeof msg !== 'string') continue
    const when = typeof version === 'string' ? ` This feature will be removed in version ${version}.` : typeof date === 'string' ? ` This feature will be removed in a release after ${date}.` : ''
    out.push(`deprecated: ${msg}.${when}`)
  }
  return out
}

function withoutInvocation(r: TaskResult): TaskResult {
  if (!('invocation' in r)) return r
  const { invocation: _, ...rest } = r
  return rest as TaskResult
}

function faultOutcome(host: HostState, err: unknown, ignoreUnreachable: boolean): HostOutcome {
  if (err instanceof UnreachableError) {
    // ignore_unreachable: reported and counted as ignored, and the host stays in the play, as in Ansible.
    if (!ignoreUnreachable) host.unreachable = true
    return { status: ignoreUnreachable ? 'ignored' : 'unreachable', result: { changed: false, failed: false, unreachable: true, msg: err.message }, changes: [] }
  }
  return { status: 'failed', result: { changed: false, failed: true, msg: faultMessage(err) }, changes: [] }
}

/** What a failure thrown on a host says: an input error with its file:line:col, anything else as it is. */
export function faultMessage(err: unknown): string {
  return err instanceof ConfigError ? formatAt(err.message, err.loc)
    : err instanceof ConfigErrors ? err.message
    : err instanceof PghaError ? err.message
    : `internal error: ${(err as Error)?.stack ?? String(err)}`
}

async function runOnce(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  if (!whenHolds(task.when, vars)) return skipped()
  const { result, changes } = await withRetries(run, task, host, vars)
  return { status: statusOf(task, result), result, changes }
}

/** Ansible's result of a task (or include) its `when` skips. */
export const skippedResult = (): TaskResult => ({ changed: false, failed: false, skipped: true, skip_reason: 'Conditional result was False' })

const skipped = (): HostOutcome => ({ status: 'skipped', result: skippedResult(), changes: [] })

/** A loop's result over its items' results, as Ansible sums them up (a task's loop, an include's). */
export function loopResult(results: TaskResult[]): TaskResult {
  return {
    changed: results.some((r) => r.changed),
    failed: results.some((r) => r.failed),
    skipped: results.length > 0 && results.every((r) => r.skipped),
    msg: results.find((r) => r.failed)?.msg as string | undefined ?? 'All items completed',
    results,
  }
}

async function runLoop(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  const results: TaskResult[] = []
  const changes: string[] = []
  const pause = loopControl(task.loopPause, vars, 'number') ?? 0
  const items = itemsUnlessSkipped(task, vars, (conds) => whenHolds(conds, vars))
  if (items === undefined) return skipped()
  for (const it of eachItem(task, items, vars)) {
    if (run.signal.aborted) break
    // loop_control.pause: seconds between one item and the next
    if (pause > 0 && results.length > 0) await sleep(run.signal, pause * 1000)
    if (run.signal.aborted) break
    // As in Ansible, each item's result carries the loop variable under its own name (and index_var).
    const label = itemLabel(task, it)
    let r: TaskResult
    if (!whenHolds(task.when, it.vars)) r = { ...skippedResult(), item: it.item, ...it.loopVars, _label: label }
    else {
      // keywords given as templates may use the item, as Ansible evaluates them per item
      const itemRun = await withRetries(run, task.templated ? resolveKeywords(task, it.vars) : task, host, it.vars)
      changes.push(...itemRun.changes)
      r = { ...itemRun.result, item: it.item, ...it.loopVars, _label: label }
    }
    // As in Ansible, a failed item does not stop the loop: every item runs, and the task fails.
    results.push(r)
  }
  const result = loopResult(results)
  // The items' planned changes, so --check and -v list what a loop would do, as they do for one task.
  return { status: statusOf(task, result), result, changes }
}

function statusOf(task: Task, r: TaskResult): HostStatus {
  if (r.failed) return task.ignoreErrors ? 'ignored' : 'failed'
  if (r.skipped) return 'skipped'
  return r.changed ? 'changed' : 'ok'
}

/** Runs the module, applying changed_when/failed_when, and repeating while `until` does not hold. */
async function withRetries(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<Invocation> {
  const attempts = task.until ? task.retries + 1 : 1
  let result: TaskResult = { changed: false, failed: true, msg: 'not run' }
  let changes: string[] = []
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const invoked = await withTimeout(task, invokeModule(run, task, host, vars))
    result = judge(task, invoked.result, vars)
    changes = invoked.changes
    // Skipped (check mode, a command it cannot predict or an account not created yet): nothing to wait for.
    if (!task.until || result.skipped) return { result, changes }
    result.attempts = attempt
    const scope = resultScope(task, result, vars)
    // Tested on every result, failed ones too, as Ansible does: `until: job.finished` on a job that ended with
    // a nonzero rc stops waiting at once, and the result stays failed.
    if (evaluateCondition(task.until.expr, scope, task.until.loc)) return { result, changes }
    if (attempt < attempts) await sleep(run.signal, task.delay * 1000)
    if (run.signal.aborted) break
  }
  const msg = `${result.msg ? `${String(result.msg)}; ` : ''}retries exhausted (${attempts} attempts)`
  return { result: { ...result, failed: true, msg }, changes }
}

function judge(task: Task, r: TaskResult, vars: Vars): TaskResult {
  // A command skipped in check mode has no rc or stdout to judge, as in Ansible.
  if ((!task.changedWhen && !task.failedWhen) || r.skipped) return r
  const scope = resultScope(task, r, vars)
  const out = { ...r }
  if (task.changedWhen) out.changed = task.changedWhen.every((c) => evaluateCondition(c.expr, scope, c.loc))
  if (task.failedWhen) {
    out.failed = task.failedWhen.some((c) => evaluateCondition(c.expr, scope, c.loc))
    if (!out.failed && r.failed) delete out.msg
    if (out.failed && !r.failed) out.msg = `failed_when condition held: ${task.failedWhen.map((c) => c.expr).join(' or ')}`
  }
  return out
}

/** changed_when / failed_when / until see the result as the registered variable and as bare rc, stdout... */
function resultScope(task: Task, r: TaskResult, vars: Vars): Vars {
  const bare: Vars = {}
  for (const k of ['rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'changed', 'failed', 'msg']) if (k in r && !(k in vars)) bare[k] = r[k]
  return extendScope(vars, task.register ? { ...bare, [task.register]: r } : bare)
}

async function withTimeout(task: Task, p: Promise<Invocation>): Promise<Invocation> {
  const limit = taskLimit(task)
  if (!limit) return p
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<Invocation>((resolve) => {
    const result = { changed: false, failed: true, msg: limit.msg }
    timer = setTimeout(() => resolve({ result, changes: [] }), limit.seconds * 1000 + 500)
  })
  try {
    return await Promise.race([p, expired])
  } finally {
    clearTimeout(timer)
  }
}
