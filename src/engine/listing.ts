// What ansible-playbook's --syntax-check, --list-hosts, --list-tasks and --list-tags print, from the same
// validated input a run starts from (so a syntax check reports every input problem, and contacts nothing).
import { selectHosts } from '../inventory/index.js'
import type { Play, TaskNode } from '../playbook/index.js'
import type { RunOptions } from './options.js'
import { prepare } from './preflight.js'
import { tagsSelect } from './task-path.js'

export interface ListingRequest {
  hosts?: boolean
  tasks?: boolean
  tags?: boolean
}

/**
 * `playbook: FILE`, then for each play (unless only a syntax check was asked for) its header and the
 * hosts it would run on (--limit applied), its tasks with their tags, and the tags of those tasks, in
 * ansible-playbook's layout. --tags/--skip-tags select the tasks as in a run; handlers are not listed.
 */
export function listPlaybook(options: RunOptions, what: ListingRequest): string {
  const prepared = prepare(options) // throws ConfigErrors, as a run would
  const lines = ['', `playbook: ${options.playbook}`]
  if (what.hosts || what.tasks || what.tags) {
    prepared.playbook.plays.forEach((play, i) => {
      lines.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`)
      if (what.hosts) {
        const hosts = play.hosts === '' ? [] : selectHosts(prepared.inventory, play.hosts).filter((h) => !prepared.limit || prepared.limit.has(h))
        lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`))
      }
      const tasks = selectedTasks(play, options)
      // An unnamed task is listed by its action as written, without its role, as ansible-playbook lists it.
      if (what.tasks) lines.push('    tasks:', ...tasks.map((t) => `      ${t.listedAs ?? t.displayName}\tTAGS: [${tagList(t.tags)}]`))
      if (what.tags) lines.push(`      TASK TAGS: [${tagList(tasks.flatMap((t) => t.tags))}]`)
    })
  }
  return `${lines.join('\n')}\n`
}

const tagList = (tags: readonly string[]): string => [...new Set(tags)].sort().join(', ')

/** The play's tasks a run would consider, in order: blocks and roles opened, an include as itself (it is dynamic). */
function selectedTasks(play: Play, options: RunOptions): TaskNode[] {
  const out: TaskNode[] = []
  const visit = (nodes: readonly TaskNode[]): void => {
    for (const node of nodes) {
      if (node.kind === 'block') {
        visit(node.block)
        visit(node.rescue)
        visit(node.always)
      } else if (node.kind === 'role') {
        visit(node.dependencies)
        visit(node.tasks)
      } else if (tagsSelect(node.tags, options.tags, options.skipTags)) {
        out.push(node)
      }
    }
  }
  for (const list of [play.preTasks, play.tasks, play.postTasks]) visit(list)
  return out
}
