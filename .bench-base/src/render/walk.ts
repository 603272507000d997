// The static walk: every play, every host its pattern (and --limit) selects, every task in order, with the
// variables the engine would give the task (same scope builder, same precedence). Tasks whose conditions
// hold (or cannot be decided offline) and that write files are planned by their own module against the
// host's OfflineFiles; nothing else runs and nothing is contacted.
import type { Vars } from '../inventory/index.js'
import { selectHosts } from '../inventory/index.js'
import { getModule, normalizePlan } from '../modules/index.js'
import { coerceArgs, definedAtRunTime, loadTasksFile, walkNodes, type IncludeTasks, type Play, type Task, type TaskNode } from '../playbook/index.js'
import { renderValue } from '../vars/index.js'
import {
  extendScope, factVars, formatZodIssues, loadPlayVarsFiles, resolveLocalFor, taskVars, type PlayScope, type Prepared, type ScopeHost, type ScopeRun,
} from '../engine/index.js'
import { conditionsHold, FACT_NAMES, locOf, messageOf, type Decider } from './conditions.js'
import { OfflineFiles, offlineContext } from './offline-files.js'
import { renderFacts, RENDER_FACTS } from './render-facts.js'
import type { HostRender, RenderNote } from './types.js'

/** Modules whose result is a file on the host; edits change a file the host may already have. */
const FILE_MODULES = new Set(['template', 'copy', 'lineinfile', 'blockinfile'])
const EDIT_MODULES = new Set(['lineinfile', 'blockinfile'])

interface OfflineHost extends ScopeHost {
  files: OfflineFiles
  notes: RenderNote[]
  /** Facts were given (pgha_render_facts) and a play has gathered them. */
  factsKnown: boolean
  notified: Set<string>
}

interface Walker {
  run: ScopeRun
  scope: PlayScope
  runtime: Set<string>
  host: OfflineHost
  hostOf(name: string): OfflineHost | undefined
}

export async function walkPlaybook(p: Prepared): Promise<HostRender[]> {
  const hosts = new Map<string, OfflineHost>()
  const selected = (name: string): boolean => p.inventory.hosts.has(name) && (!p.limit || p.limit.has(name))
  const hostOf = (name: string): OfflineHost | undefined => {
    if (!selected(name)) return undefined
    let h = hosts.get(name)
    if (!h) {
      h = { name, inv: p.inventory.hosts.get(name)!, facts: {}, registered: {}, files: new OfflineFiles(), notes: [], factsKnown: false, notified: new Set() }
      hosts.set(name, h)
    }
    return h
  }
  const run: ScopeRun = {
    inventory: p.inventory, extraVars: p.extraVars, check: false,
    hostVarsOf: (name) => ({ ...p.inventory.hosts.get(name)?.vars, ...hosts.get(name)?.facts }),
  }
  const runtime = definedAtRunTime(p.playbook)
  for (const play of p.playbook.plays) {
    const names = selectHosts(p.inventory, play.hosts).filter(selected)
    if (names.length === 0) continue
    const scope: PlayScope = { play, vars: play.vars, varsFiles: loadPlayVarsFiles({ extraVars: p.extraVars, playbook: p.playbook }, play), hostNames: names }
    for (const name of names) {
      const w: Walker = { run, scope, runtime, host: hostOf(name)!, hostOf }
      await walkPlay(w, play)
    }
  }
  const order = [...p.inventory.hosts.keys()].filter((n) => hosts.has(n))
  return order.map((n) => {
    const h = hosts.get(n)!
    return { host: n, files: h.files.list(), notes: h.notes }
  })
}

async function walkPlay(w: Walker, play: Play): Promise<void> {
  w.host.notified.clear()
  if (play.gatherFacts) gather(w)
  for (const section of [play.preTasks, play.tasks, play.postTasks]) await visit(w, section, {})
  // Handlers run when a notifying task changed something, as on a fresh host; their order is the play's.
  for (const handler of play.handlers) {
    if (handler.kind === 'task' && [handler.name ?? '', ...handler.listen].some((n) => w.host.notified.has(n))) await runTask(w, handler, {})
  }
}

function gather(w: Walker): void {
  const h = w.host
  const f = renderFacts(h.name, taskVars(w.run, w.scope, h), h.inv.loc)
  if (f) {
    Object.assign(h.facts, factVars(f))
    h.factsKnown = true
  } else if (!h.factsKnown) {
    note(h, {
      message: `no ${RENDER_FACTS} for ${h.name}: its facts (ansible_os_family, ...) are unknown, so conditions on them are assumed true; `
        + `set ${RENDER_FACTS}: {os_family: ..., distribution: ..., distribution_major_version: ..., pkg_mgr: ...} in the inventory`,
    })
  }
}

async function visit(w: Walker, nodes: readonly TaskNode[], layer: Vars): Promise<void> {
  for (const node of nodes) {
    if (node.kind === 'task') await runTask(w, node, layer)
    else if (node.kind === 'include_tasks') await include(w, node, layer)
    else {
      const inner = { ...layer, ...node.vars }
      await visit(w, node.block, inner)
      if ([...walkNodes(node.rescue)].some((n) => n.kind === 'task' && FILE_MODULES.has(n.module))) {
        note(w.host, { loc: node.loc, task: node.displayName, message: 'rescue section not rendered: it runs only when the block fails' })
      }
      await visit(w, node.always, inner)
    }
  }
}

/** As the engine: conditions with the include's vars, then the file (templated names rendered), per item. */
async function include(w: Walker, inc: IncludeTasks, layer: Vars): Promise<void> {
  const vars = extendScope(taskVars(w.run, w.scope, w.host, layer), inc.vars)
  if (!conditionsHold(inc.when, vars, decider(w), inc.displayName)) return
  let file: string
  try {
    file = String(renderValue(inc.file, vars, inc.loc))
  } catch (err) {
    note(w.host, { loc: locOf(err, inc.loc), task: inc.displayName, message: `file name not known offline (${messageOf(err)}): not rendered` })
    return
  }
  const items = inc.loop === undefined ? [undefined] : loopItems(w, inc, vars)
  if (!items) return
  const nodes = inc.preloaded && file === inc.file ? inc.preloaded : loadTasksFile(file, inc)
  for (const item of items) {
    await visit(w, nodes, item === undefined ? { ...layer, ...inc.vars } : { ...layer, ...inc.vars, [inc.loopVar ?? 'item']: item })
  }
}

async function runTask(w: Walker, task: Task, layer: Vars): Promise<void> {
  if (task.module === 'meta') return
  if (task.runOnce && w.host.name !== w.scope.hostNames[0]) return
  const vars = taskVars(w.run, w.scope, w.host, { ...layer, ...task.vars })
  const d = decider(w)
  if (task.loop === undefined) {
    if (conditionsHold(task.when, vars, d, task.displayName)) await act(w, task, vars)
    return
  }
  for (const [index, item] of (loopItems(w, task, vars) ?? []).entries()) {
    const itemVars = extendScope(vars, { [task.loopVar]: item, ansible_loop_var: task.loopVar, ...(task.indexVar ? { [task.indexVar]: index } : {}) })
    if (conditionsHold(task.when, itemVars, d, task.displayName)) await act(w, task, itemVars)
  }
}

/** The items of a task's or include's loop, or undefined (noted) when they cannot be known offline. */
function loopItems(w: Walker, node: Task | IncludeTasks, vars: Vars): unknown[] | undefined {
  const loc = node.loopLoc ?? node.loc
  let items: unknown
  try {
    items = renderValue(node.loop, vars, loc)
  } catch (err) {
    note(w.host, { loc: locOf(err, loc), task: node.displayName, message: `loop not expanded offline (${messageOf(err)}): not rendered` })
    return undefined
  }
  if (Array.isArray(items)) return items
  note(w.host, { loc, task: node.displayName, message: `would fail on the host: loop must be a list, got ${typeof items}`, error: true })
  return undefined
}

/** A task that would run: notifies its handlers and, for a file module, plans its file offline. */
async function act(w: Walker, task: Task, vars: Vars): Promise<void> {
  for (const n of task.notify) w.host.notified.add(n)
  if (!FILE_MODULES.has(task.module)) return
  const mod = getModule(task.module)!
  const fail = (err: unknown, loc = task.loc): void => note(w.host, { loc: locOf(err, loc), task: task.displayName, message: `would fail on the host: ${messageOf(err)}`, error: true })
  try {
    const args = renderValue(task.args, vars, task.argsLoc ?? task.loc) as Record<string, unknown>
    const parsed = mod.params.safeParse(coerceArgs(mod, args))
    if (!parsed.success) return fail(new Error(`invalid arguments for ${mod.name}: ${formatZodIssues(parsed.error)}`), task.argsLoc)
    const target = task.delegateTo ? String(renderValue(task.delegateTo, vars, task.loc)) : w.host.name
    const host = w.hostOf(target)
    if (!host) return note(w.host, { loc: task.loc, task: task.displayName, message: `writes to ${target}, which this render does not cover (--limit or not in the inventory)` })
    const edit = EDIT_MODULES.has(mod.name)
    const ctx = offlineContext({
      host: w.host.name, vars, files: host.files, edit,
      render: (text, source) => String(renderValue(text, vars, source)),
      resolveLocal: resolveLocalFor(task),
    })
    const plan = normalizePlan(await mod.plan(ctx, parsed.data))
    host.files.apply(plan.changes, { module: mod.name, task: task.displayName, loc: task.loc }, edit)
  } catch (err) {
    // A file built from values the hosts give at run time (a registered result, a set_fact of another
    // host) cannot be rendered offline: that is a note, not a failure the host would have.
    const needs = [...messageOf(err).matchAll(/'([A-Za-z_][A-Za-z0-9_]*)'/g)].map((m) => m[1]).find((n) => w.runtime.has(n))
    if (needs) return note(w.host, { loc: task.loc, task: task.displayName, message: `not rendered: it uses '${needs}', known only when the playbook runs` })
    fail(err)
  }
}

function decider(w: Walker): Decider {
  return {
    unknown: (n) => w.runtime.has(n) ? 'known only when the playbook runs'
      : !w.host.factsKnown && FACT_NAMES.has(n) ? `a fact, and ${w.host.name} has no ${RENDER_FACTS}` : undefined,
    note: (n) => note(w.host, n),
  }
}

/** Notes are kept once: a loop or a second play would repeat the same one. */
function note(h: OfflineHost, n: RenderNote): void {
  const key = (x: RenderNote): string => `${x.loc?.file}:${x.loc?.line}:${x.loc?.col}:${x.message}`
  if (!h.notes.some((m) => key(m) === key(n))) h.notes.push(n)
}
