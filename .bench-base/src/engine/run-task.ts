// One task on one host: `when`, `loop`, retries/until, changed_when/failed_when, register, notify, and
// the host:result event. Host faults (unreachable) take the host out of the run; every other error is a
// failed task on that host, reported with its cause.
import { ConfigError, ConfigErrors, PghaError, UnreachableError, formatAt } from '../errors.js'
import type { Vars } from '../inventory/types.js'
import type { TaskResult } from '../modules/index.js'
import type { Task } from '../playbook/index.js'
import { evaluateCondition, renderValue, scrub } from '../vars/index.js'
import { msSince, type HostStatus } from './events.js'
import type { HostState } from './host-state.js'
import { invokeModule, plannedChanges, withChanges } from './invoke-module.js'
import { extendScope } from './resolve-vars.js'
import type { RunContext } from './run-context.js'
import { censor, scrubResult, taskTitle } from './secrets.js'
import { learnSecrets, noLogOutputSecrets } from './host-secrets.js'
import { sleep } from './sleep.js'

export interface HostOutcome {
  status: HostStatus
  result: TaskResult
}

export async function runTaskOnHost(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  const started = performance.now()
  let outcome: HostOutcome
  try {
    outcome = task.loop === undefined ? await runOnce(run, task, host, vars) : await runLoop(run, task, host, vars)
  } catch (err) {
    outcome = faultOutcome(host, err)
    // ignore_errors covers a module's thrown failure (validate refused, sudo refused) as Ansible does;
    // an unreachable host is never ignored.
    if (outcome.status === 'failed' && task.ignoreErrors) outcome.status = 'ignored'
  }
  if (task.register && outcome.status !== 'unreachable') host.registered[task.register] = outcome.result
  if (outcome.result.changed && !outcome.result.failed) for (const n of task.notify) host.notified.add(n)
  if (outcome.status === 'failed') {
    host.failed = true
    host.lastFailure = { task: taskTitle(task), result: outcome.result }
  }
  if (task.noLog) learnSecrets(run, host, noLogOutputSecrets(outcome.result))
  const shown = task.noLog ? censor(outcome.result) : scrubResult(outcome.result, host.secrets)
  const changes = task.noLog ? undefined : plannedChanges(outcome.result)?.map((c) => scrub(c, host.secrets))
  run.emit({
    type: 'host:result', task: taskTitle(task), host: host.name, status: outcome.status, result: shown,
    durationMs: msSince(started), changes,
  })
  return outcome
}

function faultOutcome(host: HostState, err: unknown): HostOutcome {
  if (err instanceof UnreachableError) {
    host.unreachable = true
    return { status: 'unreachable', result: { changed: false, failed: false, unreachable: true, msg: err.message } }
  }
  const msg = err instanceof ConfigError ? formatAt(err.message, err.loc)
    : err instanceof ConfigErrors ? err.message
    : err instanceof PghaError ? err.message
    : `internal error: ${(err as Error)?.stack ?? String(err)}`
  return { status: 'failed', result: { changed: false, failed: true, msg } }
}

async function runOnce(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  if (!conditionsHold(task.when, vars)) {
    return { status: 'skipped', result: { changed: false, failed: false, skipped: true, skip_reason: 'Conditional result was False' } }
  }
  const result = await withRetries(run, task, host, vars)
  return { status: statusOf(task, result), result }
}

async function runLoop(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<HostOutcome> {
  const items = renderValue(task.loop, vars, task.loopLoc ?? task.loc)
  if (!Array.isArray(items)) throw new ConfigError(`loop must be a list, got ${typeof items}`, task.loopLoc ?? task.loc)
  const results: TaskResult[] = []
  const changes: string[] = []
  for (const [index, item] of items.entries()) {
    if (run.signal.aborted) break
    // As in Ansible, each item's result carries the loop variable under its own name (and index_var).
    const loopVars: Vars = { [task.loopVar]: item, ansible_loop_var: task.loopVar, ...(task.indexVar ? { [task.indexVar]: index } : {}) }
    const itemVars = extendScope(vars, loopVars)
    const label = task.loopLabel ? String(renderValue(task.loopLabel, itemVars, task.loc)) : labelOf(item)
    let r: TaskResult
    if (!conditionsHold(task.when, itemVars)) r = { changed: false, failed: false, skipped: true, item, ...loopVars, _label: label }
    else {
      const itemResult = await withRetries(run, task, host, itemVars)
      changes.push(...(plannedChanges(itemResult) ?? []))
      r = { ...itemResult, item, ...loopVars, _label: label }
    }
    results.push(r)
    if (r.failed && !task.ignoreErrors) break
  }
  const result: TaskResult = {
    changed: results.some((r) => r.changed),
    failed: results.some((r) => r.failed),
    skipped: results.length > 0 && results.every((r) => r.skipped),
    msg: results.find((r) => r.failed)?.msg as string | undefined ?? 'All items completed',
    results,
  }
  // The items' planned changes, so --check and -v list what a loop would do, as they do for one task.
  return { status: statusOf(task, result), result: withChanges(result, changes) }
}

function labelOf(item: unknown): string {
  return typeof item === 'string' ? item : JSON.stringify(item)
}

function statusOf(task: Task, r: TaskResult): HostStatus {
  if (r.failed) return task.ignoreErrors ? 'ignored' : 'failed'
  if (r.skipped) return 'skipped'
  return r.changed ? 'changed' : 'ok'
}

function conditionsHold(conds: Task['when'], vars: Vars): boolean {
  return conds.every((c) => evaluateCondition(c.expr, vars, c.loc))
}

/** Runs the module, applying changed_when/failed_when, and repeating while `until` does not hold. */
async function withRetries(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<TaskResult> {
  const attempts = task.until ? task.retries + 1 : 1
  let result: TaskResult = { changed: false, failed: true, msg: 'not run' }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    result = await withTimeout(task, invokeModule(run, task, host, vars))
    result = judge(task, result, vars)
    if (!task.until) return result
    result.attempts = attempt
    const scope = resultScope(task, result, vars)
    if (!result.failed && evaluateCondition(task.until.expr, scope, task.until.loc)) return result
    if (attempt < attempts) await sleep(run.signal, task.delay * 1000)
    if (run.signal.aborted) break
  }
  const msg = `${result.msg ? `${String(result.msg)}; ` : ''}retries exhausted (${attempts} attempts)`
  return withChanges({ ...result, failed: true, msg }, plannedChanges(result) ?? [])
}

function judge(task: Task, r: TaskResult, vars: Vars): TaskResult {
  // A command skipped in check mode has no rc or stdout to judge, as in Ansible.
  if ((!task.changedWhen && !task.failedWhen) || r.skipped) return r
  const scope = resultScope(task, r, vars)
  const out = withChanges({ ...r }, plannedChanges(r) ?? [])
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

async function withTimeout(task: Task, p: Promise<TaskResult>): Promise<TaskResult> {
  if (!task.timeout) return p
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<TaskResult>((resolve) => {
    timer = setTimeout(() => resolve({ changed: false, failed: true, msg: `task timed out after ${task.timeout}s` }), task.timeout! * 1000 + 500)
  })
  try {
    return await Promise.race([p, expired])
  } finally {
    clearTimeout(timer)
  }
}
