// One module invocation on one host: render the arguments, validate them against the module's schema,
// plan, and apply unless in check mode. Returns the task result; host faults propagate as exceptions.
import type { Vars } from '../inventory/types.js'
import { getModule, normalizePlan, type TaskResult } from '../modules/index.js'
import type { Task } from '../playbook/index.js'
import { renderValue } from '../vars/index.js'
import { coerceArgs } from '../playbook/index.js'
import { formatZodIssues } from './zod-issues.js'
import { createModuleContext, factUser } from './module-context.js'
import { guessAhead, readAhead } from './read-ahead.js'
import type { HostState } from './host-state.js'
import type { RunContext } from './run-context.js'
import { becomeFor, transportFor, resolveLocalFor } from './host-access.js'

export async function invokeModule(run: RunContext, task: Task, host: HostState, vars: Vars): Promise<TaskResult> {
  const mod = getModule(task.module)
  if (!mod) return { changed: false, failed: true, msg: `unknown module '${task.module}'` }
  const args = renderValue(task.args, vars, task.argsLoc ?? task.loc) as Record<string, unknown>
  const parsed = mod.params.safeParse(coerceArgs(mod, args))
  if (!parsed.success) {
    return { changed: false, failed: true, msg: `invalid arguments for ${mod.name}: ${formatZodIssues(parsed.error)}` }
  }
  const check = task.checkMode ?? run.check
  const target = task.delegateTo ? String(renderValue(task.delegateTo, vars, task.loc)) : host.name
  const connecting = mod.local ? undefined : transportFor(run, target, vars)
  connecting?.catch(() => {}) // awaited below; an unreachable host is reported from there
  const facts = target === host.name ? host.factCache : run.hosts.get(target)?.factCache ?? host.factCache
  const become = becomeFor(task, vars)
  const ahead = mod.reads && target === host.name ? { task, reads: mod.reads(parsed.data), vars, facts, user: factUser(become) } : undefined
  const reads = ahead && (await guessAhead(run, host, ahead))
  const transport = connecting ? await connecting : controllerOnly(host.name)
  const environment = task.environment ? (renderValue(task.environment, vars, task.loc) as Record<string, string>) : undefined
  const ctx = createModuleContext({
    host: host.name,
    transport,
    facts,
    vars: { ...vars, ansible_check_mode: check },
    check,
    verbosity: run.options.verbosity ?? 0,
    become,
    timeoutMs: task.timeout ? task.timeout * 1000 : undefined,
    environment,
    signal: run.signal,
    render: (text, source) => String(renderValue(text, vars, source)),
    resolveLocal: resolveLocalFor(task),
    log: () => {},
  })
  if (ahead && reads) await readAhead(ahead, reads, ctx.exec)
  const plan = normalizePlan(await mod.plan(ctx, parsed.data))
  const diff = plan.changes.filter((c) => c.path !== undefined && (c.before !== undefined || c.after !== undefined))
    .map((c) => ({ path: c.path, before: c.before ?? '', after: c.after ?? '' }))
  const base: TaskResult = { changed: false, failed: false, ...plan.result }
  // set_fact: the values become host variables for the rest of the run (registered-level precedence).
  if (base.ansible_facts && typeof base.ansible_facts === 'object') Object.assign(host.registered, base.ansible_facts)
  if (diff.length > 0) base.diff = diff
  const changes = plan.changes.map((c) => c.description)
  if (plan.changes.length === 0) return withChanges(base, changes)
  if (check) {
    if (plan.unpredictable) return withChanges({ ...base, skipped: true, msg: 'cannot tell in check mode whether this would change anything; it would run' }, changes)
    return withChanges({ ...base, changed: true }, changes)
  }
  let applied: Partial<TaskResult> | void
  try {
    applied = mod.apply ? await mod.apply(ctx, parsed.data, plan) : undefined
  } finally {
    // Whatever was applied may have changed what the facts read ahead describe.
    facts.dropReadAhead()
    host.readAheadWindow = 0
  }
  return withChanges({ ...base, changed: true, ...applied }, changes)
}

export function withChanges(result: TaskResult, changes: string[]): TaskResult {
  if (changes.length > 0) Object.defineProperty(result, '__changes', { value: changes, enumerable: false })
  return result
}

export function plannedChanges(result: TaskResult): string[] | undefined {
  return (result as { __changes?: string[] }).__changes
}

/** Modules that run on the controller get a transport that refuses to be used. */
function controllerOnly(host: string) {
  const refuse = async (): Promise<never> => { throw new Error(`controller-side module tried to reach ${host}`) }
  return { host, roundTrips: 0, connect: async () => {}, close: async () => {}, exec: refuse, writeFile: refuse, putFile: refuse, readFile: refuse }
}
