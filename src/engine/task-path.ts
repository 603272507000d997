// The task path: which tasks of a list run, and what one task is on a host once its variables are known.
// A run (run-nodes.ts, run-task.ts, invoke-module.ts), read-ahead's guesses (read-ahead.ts) and
// `pgha render` (src/render/walk.ts) all go through these functions, so a task means the same thing to each:
// - the walk of a task list: blocks and their variables, roles (each once per host unless it allows
//   duplicates), include_tasks and include_role (loop, when per item, templated name, one walk per item, their
//   outcome reported to the visitor first), tasks in order; each caller brings a visitor for what it does with them;
// - tag selection (--tags, --skip-tags) and the names that notify a handler;
// - a task's variables over its blocks' and includes', its `when`, its loop items and loop variables;
// - its arguments: rendered, coerced as the module's schema declares, validated against that schema.
import type { z } from 'zod'
import { ConfigError } from '../errors.js'
import type { Vars } from '../inventory/types.js'
import { getModule, libraryModule, type ModuleDef } from '../modules/index.js'
import {
  IncludeNotFound, includedTaskPath, loadIncludedRole, loadTasksFile, type Block, type Condition, type IncludeRole, type IncludeTasks, type Role,
  type KeywordTemplate, type RoleEntryFiles, type RoleNode, type Task, type TaskNode, type Templatable, toBool, toNumber,
} from '../playbook/index.js'
import { evaluateCondition, isTemplated, pyStr, removeOmit, renderValue, withLoopItems } from '../vars/index.js'
import type { TaskLayer } from './play-scope.js'
import { parseArgs } from './parsed-args.js'
import { asData, extendScope } from './resolve-vars.js'

/** What a caller does with the nodes of a task list, for a set of hosts of type H. */
export interface TaskVisitor<H> {
  /** The hosts that go on; none ends the walk of the list (a run that stopped, a play that ended). */
  live(hosts: H[]): H[]
  /**
   * A task, with the variables of its enclosing blocks and includes; `upcoming`: the tasks after it in its
   * list, then those after the include, block or role it is in (read-ahead guesses from them).
   */
  task(task: Task, hosts: H[], layer: Vars, upcoming: readonly TaskNode[]): Promise<void>
  /** A block: `section` walks one of its lists (block, rescue, always) with the block's variables. */
  block(block: Block, hosts: H[], section: (nodes: readonly TaskNode[], hosts: H[]) => Promise<void>): Promise<void>
  /** Whether the walk enters an include at all (its tags). */
  enters(inc: Include): boolean
  /** A host's variables at an include (the include's own included). */
  scope(host: H, layer: TaskLayer | undefined): Vars
  /** Whether the include's conditions hold on a host. */
  when(conds: readonly Condition[], vars: Vars, inc: Include): boolean
  /**
   * The include's outcome on its hosts, before what it brings in is walked: a run shows it as Ansible does
   * (skipped hosts and items, `included:` lines, hosts failed where its file or role name or loop could not
   * be resolved); render notes the failures and leaves those hosts out.
   */
  report(inc: Include, report: IncludeReport<H>): void
  /** The hosts that have run each role to its end in this play: a role runs once per host unless it allows duplicates. */
  completedRoles: Map<Role, Set<H>>
  /** include_role loaded a role for some hosts: a run adds its handlers to the play (and its variables, when public). */
  included?(node: RoleNode, inc: IncludeRole): void
}

/** A dynamic include: of a task file or of a role. */
export type Include = IncludeTasks | IncludeRole

/**
 * Walks `nodes` in order on `hosts`; `layer`: the variables of the enclosing blocks and includes; `after`:
 * the nodes that follow the enclosing include, block or role (what a task's `upcoming` goes on with).
 */
export async function walkTasks<H>(v: TaskVisitor<H>, nodes: readonly TaskNode[], hosts: H[], layer: Vars, after: readonly TaskNode[] = []): Promise<void> {
  for (const [i, node] of nodes.entries()) {
    const live = v.live(hosts)
    if (live.length === 0) return
    const rest = (): TaskNode[] => [...nodes.slice(i + 1), ...after]
    if (node.kind === 'task') await v.task(node, live, layer, rest())
    else if (node.kind === 'include_tasks' || node.kind === 'include_role') await walkInclude(v, node, live, layer, rest())
    else if (node.kind === 'role') await walkRole(v, node, live, layer, rest())
    else {
      const inner = { ...layer, ...node.vars }
      const next = rest()
      await v.block(node, live, (section, on) => walkTasks(v, section, on, inner, next))
    }
  }
}

/**
 * A role's node: its dependencies (each decides for itself), then its tasks on the hosts that have not
 * run it to its end in this play, unless it allows duplicates, as Ansible skips a role that has run.
 */
async function walkRole<H>(v: TaskVisitor<H>, node: RoleNode, hosts: H[], layer: Vars, after: readonly TaskNode[] = []): Promise<void> {
  await walkTasks(v, node.dependencies, hosts, layer, [...node.tasks, ...after])
  const role = node.runs.role
  let done = v.completedRoles.get(role)
  if (!done) v.completedRoles.set(role, (done = new Set()))
  const fresh = role.allowDuplicates ? v.live(hosts) : v.live(hosts).filter((h) => !done.has(h))
  if (fresh.length === 0) return
  await walkTasks(v, node.tasks, fresh, layer, after)
  for (const h of v.live(fresh)) done.add(h)
}

/** What an include names on a host: a task file, or a role and the files it starts from. */
type IncludeTarget = { file: string } | { role: string; from: RoleEntryFiles }

function includeTarget(inc: Include, vars: Vars): IncludeTarget {
  if (inc.kind === 'include_tasks') return { file: String(renderValue(inc.file, vars, inc.loc)) }
  const from: RoleEntryFiles = {}
  for (const [k, f] of Object.entries(inc.from) as [keyof RoleEntryFiles, string][]) from[k] = String(renderValue(f, vars, inc.locOf(`args.${k}_from`)))
  return { role: String(renderValue(inc.roleName, vars, inc.locOf('args.name'))), from }
}

/** One inclusion: what an include names for one loop item, and the hosts it names it on. */
interface Inclusion<H> {
  target: IncludeTarget
  /** The loop variables of the item (none without a loop). */
  loopVars: Vars
  /** The item's label (loop_control's label, else the item), as `included: ... => (item=x)` shows it. */
  label?: string
  hosts: H[]
}

/** What an include did on one host: skipped by its `when`, or, looped, each item's fate under its `when`. */
export interface IncludeOutcome<H> {
  host: H
  /** Its `when` skipped it (with a loop: on every item; an empty loop includes nothing and is not skipped). */
  skipped: boolean
  /** With a loop: each item, its label, and whether its `when` skipped it. */
  items?: { item: unknown; loopVars: Vars; label: string; skipped: boolean }[]
}

/** Why an include could not go on for some hosts: its file name or loop not rendered, what it names not loaded. */
export interface IncludeFailure<H> {
  hosts: H[]
  what: 'file' | 'loop' | 'load'
  err: unknown
}

/**
 * An include's own outcome, told before what it brings in is walked, as Ansible shows the include task's
 * results and then one `included:` line per file: each host's outcome (not the failed ones), the inclusions
 * that loaded (include_tasks' with the file's path), and the failures.
 */
export interface IncludeReport<H> {
  outcomes: IncludeOutcome<H>[]
  inclusions: { path?: string; label?: string; hosts: H[] }[]
  failures: IncludeFailure<H>[]
}

/**
 * Per host: the include's loop items, each item's `when` (with the loop variables, as a task's), then what
 * it names for each item that passes (a file or role name may use the loop variable). Hosts naming the
 * same for the same item walk it together, in the order the inclusions first appear, as Ansible merges
 * identical included files; each file or role is loaded once. The visitor is told the include's outcome
 * (report) before any of it is walked.
 */
async function walkInclude<H>(v: TaskVisitor<H>, inc: Include, hosts: H[], layer: Vars, after: readonly TaskNode[]): Promise<void> {
  if (!v.enters(inc)) return
  const inclusions = new Map<string, Inclusion<H>>()
  const report: IncludeReport<H> = { outcomes: [], inclusions: [], failures: [] }
  for (const h of hosts) {
    const vars = v.scope(h, taskLayer(inc, layer))
    let outcome: IncludeOutcome<H>
    try {
      outcome = includeOutcome(v, inc, h, vars)
    } catch (err) {
      report.failures.push({ hosts: [h], what: 'loop', err })
      continue
    }
    const passing = (outcome.items ?? (outcome.skipped ? [] : [{ loopVars: {}, label: undefined, skipped: false }])).filter((it) => !it.skipped)
    let targets: IncludeTarget[]
    try {
      targets = passing.map((it) => includeTarget(inc, extendScope(vars, it.loopVars)))
    } catch (err) {
      // the host fails on the include and includes none of its items
      report.failures.push({ hosts: [h], what: 'file', err })
      continue
    }
    for (const [i, target] of targets.entries()) {
      const { loopVars, label } = passing[i]
      const key = JSON.stringify([target, loopVars])
      const found: Inclusion<H> = inclusions.get(key) ?? { target, loopVars, label, hosts: [] }
      found.hosts.push(h)
      inclusions.set(key, found)
    }
    report.outcomes.push(outcome)
  }
  const walks = new Map<string, IncludedWalk<H>>()
  const planned: { walk: (hosts: H[], layer: Vars) => Promise<void>; inclusion: Inclusion<H> }[] = []
  for (const inclusion of inclusions.values()) {
    const key = JSON.stringify(inclusion.target)
    let loaded = walks.get(key)
    if (!loaded) walks.set(key, (loaded = includedWalkOrFailure(v, inc, inclusion.target, after)))
    if ('err' in loaded) {
      report.failures.push({ hosts: inclusion.hosts, what: 'load', err: loaded.err })
      continue
    }
    report.inclusions.push({ path: loaded.path, label: inclusion.label, hosts: inclusion.hosts })
    planned.push({ walk: loaded.walk, inclusion })
  }
  v.report(inc, report)
  for (const { walk, inclusion } of planned) {
    // the loop's items are rendered already (and may be a host's output): never rendered again
    await walk(v.live(inclusion.hosts), { ...layer, ...inc.vars, ...asData(inclusion.loopVars) })
  }
}

/** The include's `when` on a host, per item of its loop (an error: its loop, loop_control or `when` could not be evaluated). */
function includeOutcome<H>(v: TaskVisitor<H>, inc: Include, host: H, vars: Vars): IncludeOutcome<H> {
  if (inc.loop === undefined) return { host, skipped: !v.when(inc.when, vars, inc) }
  const items = itemsUnlessSkipped(inc, vars, (c) => v.when(c, vars, inc))
  if (items === undefined) return { host, skipped: true }
  const each = [...eachItem(inc, items, vars)].map((it) => ({ item: it.item, loopVars: it.loopVars, label: itemLabel(inc, it), skipped: !v.when(inc.when, it.vars, inc) }))
  return { host, skipped: each.length > 0 && each.every((i) => i.skipped), items: each }
}

/** What an include brought in, to walk (with include_tasks' file path), or why it could not be loaded. */
type IncludedWalk<H> = { walk: (hosts: H[], layer: Vars) => Promise<void>; path?: string } | { err: unknown }

/**
 * The walk of what an include brought in, or, when the task file it names is not there, the error that
 * fails the hosts reaching it: as in Ansible, those hosts fail and the others go on. What is wrong inside
 * a file that is there (a module neither pgha nor Ansible has, a nesting past the depth bound) stops the
 * run, as Ansible's ERROR! does.
 */
function includedWalkOrFailure<H>(v: TaskVisitor<H>, inc: Include, target: IncludeTarget, after: readonly TaskNode[]): IncludedWalk<H> {
  try {
    return includedWalk(v, inc, target, after)
  } catch (err) {
    if (!(err instanceof IncludeNotFound)) throw err
    return { err }
  }
}

/** The walk of what an include brought in: the preloaded nodes when the name is the literal one, else loaded now. */
function includedWalk<H>(v: TaskVisitor<H>, inc: Include, target: IncludeTarget, after: readonly TaskNode[]): IncludedWalk<H> {
  if (inc.kind === 'include_tasks' && 'file' in target) {
    const nodes = inc.preloaded && target.file === inc.file ? inc.preloaded : loadTasksFile(target.file, inc)
    return { walk: (hosts, layer) => walkTasks(v, nodes, hosts, layer, after), path: includedTaskPath(target.file, inc) }
  }
  const { role, from } = target as { role: string; from: RoleEntryFiles }
  const inc2 = inc as IncludeRole
  const literal = inc2.preloaded && role === inc2.roleName && JSON.stringify(from) === JSON.stringify(inc2.from)
  const node = literal ? inc2.preloaded! : loadIncludedRole(inc2, role, from)
  v.included?.(node, inc2)
  return { walk: (hosts, layer) => walkRole(v, node, hosts, layer, after) }
}

/** Ansible's tag selection: --tags keeps tasks with a matching tag (plus `always`), --skip-tags removes
 * matching ones; `never` runs only when asked for by name; `tagged`/`untagged`/`all` are special. */
export function tagsSelect(taskTags: readonly string[], only: readonly string[] = [], skip: readonly string[] = []): boolean {
  const tags = new Set(taskTags)
  if (skip.some((t) => tagMatches(t, tags))) return false
  const asked = only.some((t) => t !== 'all' && tagMatches(t, tags))
  if (tags.has('never') && !asked) return false
  if (only.length === 0 || only.includes('all') || tags.has('always')) return true
  return asked
}

function tagMatches(wanted: string, tags: ReadonlySet<string>): boolean {
  if (wanted === 'all') return true
  if (wanted === 'tagged') return tags.size > 0
  if (wanted === 'untagged') return tags.size === 0
  return tags.has(wanted)
}

/**
 * The names a handler is notified by: its name (or, unnamed, its summary), for a role's handler also
 * `role : name` as Ansible accepts, and its listen topics.
 */
export function handlerTopics(handler: Task | IncludeTasks): string[] {
  const name = handler.name ?? handler.displayName
  return [name, ...(handler.role ? [`${handler.role.role.name} : ${name}`] : []), ...(handler.kind === 'task' ? handler.listen : [])]
}

/** What a task or include adds over the play's scope: its blocks', includes' and own vars, its role, its include parameters. */
export function taskLayer(node: Task | Include, layer: Vars): TaskLayer | undefined {
  const any = Object.keys(layer).length > 0 || Object.keys(node.vars).length > 0
  if (!any && !node.role && !node.params) return undefined
  return { vars: any ? { ...layer, ...node.vars } : {}, role: node.role, params: node.params }
}

/** Every condition holds (`when`, and the conditions a block or import hands down). */
export function whenHolds(conds: readonly Condition[], vars: Vars): boolean {
  return conds.every((c) => evaluateCondition(c.expr, vars, c.loc))
}

/** A loop that renders to something else than a list: the task would fail on the host. */
export class LoopNotAList extends ConfigError {}

/** The items of a task's or include's `loop` (or `with_<lookup>`), rendered with its variables. */
export function loopItems(node: Task | Include, vars: Vars): unknown[] {
  const loc = node.loopLoc ?? node.loc
  if (node.loopWith) return withLoopItems(node.loopWith, node.loop, vars, loc, node.kind === 'task' ? node.module : node.kind)
  const items = renderValue(node.loop, vars, loc)
  if (!Array.isArray(items)) throw new LoopNotAList(`loop must be a list, got ${typeof items}`, loc)
  return items
}

/**
 * The loop's items; as Ansible does, a loop naming an undefined variable (`loop: "{{ user.keys }}"` under
 * `when: user.keys is defined`) is first judged by its `when` without an item: false skips the task or
 * include (undefined), true fails it with the undefined variable.
 */
export function itemsUnlessSkipped(node: Task | Include, vars: Vars, holds: (conds: readonly Condition[]) => boolean): unknown[] | undefined {
  try {
    return loopItems(node, vars)
  } catch (err) {
    if (!(err instanceof ConfigError && err.message.includes("undefined variable '"))) throw err
    if (!holds(node.when)) return undefined
    throw err
  }
}

/** One item of a task's loop: the item, what it adds to the task's variables, and those variables. */
export interface LoopItem {
  item: unknown
  /**
   * The loop variable (loop_var, `item` by default), ansible_loop_var, index_var and ansible_index_var,
   * ansible_loop when extended: a result of the item carries them too.
   */
  loopVars: Vars
  vars: Vars
}

/** A loop_control keyword given as a template, rendered with the task's variables (as Ansible's post_validate does). */
export function loopControl<T extends boolean | number>(value: Templatable<T> | undefined, vars: Vars, kind: 'bool' | 'number'): T | undefined {
  if (value === undefined || typeof value !== 'object') return value
  const v = renderValue(value.template, vars, value.loc)
  const out = kind === 'bool' ? toBool(v) : toNumber(v)
  if (out === undefined) throw new ConfigError(`expected ${kind === 'bool' ? 'true or false' : 'a number'}, the template gave ${JSON.stringify(v)}`, value.loc)
  return out as T
}

/** The task's scope for each item in turn, made when the item's turn comes. */
export function* eachItem(task: Task | Include, items: readonly unknown[], vars: Vars): Generator<LoopItem> {
  const extended = loopControl(task.loopExtended, vars, 'bool') ?? false
  const allItems = extended && (loopControl(task.loopAllItems, vars, 'bool') ?? true)
  for (const [index, item] of items.entries()) {
    const loopVars: Vars = { [task.loopVar]: item, ansible_loop_var: task.loopVar }
    if (task.indexVar) Object.assign(loopVars, { ansible_index_var: task.indexVar, [task.indexVar]: index })
    if (extended) loopVars.ansible_loop = extendedLoop(items, index, allItems)
    yield { item, loopVars, vars: extendScope(vars, loopVars) }
  }
}

/** ansible_loop as Ansible's loop_control.extended sets it (its keys in Ansible's order). */
function extendedLoop(items: readonly unknown[], i: number, allItems: boolean): Vars {
  const n = items.length
  const out: Vars = { index: i + 1, index0: i, first: i === 0, last: i + 1 === n, length: n, revindex: n - i, revindex0: n - i - 1 }
  if (allItems) out.allitems = items
  if (i + 1 < n) out.nextitem = items[i + 1]
  if (i > 0) out.previtem = items[i - 1]
  return out
}

/** How an item is shown, as Ansible prints it: loop_control's label rendered with the item's variables, else the item, as Python's str() gives them. */
export function itemLabel(task: Task | Include, it: LoopItem): string {
  return pyStr(task.loopLabel ? renderValue(task.loopLabel, it.vars, task.locOf('loop_control.label')) : it.item)
}

const BOOL_KEYWORDS = { become: 'become', checkMode: 'check_mode', noLog: 'no_log', ignoreErrors: 'ignore_errors', runOnce: 'run_once' } as const

/**
 * The task with its keywords given as templates evaluated with `vars` (a host's, or an item's), as Ansible
 * post-validates a task before running it: booleans, retries (a non-negative integer), delay (a
 * non-negative number), environment (a mapping, over the inherited one). A bad value is a ConfigError at
 * the keyword. The same task when nothing is templated.
 */
export function resolveKeywords(task: Task, vars: Vars): Task {
  // A templated notify names its handler with the host's variables, as Ansible templates it.
  const notify = task.notify.some(isTemplated) ? task.notify.map((n, i) => (isTemplated(n) ? pyStr(renderValue(n, vars, task.locOf('notify', i))) : n)) : task.notify
  const t = task.templated
  if (!t) return notify === task.notify ? task : { ...task, notify }
  const out: Task = { ...task, notify, templated: undefined }
  const render = (tpl: KeywordTemplate): unknown => renderValue(tpl.template, vars, tpl.loc)
  const bad = (key: string, tpl: KeywordTemplate, want: string, got: unknown): ConfigError =>
    new ConfigError(`${key} must be ${want}, the template gave ${JSON.stringify(got)}`, tpl.loc)
  for (const [key, keyword] of Object.entries(BOOL_KEYWORDS) as [keyof typeof BOOL_KEYWORDS, string][]) {
    const tpl = t[key]
    if (!tpl) continue
    const v = render(tpl)
    const b = v === null || v === '' ? false : toBool(v)
    if (b === undefined) throw bad(keyword, tpl, 'true or false', v)
    out[key] = b
  }
  for (const key of ['retries', 'delay', 'async', 'poll'] as const) {
    const tpl = t[key]
    if (!tpl) continue
    const v = render(tpl)
    const n = toNumber(v)
    const integer = key !== 'delay'
    if (n === undefined || n < 0 || (integer && !Number.isInteger(n))) throw bad(key, tpl, integer ? 'a non-negative integer' : 'a non-negative number', v)
    out[key] = n
  }
  if (t.environment) {
    const env = render(t.environment)
    if (env === null || typeof env !== 'object' || Array.isArray(env)) throw bad('environment', t.environment, 'a mapping', env)
    out.environment = { ...task.environment, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, pyStr(v)])) }
  }
  return out
}

/** A task's arguments ready for its module, or why they are not (a failure of the task on that host). */
export type TaskArgs = { mod: ModuleDef; params: unknown; error?: undefined } | { error: string }

/**
 * Renders the task's arguments with `vars`, coerces them as its module's schema declares (`"0644"`,
 * `yes`), and validates them against that schema. A variable that cannot be rendered throws its error.
 */
/** The module a task runs: pgha's, or the library or Ansible module file the loader found for it. */
export function moduleOf(task: Pick<Task, 'library' | 'module'>): ModuleDef | undefined {
  return task.library ? libraryModule(task.library) : getModule(task.module)
}

export function taskArgs(task: Task, vars: Vars): TaskArgs {
  const mod = moduleOf(task)
  if (!mod) return { error: `unknown module '${task.module}'` }
  const rendered = renderArgs(task, mod, vars)
  const args = mod.namesTemplated ? renderNames(rendered, vars, task) : rendered
  const parsed = parseArgs(mod, args)
  if (parsed.error) return { error: `invalid arguments for ${mod.name}: ${formatZodIssues(parsed.error)}` }
  return { mod, params: parsed.params }
}

/** The task's arguments rendered, but for those its module evaluates as expressions itself (kept as written). */
function renderArgs(task: Task, mod: ModuleDef, vars: Vars): Record<string, unknown> {
  const kept = (mod.expressionArgs ?? []).filter((k) => Object.hasOwn(task.args, k))
  if (kept.length === 0) return removeOmit(renderValue(task.args, vars, task.argsLoc ?? task.loc)) as Record<string, unknown>
  const rest = Object.fromEntries(Object.entries(task.args).filter(([k]) => !kept.includes(k)))
  const rendered = removeOmit(renderValue(rest, vars, task.argsLoc ?? task.loc)) as Record<string, unknown>
  return { ...rendered, ...Object.fromEntries(kept.map((k) => [k, task.args[k]])) }
}

/** The arguments with each templated name rendered (where the task writes that name, for its errors). */
function renderNames(args: Record<string, unknown>, vars: Vars, task: Task): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [isTemplated(k) ? String(renderValue(k, vars, task.locOf(`args.${k}`))) : k, v]))
}

/** zod's issues as one line a user can act on: `mode: expected string, received number; dest: required`. */
export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.') || '(arguments)'
      if (i.code === 'unrecognized_keys') return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`
      if (i.code === 'invalid_type' && i.input === undefined) return `${path}: required`
      return `${path}: ${i.message}`
    })
    .join('; ')
}
