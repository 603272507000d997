// The engine's visitor of a task list (task-path.ts walks it): each task runs on every active host (in
// parallel, at most `forks` at once) before the next starts; blocks with rescue/always, include_tasks
// per host, meta actions, tags and --start-at-task, and the failure policy (any_errors_fatal,
// max_fail_percentage) after each task.
import type { Vars } from '../inventory/types.js'
import { roleHandlers, type Block, type Role, type Task, type TaskNode } from '../playbook/index.js'
import { flushHandlers } from './handlers.js'
import type { HostState } from './host-state.js'
import { publishRole, taskVars, type PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { ConfigError, ConfigErrors, PghaError } from '../errors.js'
import { faultMessage, loopResult, runTaskOnHosts, skippedResult } from './run-task.js'
import { tagsSelect, walkTasks, whenHolds, type Include, type IncludeFailure, type IncludeOutcome, type IncludeReport, type TaskVisitor } from './task-path.js'
import type { HostStatus } from './events.js'
import type { TaskResult } from '../modules/types.js'

/** Per-walk state: hosts that ended the play (meta: end_host), whether the play was ended, the roles hosts have run. */
export interface Walk {
  ended: Set<string>
  endPlay: boolean
  completedRoles: Map<Role, Set<HostState>>
  /** The nodes walked are a notified handler's (the tasks a handler's include_tasks brings in). */
  handler?: boolean
}

/** `after`: the nodes that run after these (later sections and plays), for read-ahead's guesses only. */
export async function runNodes(
  run: RunContext, scope: PlayScope, walk: Walk, nodes: TaskNode[], hosts: HostState[], layer: Vars, after: readonly TaskNode[] = [],
): Promise<void> {
  const visitor: TaskVisitor<HostState> = {
    live: (hs) => (run.stopped || walk.endPlay || run.signal.aborted ? [] : hs.filter((h) => h.active && !walk.ended.has(h.name))),
    task: (task, hs, taskLayer, upcoming) => runTask(run, scope, walk, task, hs, taskLayer, upcoming),
    block: (block, hs, section) => runBlock(run, block, hs, section),
    // an include left out by --tags, --skip-tags or `never` is not run at all, as in Ansible
    enters: (inc) => tagsSelect(inc.tags, run.options.tags, run.options.skipTags),
    scope: (h, incLayer) => taskVars(run, scope, h, incLayer),
    when: whenHolds,
    report: (inc, report) => reportInclude(run, scope, walk, inc, report),
    completedRoles: walk.completedRoles,
    included: (node, inc) => {
      // Ansible adds an included role's handlers to the play; a public one's variables stay visible too.
      for (const h of roleHandlers(node.runs.role)) if (!scope.handlers.includes(h)) scope.handlers.push(h)
      if (inc.public) publishRole(scope, node.runs.role)
    },
  }
  await walkTasks(visitor, nodes, hosts, layer, after)
}

async function runTask(run: RunContext, scope: PlayScope, walk: Walk, task: Task, hosts: HostState[], layer: Vars, upcoming: readonly TaskNode[]): Promise<void> {
  if (!run.started) {
    // A role's task answers to its name and, as in Ansible, to `role : name`.
    if (task.name !== run.options.startAtTask && (task.role === undefined || task.displayName !== run.options.startAtTask)) return
    run.started = true
  }
  if (!tagsSelect(task.tags, run.options.tags, run.options.skipTags)) return
  if (task.module === 'meta') return runMeta(run, scope, walk, task, hosts)
  await runTaskOnHosts(run, scope, task, hosts, layer, walk.handler === true, upcoming)
  applyFailurePolicy(run, scope, hosts, task.anyErrorsFatal ?? scope.play.anyErrorsFatal)
}

/**
 * An include's own task, as Ansible shows it before what it brings in runs: a skipped line for the hosts
 * (or items) its `when` skips, an `included:` line per task file brought in, and a failure for the hosts
 * where it could not be resolved or loaded (its file name's template, its loop, a file that is not there
 * or uses a module pgha lacks), with the error naming file:line:col; the play goes on with the others,
 * as in Ansible. An error that is not the input's (a defect of pgha) still ends the run.
 */
function reportInclude(run: RunContext, scope: PlayScope, walk: Walk, inc: Include, report: IncludeReport<HostState>): void {
  for (const f of report.failures) if (!(f.err instanceof ConfigError || f.err instanceof ConfigErrors || f.err instanceof PghaError)) throw f.err
  // Before --start-at-task's task, an include is walked (the start may be in it) but, as Ansible runs no
  // task before it, not shown or counted; its failures still are.
  if (!run.started) report = { outcomes: [], inclusions: [], failures: report.failures }
  if (report.outcomes.length === 0 && report.failures.length === 0) return
  const name = inc.displayName
  const hosts = [...report.outcomes.map((o) => o.host), ...report.failures.flatMap((f) => f.hosts)]
  run.emit({ type: 'task:start', name, hosts: hosts.map((h) => h.name), handler: walk.handler === true, module: inc.kind })
  for (const o of report.outcomes) run.emit({ type: 'host:result', task: name, host: o.host.name, ...includeResult(o), durationMs: 0 })
  const failures = (what: (w: IncludeFailure<HostState>['what']) => boolean): void => {
    for (const f of report.failures.filter((f) => what(f.what))) {
      const result = { changed: false, failed: true, msg: faultMessage(f.err) }
      for (const h of f.hosts) {
        h.failed = true
        h.lastFailure = { task: name, result }
        run.emit({ type: 'host:result', task: name, host: h.name, status: 'failed', result, durationMs: 0 })
      }
    }
  }
  // in Ansible's order: the include's results, then the files it loads (one not there fails its hosts)
  failures((w) => w !== 'load')
  for (const i of report.inclusions) {
    if (i.path !== undefined) run.emit({ type: 'include', task: name, file: i.path, hosts: i.hosts.map((h) => h.name), ...(i.label === undefined ? {} : { item: i.label }) })
  }
  failures((w) => w === 'load')
  run.emit({ type: 'task:end', name })
  if (report.failures.length > 0) applyFailurePolicy(run, scope, hosts, scope.play.anyErrorsFatal)
}

/** A host's result of an include: skipped, or included, with each item's when a loop. */
function includeResult(o: IncludeOutcome<HostState>): { status: HostStatus; result: TaskResult } {
  const status = o.skipped ? 'skipped' : 'included'
  if (!o.items) return { status, result: o.skipped ? skippedResult() : { changed: false, failed: false } }
  const results = o.items.map((it) => ({ ...(it.skipped ? skippedResult() : { changed: false, failed: false }), item: it.item, ...it.loopVars, _label: it.label }))
  return { status, result: loopResult(results) }
}

function applyFailurePolicy(run: RunContext, scope: PlayScope, hosts: HostState[], anyErrorsFatal: boolean): void {
  const failed = hosts.filter((h) => h.failed).length
  if (failed === 0) return
  if (anyErrorsFatal) run.stopped = true
  const max = scope.play.maxFailPercentage
  if (max !== undefined && (failed / hosts.length) * 100 > max) run.stopped = true
  if (run.stopped) run.emit({ type: 'warning', message: `stopping: ${anyErrorsFatal ? 'any_errors_fatal is set' : `more than ${max}% of hosts failed`}` })
}

async function runMeta(run: RunContext, scope: PlayScope, walk: Walk, task: Task, hosts: HostState[]): Promise<void> {
  const action = String(task.args.cmd ?? task.args._raw_params ?? task.args.action ?? '')
  switch (action) {
    case 'flush_handlers': return flushHandlers(run, scope, hosts)
    case 'end_play': walk.endPlay = true; return
    case 'end_host':
      for (const h of hosts) if (whenHolds(task.when, taskVars(run, scope, h))) walk.ended.add(h.name)
      return
    case 'reset_connection':
      await Promise.all(hosts.filter((h) => whenHolds(task.when, taskVars(run, scope, h))).map((h) => run.connections.reset(h.name)))
      return
    default: return // noop and unknown-but-validated actions
  }
}

type Section = (nodes: readonly TaskNode[], hosts: HostState[]) => Promise<void>

async function runBlock(run: RunContext, block: Block, hosts: HostState[], section: Section): Promise<void> {
  const wasFailed = new Set(hosts.filter((h) => h.failed).map((h) => h.name))
  await section(block.block, hosts)
  const rescued = hosts.filter((h) => h.failed && !wasFailed.has(h.name))
  if (block.rescue.length > 0 && rescued.length > 0) {
    for (const h of rescued) {
      h.failed = false
      h.registered.ansible_failed_task = { name: h.lastFailure?.task ?? '' }
      h.registered.ansible_failed_result = h.lastFailure?.result ?? {}
      run.emit({ type: 'host:rescued', host: h.name, task: block.displayName })
    }
    await section(block.rescue, rescued)
  }
  if (block.always.length > 0) {
    const failedNow = hosts.filter((h) => h.failed)
    for (const h of failedNow) h.failed = false
    await section(block.always, hosts.filter((h) => !h.unreachable))
    for (const h of failedNow) h.failed = true
  }
}
