// Handlers run where notified, once, in the order they are defined, at flush points (end of each task
// section, or meta: flush_handlers). A handler may notify a later one within the same flush.
// A handler may be an include_tasks (geerlingguy.jenkins' `restart jenkins`): notified by its name, it
// brings its tasks in on the notified hosts and they run as handlers, as in Ansible.
import type { HostState } from './host-state.js'
import type { PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { runTaskOnHosts } from './run-task.js'
import { runNodes } from './run-nodes.js'
import { handlerTopics } from './task-path.js'

export async function flushHandlers(run: RunContext, scope: PlayScope, hosts: HostState[]): Promise<void> {
  for (const node of scope.handlers) {
    if (node.kind !== 'task' && node.kind !== 'include_tasks') continue
    const topics = handlerTopics(node)
    const notified = hosts.filter((h) => h.active && topics.some((t) => h.notified.has(t)))
    if (notified.length === 0) continue
    for (const h of notified) for (const t of topics) h.notified.delete(t)
    if (node.kind === 'task') await runTaskOnHosts(run, scope, node, notified, {}, true)
    else await runNodes(run, scope, { ended: new Set(), endPlay: false, completedRoles: new Map(), handler: true }, [node], notified, {})
  }
}
