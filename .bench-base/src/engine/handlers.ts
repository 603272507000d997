// Handlers run where notified, once, in the order they are defined, at flush points (end of each task
// section, or meta: flush_handlers). A handler may notify a later one within the same flush.
import type { Task } from '../playbook/index.js'
import type { HostState } from './host-state.js'
import type { PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { runTaskOnHosts } from './run-nodes.js'

export async function flushHandlers(run: RunContext, scope: PlayScope, hosts: HostState[]): Promise<void> {
  for (const node of scope.play.handlers) {
    if (node.kind !== 'task') continue
    const handler = node as Task
    const topics = [handler.name ?? handler.displayName, ...handler.listen]
    const notified = hosts.filter((h) => h.active && topics.some((t) => h.notified.has(t)))
    if (notified.length === 0) continue
    for (const h of notified) for (const t of topics) h.notified.delete(t)
    await runTaskOnHosts(run, scope, handler, notified, {}, true)
  }
}
