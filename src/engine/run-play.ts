// One play: its hosts (pattern and --limit), serial batches, vars_files, fact gathering, then
// pre_tasks, roles and tasks (the roles' nodes lead play.tasks), and post_tasks, each followed by a handler
// flush, as Ansible runs a play.
import type { Vars } from '../inventory/types.js'
import { selectHosts } from '../inventory/index.js'
import type { HostOrder, Play } from '../playbook/index.js'
import { randomInt } from 'node:crypto'
import { loadVarsFile, renderValue } from '../vars/index.js'
import { gatherFacts } from './gather-facts.js'
import { laterNodes } from './read-ahead.js'
import { flushHandlers } from './handlers.js'
import { hostState, type RunContext } from './run-context.js'
import { runNodes, type Walk } from './run-nodes.js'
import { playScope } from './play-scope.js'
import { resolve, dirname } from 'node:path'
import { shownPath } from '../shown-path.js'

/** `later`: the plays after this one, whose tasks read-ahead may read for while this one runs. */
export async function runPlay(run: RunContext, play: Play, limit: Set<string> | undefined, later: readonly Play[] = []): Promise<void> {
  const names = orderHosts(selectHosts(run.inventory, play.hosts).filter((h) => (!limit || limit.has(h)) && hostState(run, h).active), play.order)
  run.emit({ type: 'play:start', name: play.name, hosts: names })
  if (names.length === 0) {
    run.emit({ type: 'warning', message: `play '${play.name}': no hosts left to run on (pattern '${play.hosts}')` })
    run.emit({ type: 'play:end', name: play.name })
    return
  }
  const scope = playScope(play, loadPlayVarsFiles(run, play), names)
  for (const batch of serialBatches(names, play.serial)) {
    if (run.stopped || run.signal.aborted) break
    const hosts = batch.map((n) => hostState(run, n)).filter((h) => h.active)
    scope.batch = hosts.map((h) => h.name)
    for (const h of hosts) h.notified.clear()
    if (play.gatherFacts) await gatherFacts(run, scope, hosts)
    const walk: Walk = { ended: new Set(), endPlay: false, completedRoles: new Map() }
    const sections = [play.preTasks, play.tasks, play.postTasks]
    const beyond = laterNodes(run, later)
    for (const [i, section] of sections.entries()) {
      await runNodes(run, scope, walk, section, hosts, {}, [...sections.slice(i + 1).flat(), ...beyond])
      if (!run.signal.aborted) await flushHandlers(run, scope, hosts.filter((h) => !walk.ended.has(h.name)))
      if (walk.endPlay || run.stopped) break
    }
  }
  run.emit({ type: 'play:end', name: play.name })
}

/** vars_files are templated with play and extra vars (not host vars), read once per play. */
export function loadPlayVarsFiles(run: Pick<RunContext, 'extraVars' | 'playbook'>, play: Play): Vars {
  const out: Vars = {}
  const scope = { ...play.vars, ...run.extraVars }
  for (const vf of play.varsFiles) {
    // Named as the preflight names it (shown-path.ts): one parse of the file for both, one name in errors.
    const path = shownPath(resolve(play.baseDir ?? dirname(run.playbook.file), String(renderValue(vf.path, scope, vf.loc))))
    Object.assign(out, loadVarsFile(path, vf.loc))
  }
  return out
}

/** The play's `order` of its hosts (inventory order by default). */
export function orderHosts(names: string[], order: HostOrder): string[] {
  switch (order) {
    case 'inventory': return names
    case 'reverse_inventory': return [...names].reverse()
    case 'sorted': return [...names].sort()
    case 'reverse_sorted': return [...names].sort().reverse()
    case 'shuffle': {
      const out = [...names]
      for (let i = out.length - 1; i > 0; i--) {
        const j = randomInt(i + 1)
        ;[out[i], out[j]] = [out[j], out[i]]
      }
      return out
    }
  }
}

/** `serial`: run a play on batches of hosts (a number, or a percentage of the play's hosts). */
function serialBatches(hosts: string[], serial: number | string | undefined): string[][] {
  if (serial === undefined) return [hosts]
  const n = typeof serial === 'string' && serial.endsWith('%')
    ? Math.ceil((hosts.length * Number(serial.slice(0, -1))) / 100)
    : Number(serial)
  const size = Number.isFinite(n) && n > 0 ? n : hosts.length
  const out: string[][] = []
  for (let i = 0; i < hosts.length; i += size) out.push(hosts.slice(i, i + size))
  return out
}
