// Load-time inheritance, as Ansible does it for static structure: a block's or import's conditions, tags,
// vars and settings reach every task inside (a task's own value wins); an include_tasks passes tags,
// vars and settings (not its condition, which gates the include itself) to the tasks it includes.
import type { SourceLocation } from '../errors.js'
import { locOf } from '../yaml-source.js'
import type { KeywordReader } from './reader.js'
import { SETTING_KEYWORD } from './keywords.js'
import type { Block, Condition, Inherited, KeywordTemplate, Task, TaskNode, TaskSettings, TemplatedKeyword, TemplatedKeywords, Vars } from './types.js'

export const nothingInherited = (): Inherited => ({ when: [], tags: [], vars: {}, settings: {} })

/** The node's locOf: conditions by index (inherited ones included), other keys from the reader. */
export function nodeLocator(node: { when: Condition[] }, r: KeywordReader): (key: string, index?: number) => SourceLocation {
  const rest = r.locator()
  return (key, index) => (key === 'when' && index !== undefined ? node.when[index]?.loc : undefined) ?? rest(key, index)
}

const varSources = new WeakMap<Vars, Vars[]>()

/** `inner` over `outer`, remembering both so each variable's position can still be found. */
export function mergeVars(outer: Vars, inner: Vars): Vars {
  if (Object.keys(outer).length === 0) return inner
  const merged = { ...outer, ...inner }
  varSources.set(merged, [inner, ...(varSources.get(inner) ?? []), outer, ...(varSources.get(outer) ?? [])])
  return merged
}

/** Where a variable of a (possibly merged) vars mapping is written. */
export function varLoc(vars: Vars, key: string): SourceLocation | undefined {
  for (const source of [vars, ...(varSources.get(vars) ?? [])]) {
    const loc = key in source ? locOf(source, key) : undefined
    if (loc) return loc
  }
  return undefined
}

/** The settings an enclosing scope gave each node. */
const filled = new WeakMap<TaskNode, Set<keyof TaskSettings>>()

/** A task's settings that read false when nothing sets them (task.ts): false is then no scope's value. */
const DEFAULTED: ReadonlySet<keyof TaskSettings> = new Set(['ignoreErrors', 'noLog', 'runOnce'])

/** Neither an inner scope nor the node itself (local_action's delegate_to) has given the setting a value. */
function unset(node: TaskNode, key: keyof TaskSettings): boolean {
  if (filled.get(node)?.has(key)) return false
  return (node as TaskSettings)[key] === undefined || DEFAULTED.has(key)
}

export function applyInherited(nodes: TaskNode[], inh: Inherited): void {
  for (const node of nodes) applyToNode(node, inh)
}

function applyToNode(node: TaskNode, inh: Inherited): void {
  node.when = [...inh.when, ...node.when]
  node.tags = union(node.tags, inh.tags)
  node.vars = mergeVars(inh.vars, node.vars)
  if (inh.params && Object.keys(inh.params).length > 0) node.params = mergeVars(inh.params, node.params ?? {})
  if (node.kind === 'include_tasks' || node.kind === 'include_role') {
    const own = node.inherit
    const params = inh.params || own.params ? mergeVars(inh.params ?? {}, own.params ?? {}) : undefined
    node.inherit = { ...own, tags: union(own.tags, inh.tags), vars: mergeVars(inh.vars, own.vars), settings: mergeSettings(own.settings, inh.settings), params }
    if (node.kind === 'include_tasks' && node.preloaded) applyInherited(node.preloaded, { ...inh, when: [] })
    if (node.kind === 'include_role' && node.preloaded) applyInherited([node.preloaded], { ...inh, when: [] })
    return
  }
  if (node.kind === 'role') {
    // A role's node only groups its tasks: what reaches it reaches them (its dependencies' too).
    applyInherited(node.dependencies, inh)
    applyInherited(node.tasks, inh)
    return
  }
  for (const key of Object.keys(inh.settings) as (keyof TaskSettings)[]) {
    if (key === 'templated') inheritTemplated(node, inh.settings.templated!)
    else if (key === 'environment') node.environment = { ...inh.settings.environment, ...node.environment }
    // Inner scopes are applied first (a block's settings at parse time), so an outer value only fills
    // what neither the task nor an enclosing block set.
    else if (!node.keywords.has(SETTING_KEYWORD[key]) && unset(node, key)) {
      ;(node as TaskSettings)[key] = inh.settings[key] as never
      filled.set(node, new Set([...(filled.get(node) ?? []), key]))
    }
  }
  if (node.kind === 'block') for (const list of [node.block, node.rescue, node.always]) applyInherited(list, inh)
}

/** A keyword an enclosing node gives as a template reaches a task that sets it neither way itself. */
function inheritTemplated(node: Task | Block, outer: TemplatedKeywords): void {
  for (const [key, t] of Object.entries(outer) as [TemplatedKeyword, KeywordTemplate][]) {
    // Task-only keywords (retries, delay, async, poll) are not handed down.
    if (!(key in SETTING_KEYWORD) || node.templated?.[key]) continue
    const setting = key as keyof typeof SETTING_KEYWORD
    if (node.keywords.has(SETTING_KEYWORD[setting]) || (node as TaskSettings)[setting] !== undefined) continue
    node.templated = { ...node.templated, [key]: t }
  }
}

function mergeSettings(own: TaskSettings, outer: TaskSettings): TaskSettings {
  const env = outer.environment || own.environment ? { ...outer.environment, ...own.environment } : undefined
  const templated = outer.templated || own.templated ? { ...outer.templated, ...own.templated } : undefined
  return { ...outer, ...own, ...(env ? { environment: env } : {}), ...(templated ? { templated } : {}) }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])]
}
