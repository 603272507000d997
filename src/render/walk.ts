// The static walk: every play, every host its pattern (and --limit) selects, every task in order, with the
// variables the engine would give the task (same scope builder, same precedence, and the engine's walk of
// blocks, includes and loops: engine/task-path.ts). Tasks whose conditions hold (or cannot be decided
// offline) and that write files are planned by their own module against the host's OfflineFiles;
// nothing else runs and nothing is contacted.
import type { Vars } from '../inventory/index.js'
import { findHost, selectHosts } from '../inventory/index.js'
import { normalizePlan } from '../modules/index.js'
import { definedAtRunTime, walkNodes, type Play, type Task } from '../playbook/index.js'
import { renderValue } from '../vars/index.js'
import {
  eachItem, factVars, handlerTopics, hostVarsOf, loadPlayVarsFiles, LoopNotAList, loopItems, playScope, resolveLocalFor, taskArgs, taskLayer, taskVars,
  walkTasks, type Include, type PlayScope, type Prepared, type ScopeHost, type ScopeRun, type TaskVisitor,
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
  const selected = (name: string): boolean => !!findHost(p.inventory, name) && (!p.limit || p.limit.has(name))
  const hostOf = (name: string): OfflineHost | undefined => {
    if (!selected(name)) return undefined
    let h = hosts.get(name)
    if (!h) {
      h = { name, inv: findHost(p.inventory, name)!, facts: {}, registered: {}, files: new OfflineFiles(), notes: [], factsKnown: false, notified: new Set() }
      hosts.set(name, h)
    }
    return h
  }
  const run: ScopeRun = {
    inventory: p.inventory, extraVars: p.extraVars, check: false,
    // As the engine gives it: templated values rendered against that host's variables.
    hostVarsOf: (name) => hostVarsOf({ inventory: p.inventory, extraVars: p.extraVars, hosts }, name),
  }
  const runtime = definedAtRunTime(p.playbook)
  for (const play of p.playbook.plays) {
    const names = selectHosts(p.inventory, play.hosts).filter(selected)
    if (names.length === 0) continue
    const scope = playScope(play, loadPlayVarsFiles({ extraVars: p.extraVars, playbook: p.playbook }, play), names)
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
  const v = visitor(w)
  for (const section of [play.preTasks, play.tasks, play.postTasks]) await walkTasks(v, section, [w.host], {})
  // Handlers run when a notifying task changed something, as on a fresh host; their order is the play's.
  for (const handler of play.handlers) {
    if (handler.kind === 'task' && handlerTopics(handler).some((n) => w.host.notified.has(n))) await runTask(w, handler, {})
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

/** Every block section but rescue (it runs only when the block fails); includes and loops as a run expands them. */
function visitor(w: Walker): TaskVisitor<OfflineHost> {
  return {
    live: (hosts) => hosts,
    task: (task, _hosts, layer) => runTask(w, task, layer),
    block: async (block, hosts, section) => {
      await section(block.block, hosts)
      if ([...walkNodes(block.rescue)].some((n) => n.kind === 'task' && FILE_MODULES.has(n.module))) {
        note(w.host, { loc: block.loc, task: block.displayName, message: 'rescue section not rendered: it runs only when the block fails' })
      }
      await section(block.always, hosts)
    },
    enters: () => true,
    completedRoles: new Map(),
    scope: (h, layer) => taskVars(w.run, w.scope, h, layer),
    when: (conds, vars, inc) => conditionsHold(conds, vars, decider(w), inc.displayName),
    report: (inc, { failures }) => {
      for (const { hosts: [h], what, err } of failures) {
        // What an include names and cannot be loaded is an input error here as before: render reads it all.
        if (what === 'load') throw err
        if (what === 'loop') loopNote(h, inc, err)
        else note(h, { loc: locOf(err, inc.loc), task: inc.displayName, message: `file name not known offline (${messageOf(err)}): not rendered` })
      }
    },
  }
}

async function runTask(w: Walker, task: Task, layer: Vars): Promise<void> {
  if (task.module === 'meta') return
  if (task.runOnce && w.host.name !== w.scope.hostNames[0]) return
  const vars = taskVars(w.run, w.scope, w.host, taskLayer(task, layer))
  const d = decider(w)
  if (task.loop === undefined) {
    if (conditionsHold(task.when, vars, d, task.displayName)) await act(w, task, vars)
    return
  }
  let items: unknown[]
  try {
    items = loopItems(task, vars)
  } catch (err) {
    return loopNote(w.host, task, err)
  }
  for (const it of eachItem(task, items, vars)) {
    if (conditionsHold(task.when, it.vars, d, task.displayName)) await act(w, task, it.vars)
  }
}

/** A loop whose items cannot be known offline, or that would fail on the host (not a list). */
function loopNote(h: OfflineHost, node: Task | Include, err: unknown): void {
  const loc = node.loopLoc ?? node.loc
  if (err instanceof LoopNotAList) note(h, { loc, task: node.displayName, message: `would fail on the host: ${err.message}`, error: true })
  else note(h, { loc: locOf(err, loc), task: node.displayName, message: `loop not expanded offline (${messageOf(err)}): not rendered` })
}

/** A task that would run: notifies its handlers and, for a file module, plans its file offline. */
async function act(w: Walker, task: Task, vars: Vars): Promise<void> {
  for (const n of task.notify) w.host.notified.add(n)
  if (!FILE_MODULES.has(task.module)) return
  const fail = (err: unknown, loc = task.loc): void => note(w.host, { loc: locOf(err, loc), task: task.displayName, message: `would fail on the host: ${messageOf(err)}`, error: true })
  try {
    const args = taskArgs(task, vars)
    if (args.error !== undefined) return fail(new Error(args.error), task.argsLoc)
    const { mod, params } = args
    const target = task.delegateTo ? String(renderValue(task.delegateTo, vars, task.loc)) : w.host.name
    const host = w.hostOf(target)
    if (!host) return note(w.host, { loc: task.loc, task: task.displayName, message: `writes to ${target}, which this render does not cover (--limit or not in the inventory)` })
    const edit = EDIT_MODULES.has(mod.name)
    const ctx = offlineContext({
      host: w.host.name, vars, files: host.files, edit,
      render: (text, source) => String(renderValue(text, vars, source)),
      resolveLocal: resolveLocalFor(task),
    })
    const plan = normalizePlan(await mod.plan(ctx, params))
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
