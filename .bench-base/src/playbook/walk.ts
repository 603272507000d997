// Visits every node of task lists: inside blocks (block, rescue, always) and preloaded includes.
import type { Play, TaskNode } from './types.js'

export function* walkNodes(nodes: readonly TaskNode[]): Generator<TaskNode> {
  for (const node of nodes) {
    yield node
    if (node.kind === 'block') {
      yield* walkNodes(node.block)
      yield* walkNodes(node.rescue)
      yield* walkNodes(node.always)
    } else if (node.kind === 'include_tasks' && node.preloaded) {
      yield* walkNodes(node.preloaded)
    }
  }
}

/** Every node of a play: pre_tasks, tasks, post_tasks, then handlers. */
export function* walkPlay(play: Play): Generator<TaskNode> {
  for (const list of [play.preTasks, play.tasks, play.postTasks, play.handlers]) yield* walkNodes(list)
}
