// One module invocation on one host: the task's arguments (task-path.ts: rendered, coerced, validated),
// its connection, then plan, and apply unless in check mode. Returns the task result and the changes
// planned; host faults propagate as exceptions.
import type { Vars } from '../inventory/types.js'
import { normalizePlan, type TaskResult } from '../modules/index.js'
import type { Task } from '../playbook/index.js'
import { renderValue } from '../vars/index.js'
import { taskArgs } from './task-path.js'
import { extendScope } from './resolve-vars.js'
import { createModuleContext, factUser } from './module-context.js'
import { gathered, guessAhead, readAhead } from './read-ahead.js'
import type { HostState } from './host-state.js'
import { hostState, type RunContext } from './run-context.js'
import { becomeFor, hostLinkFor, loginUserFor, transportFor, resolveLocalFor } from './host-access.js'
import { applyInventoryRequests } from './inventory-requests.js'
import { awaitJob } from '../modules/lib/async-job.js'
import { asyncInForeground, taskLimit } from './task-limit.js'
import { backgroundRefused } from '../playbook/task.js'

/**
 * A module's run on a host: its result (what `register` stores and JSON output prints) and, apart from it,
 * the descriptions of the changes it planned (-v and --check list them).
 */
export interface Invocation {
  result: TaskResult
  changes: string[]
}

export async function invokeModule(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<Invocation> {
  const check = task.checkMode ?? run.check
  // As in Ansible: a background job cannot be previewed.
  if (task.async > 0 && check) return { result: { changed: false, failed: true, msg: 'check mode and async cannot be used on same task.' }, changes: [] }
  if (asyncInForeground(task) && task.poll === 0) return { result: { changed: false, failed: true, msg: backgroundRefused(task.module) }, changes: [] }
  const args = taskArgs(task, vars)
  if (args.error !== undefined) return { result: { changed: false, failed: true, msg: args.error }, changes: [] }
  const { mod, params } = args
  const target = task.delegateTo ? String(renderValue(task.delegateTo, vars, task.loc)) : host.name
  const connecting = mod.local || mod.logsInItself ? undefined : transportFor(run, target, vars, target === host.name ? task : {})
  connecting?.catch(() => {}) // awaited below; an unreachable host is reported from there
  const facts = target === host.name ? host.factCache : run.hosts.get(target)?.factCache ?? host.factCache
  const become = becomeFor(task, vars)
  // A check run on a fresh host has not created the account an earlier task creates: a task that runs as
  // it on the host (check_mode: false too) cannot run, and says what it would do instead of failing. One
  // that runs on the controller (set_fact, debug, assert) runs as Ansible runs it: its become is not used.
  if (run.check && !mod.local && become.become && become.user !== undefined && host.toCreate.users.has(become.user)) {
    return { result: { changed: false, failed: false, skipped: true, msg: `runs as ${become.user}, which an earlier task creates: it would run` }, changes: [] }
  }
  const own = mod.reads && target === host.name ? mod.reads(params, gathered(host)) : undefined
  const ahead = own ? { task, reads: own, vars, facts, user: factUser(become), loginUser: lazy(() => loginUserFor(run, target, vars, task)) } : undefined
  const reads = ahead && (await guessAhead(run, host, ahead))
  const transport = connecting ? await connecting : controllerOnly(host.name, mod.local ? 'controller-side module' : `${mod.name} (before it logged in)`)
  const environment = task.environment ? (renderValue(task.environment, vars, task.loc) as Record<string, string>) : undefined
  const limit = taskLimit(task)
  const limitMs = limit ? limit.seconds * 1000 : undefined
  const ctx = createModuleContext({
    host: host.name,
    transport,
    facts,
    plan: task,
    // Not a spread: a variable that cannot be rendered (a role default naming role_name, outside the role)
    // throws only where it is used, as in Ansible.
    vars: withCheckMode(vars, check),
    check,
    ...(run.check ? { toCreate: host.toCreate } : {}),
    verbosity: run.options.verbosity ?? 0,
    noLog: task.noLog,
    diff: task.diff ?? run.options.diff ?? false,
    become,
    timeoutMs: limitMs,
    environment,
    signal: run.signal,
    render: (text, source) => String(renderValue(text, vars, source)),
    resolveLocal: resolveLocalFor(task),
    log: () => {},
    ...(task.async > 0 && !asyncInForeground(task) ? { async: { limit: task.async } } : {}),
    ...(mod.local ? {} : { link: hostLinkFor(run, target, vars, target === host.name ? task : {}) }),
  })
  if (ahead && reads) {
    await readAhead(ahead, reads, (command) => ctx.exec(command), (as) => (command) => transport.exec(command, { ...as, timeoutMs: limitMs, env: environment }))
  }
  const plan = normalizePlan(await mod.plan(ctx, params))
  // Its user's shell is open here (read-ahead may use it for later tasks).
  if (!mod.local && target === host.name) host.planUsers.add(factUser(become))
  const diff = plan.changes.filter((c) => c.path !== undefined && (c.before !== undefined || c.after !== undefined))
    .map((c) => ({ path: c.path, before: c.before ?? '', after: c.after ?? '' }))
  const base: TaskResult = { changed: false, failed: false, ...plan.result }
  // set_fact, include_vars: the values become host variables for the rest of the run, each at its level.
  // delegate_facts: they are the delegated host's, as in Ansible.
  if (base.ansible_facts && typeof base.ansible_facts === 'object') {
    const owner = task.delegateFacts && target !== host.name ? hostState(run, target) : host
    owner.keepModuleFacts(mod.name, base.ansible_facts as Vars, (params as { cacheable?: boolean }).cacheable === true)
  }
  // add_host, group_by: the inventory changes for later tasks and plays, in check mode too, as in Ansible.
  if (mod.changesInventory && applyInventoryRequests(run, host, base)) base.changed = true
  // diff: false: the task computes no diff, as Ansible's modules then do.
  if (diff.length > 0 && task.diff !== false) base.diff = diff
  const changes = plan.changes.map((c) => c.description)
  if (plan.changes.length === 0) return { result: base, changes }
  if (check) {
    if (plan.createsUser !== undefined) host.toCreate.users.add(plan.createsUser)
    for (const c of plan.changes) if (c.path !== undefined && c.after !== undefined) host.toCreate.paths.add(c.path)
  }
  if (check) {
    if (plan.unpredictable) return { result: { ...base, skipped: true, msg: 'cannot tell in check mode whether this would change anything; it would run' }, changes }
    return { result: { ...base, changed: true }, changes }
  }
  let applied: Partial<TaskResult> | void
  try {
    applied = mod.apply ? await mod.apply(ctx, params, plan) : undefined
  } finally {
    // Whatever was applied may have changed what the facts read ahead describe.
    facts.dropReadAhead()
    // A change the plan foresaw starts the window small again (a first run changes nearly every task); a
    // command that runs whatever it finds says nothing of whether the tasks after it will change.
    if (!plan.unpredictable) host.readAheadWindow = 0
    // What another host reads of PostgreSQL (its standbys, the cluster) may have changed with it.
    for (const other of run.hosts.values()) other.factCache.dropVolatile()
  }
  // A module that learns about its host as it runs (a playbook's own fact module) returns ansible_facts.
  if (applied?.ansible_facts && typeof applied.ansible_facts === 'object') host.keepModuleFacts(mod.name, applied.ansible_facts as Vars, false)
  const result: TaskResult = { ...base, changed: true, ...applied }
  // async with poll: the task waits for its background job, polling it, as Ansible's executor does.
  if (task.async > 0 && task.poll > 0 && typeof result.ansible_job_id === 'string' && !result.failed) {
    return { result: await awaitJob(ctx, result.ansible_job_id, task.async, task.poll), changes }
  }
  return { result, changes }
}

/** `f`'s value, worked out on first use (most tasks never ask). */
function lazy<T>(f: () => T): () => T {
  let known: { value: T } | undefined
  return () => (known ??= { value: f() }).value
}

/** Modules that run on the controller, or log in themselves, get a transport that refuses to be used. */
function controllerOnly(host: string, who: string) {
  const refuse = async (): Promise<never> => { throw new Error(`${who} tried to reach ${host}`) }
  return { host, roundTrips: 0, connect: async () => {}, close: async () => {}, exec: refuse, writeFile: refuse, putFile: refuse, readFile: refuse }
}

/**
 * Each host scope with ansible_check_mode on top, made once: a scope is reused by a host's tasks while
 * unchanged. The scope already says the run's check mode (a magic variable): only a task whose check_mode
 * differs needs a copy, and copying a scope of hundreds of variables for every task cost more than the rest.
 */
const checkModeScopes = new WeakMap<Vars, { check: boolean; scope: Vars }>()

function withCheckMode(vars: Vars, check: boolean): Vars {
  if (Object.getOwnPropertyDescriptor(vars, 'ansible_check_mode')?.value === check) return vars
  const known = checkModeScopes.get(vars)
  if (known?.check === check) return known.scope
  const scope = extendScope(vars, { ansible_check_mode: check })
  checkModeScopes.set(vars, { check, scope })
  return scope
}
