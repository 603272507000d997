// Walks a task list: each task runs on every active host (in parallel, at most `forks` at once) before
// the next starts; blocks with rescue/always, include_tasks per host, meta actions, tags and
// --start-at-task, and the failure policy (any_errors_fatal, max_fail_percentage) after each task.
import type { Vars } from '../inventory/types.js'
import type { Block, IncludeTasks, Task, TaskNode } from '../playbook/index.js'
import { loadTasksFile } from '../playbook/index.js'
import { evaluateCondition, renderValue } from '../vars/index.js'
import { flushHandlers } from './handlers.js'
import type { HostState } from './host-state.js'
import { mapLimit } from './limit.js'
import { taskVars, type PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { runTaskOnHost } from './run-task.js'
import { learnSecrets, taskSecrets } from './host-secrets.js'
import { taskTitle } from './secrets.js'
import { tagsSelect } from './tags.js'
import { extendScope } from './resolve-vars.js'

/** Per-walk state: hosts that ended the play (meta: end_host) and whether the play was ended. */
export interface Walk {
  ended: Set<string>
  endPlay: boolean
}

export async function runNodes(run: RunContext, scope: PlayScope, walk: Walk, nodes: TaskNode[], hosts: HostState[], layer: Vars): Promise<void> {
  for (const [i, node] of nodes.entries()) {
    if (run.stopped || walk.endPlay || run.signal.aborted) return
    const live = hosts.filter((h) => h.active && !walk.ended.has(h.name))
    if (live.length === 0) return
    if (node.kind === 'block') await runBlock(run, scope, walk, node, live, layer)
    else if (node.kind === 'include_tasks') await runInclude(run, scope, walk, node, live, layer)
    else await runTask(run, scope, walk, node, live, layer, nodes.slice(i + 1))
  }
}

async function runTask(run: RunContext, scope: PlayScope, walk: Walk, task: Task, hosts: HostState[], layer: Vars, upcoming: readonly TaskNode[]): Promise<void> {
  if (!run.started) {
    if (task.name !== run.options.startAtTask) return
    run.started = true
  }
  if (!tagsSelect(task.tags, run.options.tags, run.options.skipTags)) return
  if (task.module === 'meta') return runMeta(run, scope, walk, task, hosts)
  await runTaskOnHosts(run, scope, task, hosts, layer, false, upcoming)
  applyFailurePolicy(run, scope, hosts)
}

/** Runs one task on the given hosts and emits its events; shared with handlers. `upcoming`: for read-ahead. */
export async function runTaskOnHosts(
  run: RunContext, scope: PlayScope, task: Task, hosts: HostState[], layer: Vars, handler: boolean, upcoming: readonly TaskNode[] = [],
): Promise<void> {
  for (const h of hosts) h.upcoming = upcoming
  const withLayer = Object.keys(layer).length > 0 || Object.keys(task.vars).length > 0
  const scopes = new Map(hosts.map((h) => [h, taskVars(run, scope, h, withLayer ? { ...layer, ...task.vars } : undefined)]))
  // Known before the task is announced, so even its name is masked.
  for (const [h, vars] of scopes) learnSecrets(run, h, taskSecrets(task, vars))
  run.emit({ type: 'task:start', name: taskTitle(task), hosts: hosts.map((h) => h.name), handler, module: task.module })
  const varsOf = (h: HostState): Vars => scopes.get(h)!
  if (task.runOnce) {
    const [first, ...rest] = hosts
    const outcome = await runTaskOnHost(run, task, first, varsOf(first))
    // run_once: one execution, its result registered on every host of the play, as Ansible does.
    for (const h of rest) if (task.register) h.registered[task.register] = outcome.result
  } else {
    await mapLimit(hosts, run.forks, (h) => runTaskOnHost(run, task, h, varsOf(h)))
  }
  run.emit({ type: 'task:end', name: taskTitle(task) })
}

function applyFailurePolicy(run: RunContext, scope: PlayScope, hosts: HostState[]): void {
  const failed = hosts.filter((h) => h.failed).length
  if (failed === 0) return
  if (scope.play.anyErrorsFatal) run.stopped = true
  const max = scope.play.maxFailPercentage
  if (max !== undefined && (failed / hosts.length) * 100 > max) run.stopped = true
  if (run.stopped) run.emit({ type: 'warning', message: `stopping: ${scope.play.anyErrorsFatal ? 'any_errors_fatal is set' : `more than ${max}% of hosts failed`}` })
}

async function runMeta(run: RunContext, scope: PlayScope, walk: Walk, task: Task, hosts: HostState[]): Promise<void> {
  const action = String(task.args.cmd ?? task.args._raw_params ?? task.args.action ?? '')
  switch (action) {
    case 'flush_handlers': return flushHandlers(run, scope, hosts)
    case 'end_play': walk.endPlay = true; return
    case 'end_host':
      for (const h of hosts) if (task.when.every((c) => evaluateCondition(c.expr, taskVars(run, scope, h), c.loc))) walk.ended.add(h.name)
      return
    default: return // noop and unknown-but-validated actions
  }
}

async function runBlock(run: RunContext, scope: PlayScope, walk: Walk, block: Block, hosts: HostState[], layer: Vars): Promise<void> {
  const inner = { ...layer, ...block.vars }
  const wasFailed = new Set(hosts.filter((h) => h.failed).map((h) => h.name))
  await runNodes(run, scope, walk, block.block, hosts, inner)
  const rescued = hosts.filter((h) => h.failed && !wasFailed.has(h.name))
  if (block.rescue.length > 0 && rescued.length > 0) {
    for (const h of rescued) {
      h.failed = false
      h.registered.ansible_failed_task = { name: h.lastFailure?.task ?? '' }
      h.registered.ansible_failed_result = h.lastFailure?.result ?? {}
      run.emit({ type: 'host:rescued', host: h.name, task: block.displayName })
    }
    await runNodes(run, scope, walk, block.rescue, rescued, inner)
  }
  if (block.always.length > 0) {
    const failedNow = hosts.filter((h) => h.failed)
    for (const h of failedNow) h.failed = false
    await runNodes(run, scope, walk, block.always, hosts.filter((h) => !h.unreachable), inner)
    for (const h of failedNow) h.failed = true
  }
}

async function runInclude(run: RunContext, scope: PlayScope, walk: Walk, inc: IncludeTasks, hosts: HostState[], layer: Vars): Promise<void> {
  if (!tagsSelect(inc.tags, run.options.tags, run.options.skipTags) && run.options.tags?.length) return
  // Hosts may resolve the file name differently: group them by file and run each group's tasks.
  const groups = new Map<string, { hosts: HostState[]; items: unknown[] }>()
  for (const h of hosts) {
    const vars = extendScope(taskVars(run, scope, h, layer), inc.vars)
    if (!inc.when.every((c) => evaluateCondition(c.expr, vars, c.loc))) continue
    const file = String(renderValue(inc.file, vars, inc.loc))
    const items = inc.loop === undefined ? [undefined] : (renderValue(inc.loop, vars, inc.loc) as unknown[])
    const g = groups.get(file) ?? { hosts: [], items }
    g.hosts.push(h)
    groups.set(file, g)
  }
  for (const [file, g] of groups) {
    const nodes = inc.preloaded && file === inc.file ? inc.preloaded : loadTasksFile(file, inc)
    for (const item of g.items) {
      const itemLayer = item === undefined ? { ...layer, ...inc.vars } : { ...layer, ...inc.vars, [inc.loopVar ?? 'item']: item }
      await runNodes(run, scope, walk, nodes, g.hosts, itemLayer)
    }
  }
}
