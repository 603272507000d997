// Load-time inheritance, as Ansible does it for static structure: a block's or import's conditions, tags,
// vars and settings reach every task inside (a task's own value wins); an include_tasks passes tags,
// vars and settings (not its condition, which gates the include itself) to the tasks it includes.
import type { SourceLocation } from '../errors.js'
import { locOf } from '../yaml-source.js'
import type { KeywordReader } from './reader.js'
import { SETTING_KEYWORD } from './keywords.js'
import type { Condition, Inherited, TaskNode, TaskSettings, Vars } from './types.js'

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

export function applyInherited(nodes: TaskNode[], inh: Inherited): void {
  for (const node of nodes) applyToNode(node, inh)
}

function applyToNode(node: TaskNode, inh: Inherited): void {
  node.when = [...inh.when, ...node.when]
  node.tags = union(node.tags, inh.tags)
  node.vars = mergeVars(inh.vars, node.vars)
  if (node.kind === 'include_tasks') {
    const own = node.inherit
    node.inherit = { ...own, tags: union(own.tags, inh.tags), vars: mergeVars(inh.vars, own.vars), settings: mergeSettings(own.settings, inh.settings) }
    if (node.preloaded) applyInherited(node.preloaded, { ...inh, when: [] })
    return
  }
  for (const key of Object.keys(inh.settings) as (keyof TaskSettings)[]) {
    if (key === 'environment') node.environment = { ...inh.settings.environment, ...node.environment }
    // Inner scopes are applied first (a block's settings at parse time), so an outer value only fills
    // what neither the task nor an enclosing block set.
    else if (!node.keywords.has(SETTING_KEYWORD[key]) && (node as TaskSettings)[key] === undefined) (node as TaskSettings)[key] = inh.settings[key] as never
  }
  if (node.kind === 'block') for (const list of [node.block, node.rescue, node.always]) applyInherited(list, inh)
}

function mergeSettings(own: TaskSettings, outer: TaskSettings): TaskSettings {
  const env = outer.environment || own.environment ? { ...outer.environment, ...own.environment } : undefined
  return { ...outer, ...own, ...(env ? { environment: env } : {}) }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])]
}
