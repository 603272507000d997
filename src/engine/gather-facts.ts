// Gathering Facts: one round trip per host (src/facts/host.ts), exposed as ansible_facts.* and the
// ansible_* shortcuts Ansible users know (ansible_os_family, ansible_pkg_mgr, ansible_default_ipv4.address).
// The same round trip reads ahead the facts of the play's first tasks (read-ahead.ts).
import { factVars, hostFacts, SETUP_FACT_NAMES } from '../facts/index.js'
import type { Vars } from '../inventory/types.js'
import { UnreachableError } from '../errors.js'
import type { HostState } from './host-state.js'
import { msSince } from './events.js'
import { mapLimit } from './run-context.js'
import { taskVars, type PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { becomeFor, runsAsLoginUser, transportFor } from './host-access.js'
import { joiningRunner } from '../facts/joined-batch.js'
import type { FactRead } from '../facts/index.js'
import type { Play, Task, TaskNode } from '../playbook/index.js'
import { commandPrefix } from '../transport/shell-command.js'
import { renderValue } from '../vars/index.js'
import { factUser } from './module-context.js'
import { guessFirst } from './read-ahead.js'
import { taskLayer } from './task-path.js'

const TASK = 'Gathering Facts'

/** Every variable fact gathering can define (ansible_facts and each ansible_NAME). */
export const FACT_VARIABLES: readonly string[] = ['ansible_facts', ...SETUP_FACT_NAMES.map((n) => `ansible_${n}`)]

export { factVars }

export async function gatherFacts(run: RunContext, scope: PlayScope, hosts: HostState[]): Promise<void> {
  run.emit({ type: 'task:start', name: TASK, hosts: hosts.map((h) => h.name) })
  await mapLimit(hosts, run.forks, async (h) => {
    const started = performance.now()
    try {
      const vars = taskVars(run, scope, h)
      const connecting = transportFor(run, h.name, vars, scope.play)
      connecting.catch(() => {}) // awaited below; an unreachable host is reported from there
      const ahead = await firstTasksReads(run, scope, h)
      const transport = await connecting
      // The setup script and the first tasks' facts in one command.
      const joiner = joiningRunner((cmd) => transport.exec(cmd))
      const gathered = h.factCache.get(hostFacts, {}, joiner.run, '')
      const readAhead = ahead && h.factCache.readAhead(ahead.reads, (cmd) => joiner.run(ahead.prefix + cmd), ahead.user)
      joiner.flush()
      Object.assign(h.facts, factVars(await gathered, scope.play.gatherSubset))
      await readAhead
      run.emit({ type: 'host:result', task: TASK, host: h.name, status: 'ok', result: { changed: false, failed: false }, durationMs: msSince(started) })
    } catch (err) {
      const unreachable = err instanceof UnreachableError
      if (unreachable) h.unreachable = true
      else h.failed = true
      run.emit({
        type: 'host:result', task: TASK, host: h.name, status: unreachable ? 'unreachable' : 'failed',
        result: { changed: false, failed: !unreachable, unreachable, msg: (err as Error).message }, durationMs: msSince(started),
      })
    }
  })
  run.emit({ type: 'task:end', name: TASK })
}

/**
 * What the play's first tasks will read, to be read in gathering's round trip: when the first task runs
 * where gathering does (the same connection, the login user's shell), and those after it in its list with
 * the same become and environment (read-ahead.ts guesses them, without the facts being gathered). The
 * task's environment is set for its reads alone (`prefix`); gathering's script runs without it.
 */
async function firstTasksReads(run: RunContext, scope: PlayScope, h: HostState): Promise<{ reads: FactRead[]; user: string; prefix: string } | undefined> {
  const first = firstTask(scope.play)
  if (!first || run.options.startAtTask !== undefined) return undefined
  const { task, upcoming, layer } = first
  if (task.remoteUser !== scope.play.remoteUser || task.connection !== scope.play.connection || task.delegateTo !== undefined) return undefined
  try {
    const vars = taskVars(run, scope, h, taskLayer(task, layer))
    const become = becomeFor(task, vars)
    if (!runsAsLoginUser(run, h.name, vars, scope.play, become)) return undefined
    const env = task.environment ? (renderValue(task.environment, vars, task.loc) as Record<string, string>) : undefined
    const user = factUser(become)
    const reads = await guessFirst(run, h, { task, vars, facts: h.factCache, user }, upcoming)
    return reads.length > 0 ? { reads, user, prefix: commandPrefix({ env }) } : undefined
  } catch {
    // A keyword that cannot be told before facts are gathered: the task reads its own facts.
    return undefined
  }
}

/** The first task a play runs on a host, the tasks after it in its list, and the variables of the blocks around it. */
function firstTask(play: Play): { task: Task; upcoming: readonly TaskNode[]; layer: Vars } | undefined {
  let nodes: readonly TaskNode[] | undefined = [play.preTasks, play.tasks, play.postTasks].find((s) => s.length > 0)
  let layer: Vars = {}
  while (nodes && nodes.length > 0) {
    const node = nodes[0]
    if (node.kind === 'task') return { task: node, upcoming: nodes.slice(1), layer }
    if (node.kind === 'block') {
      layer = { ...layer, ...node.vars }
      nodes = node.block
    } else if (node.kind === 'role') {
      nodes = node.dependencies.length > 0 ? node.dependencies : node.tasks
    } else {
      return undefined
    }
  }
  return undefined
}
