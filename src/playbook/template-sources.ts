// What the engine's pre-flight check needs to report undefined variables before any host is contacted:
// every string that will be rendered (templates) or evaluated (conditions) with the names it reads and
// the names only that place defines (loop variables, the task's own result), and the variables that
// come into being at run time (register, set_fact).
import type { SourceLocation } from '../errors.js'
import { locOf } from '../yaml-source.js'
import { conditionGuards, expressionVariables, parseExpression, templateVariables } from '../vars/index.js'
import { varLoc } from './inherit.js'
import { isMapping, isTemplated } from './reader.js'
import type { Play, Playbook, Role, TaskNode, Vars } from './types.js'
import { walkPlay } from './walk.js'

export interface TemplateSource {
  /** `template`: Jinja2 text; `expression`: a condition (when, changed_when, failed_when, until). */
  kind: 'template' | 'expression'
  text: string
  loc: SourceLocation
  play: Play
  /** Absent for play-level values (play vars). */
  task?: TaskNode
  /** What the text is: `name`, `args.dest`, `args.lines.2`, `loop`, `vars.pg_port`, `when`, ... */
  key: string
  /** Root variable names the text reads (names only tested with `is defined` are left out). */
  variables: string[]
  /** Names defined only here: loop variables, the task's vars, its result in changed_when/failed_when/until. */
  local: ReadonlySet<string>
  /** The role whose own text this is (its tasks, handlers, defaults or vars), if any. */
  role?: Role
}

type Raw = Omit<TemplateSource, 'variables'>

/** Names changed_when, failed_when and until see besides the registered result. */
const RESULT_NAMES = ['rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'changed', 'failed', 'msg']
/** What a rescue section sees about the failure it handles. */
const RESCUE_NAMES = ['ansible_failed_task', 'ansible_failed_result']

/**
 * Every templated string and condition of the playbook (a block's condition or vars handed down to its
 * tasks is yielded for the block only). Syntax errors were reported by loadPlaybook.
 */
export function* collectTemplateSources(playbook: Playbook): Generator<TemplateSource> {
  // unparsable text is reported by loadPlaybook's syntax check
  for (const { raw, variables } of parsedSources(playbook)) yield { ...raw, variables: [...variables] }
}

/** A source, the names it reads ([] when it does not parse) and why it does not parse. */
export interface ParsedSource {
  raw: Raw
  variables: readonly string[]
  error?: unknown
}

/**
 * Each playbook's sources, parsed once: loadPlaybook's syntax check and the engine's pre-flight check both
 * read every one (site.yml: 454 texts), and nothing changes a playbook once it is loaded.
 */
const parsed = new WeakMap<Playbook, readonly ParsedSource[]>()

export function parsedSources(playbook: Playbook): readonly ParsedSource[] {
  let list = parsed.get(playbook)
  if (!list) {
    list = [...rawSources(playbook)].map((raw): ParsedSource => {
      try {
        return { raw, variables: variablesOf(raw) }
      } catch (error) {
        return { raw, variables: [], error }
      }
    })
    parsed.set(playbook, list)
  }
  return list
}

/** The root names a source reads; throws ConfigError at the exact position of a syntax error. */
export function variablesOf(s: Pick<TemplateSource, 'kind' | 'text' | 'loc' | 'key'>): string[] {
  return s.kind === 'template' ? templateVariables(s.text, s.loc) : expressionVariables(parseExpression(s.text, s.loc, s.key))
}

export function* rawSources(playbook: Playbook): Generator<Raw> {
  const seen = new Map<string, ReadonlySet<string>[]>()
  for (const play of playbook.plays) {
    const all = [
      ...varsStrings(play.vars, play.loc).map((s) => ({ kind: 'template' as const, play, local: new Set<string>(), ...s })),
      ...rolesOf(play).flatMap((role) => roleVarsStrings(role).map((s) => ({ kind: 'template' as const, play, local: new Set<string>(), ...s, role: s.own ? role : undefined }))),
      ...[play.preTasks, play.tasks, play.postTasks, play.handlers].flatMap((list) => nodesSources(list, play, new Set())),
    ]
    for (const s of all) {
      // Text seen before where no more names were defined says nothing new (a block's inherited condition).
      const id = `${s.loc.file}:${s.loc.line}:${s.loc.col}:${s.key}:${s.text}`
      const before = seen.get(id) ?? []
      if (before.some((names) => [...names].every((n) => s.local.has(n)))) continue
      seen.set(id, [...before, s.local])
      yield s
    }
  }
}

function nodesSources(nodes: readonly TaskNode[], play: Play, outer: ReadonlySet<string>): Raw[] {
  return nodes.flatMap((node) => nodeSources(node, play, outer))
}

function nodeSources(node: TaskNode, play: Play, outer: ReadonlySet<string>): Raw[] {
  // A role's node only groups its tasks (the role's variables are the play's sources).
  if (node.kind === 'role') return nodesSources([...node.dependencies, ...node.tasks], play, outer)
  const out: Raw[] = []
  // A task runs only when its conditions hold: `when: users is defined` lets its loop, arguments and
  // what it includes read users (Ansible tests the condition first when the loop cannot be rendered).
  const local = new Set([...outer, ...Object.keys(node.vars), ...guardsOf(node.when)])
  const looped = new Set(local)
  if (node.kind !== 'block' && node.loop !== undefined) {
    looped.add(node.loopVar).add('ansible_loop_var')
    if (node.indexVar) looped.add(node.indexVar).add('ansible_index_var')
    if (node.loopExtended !== undefined && node.loopExtended !== false) looped.add('ansible_loop')
  }
  const template = (value: unknown, key: string, names: ReadonlySet<string>): void => {
    for (const s of deepStrings(value, key, () => node.locOf(key))) out.push({ kind: 'template', play, task: node, local: names, ...s })
  }
  for (const s of varsStrings(node.vars, node.loc)) out.push({ kind: 'template', play, task: node, local: outer, ...s })
  template(node.name, 'name', local)
  for (const c of node.when) out.push({ kind: 'expression', text: c.expr, loc: c.loc, play, task: node, key: 'when', local: looped })
  if (node.kind === 'block') {
    template(node.becomeUser, 'become_user', local)
    template(node.delegateTo, 'delegate_to', local)
    template(node.environment, 'environment', local)
    out.push(...nodesSources(node.block, play, outer), ...nodesSources(node.always, play, outer))
    out.push(...nodesSources(node.rescue, play, new Set([...outer, ...RESCUE_NAMES])))
    return out
  }
  // first_found leaves out the terms whose variables are undefined, as Ansible does
  if (node.loopWith !== 'first_found') template(node.loop, 'loop', local)
  template(node.loopLabel, 'loop_control.label', looped)
  if (node.kind === 'include_tasks') {
    template(node.file, 'file', looped)
    if (node.preloaded) out.push(...nodesSources(node.preloaded, play, looped))
    return out
  }
  if (node.kind === 'include_role') {
    template(node.roleName, 'args.name', looped)
    for (const [k, v] of Object.entries(node.from)) template(v, `args.${k}_from`, looped)
    if (node.preloaded) out.push(...nodeSources(node.preloaded, play, looped))
    return out
  }
  for (const [k, v] of Object.entries(node.args)) template(v, `args.${k}`, looped)
  template(node.becomeUser, 'become_user', looped)
  template(node.delegateTo, 'delegate_to', looped)
  template(node.environment, 'environment', looped)
  const judged = new Set([...looped, ...RESULT_NAMES, ...(node.register ? [node.register] : [])])
  const conditions: [string, { expr: string; loc: SourceLocation }[]][] = [
    ['changed_when', node.changedWhen ?? []],
    ['failed_when', node.failedWhen ?? []],
    ['until', node.until ? [node.until] : []],
  ]
  for (const [key, list] of conditions) {
    for (const c of list) out.push({ kind: 'expression', text: c.expr, loc: c.loc, play, task: node, key, local: judged })
  }
  return out
}

/** The names a node's conditions prove defined (a condition that does not parse proves nothing). */
function guardsOf(when: readonly { expr: string }[]): string[] {
  return when.flatMap((c) => {
    try {
      return conditionGuards(c.expr)
    } catch {
      return []
    }
  })
}

/** Every role a play's tasks use, dependencies and literal include_role's included, each once. */
export function rolesOf(play: Play): Role[] {
  const roles = new Set<Role>()
  const add = (role: Role): void => {
    if (roles.has(role)) return
    roles.add(role)
    role.dependencies.forEach(add)
  }
  play.roles.forEach(add)
  for (const node of walkPlay(play)) if (node.kind === 'role') add(node.runs.role)
  return [...roles]
}

/** The templated strings of a role's defaults, vars, and the vars and parameters of its use. */
function roleVarsStrings(role: Role): { text: string; key: string; loc: SourceLocation; own: boolean }[] {
  const at = role.loc
  const own = (s: { text: string; key: string; loc: SourceLocation }[], isOwn: boolean) => s.map((x) => ({ ...x, own: isOwn }))
  return [
    ...own(varsStrings(role.defaults, { file: `${role.path}/defaults`, line: 1, col: 1 }), true),
    ...own(varsStrings(role.vars, { file: `${role.path}/vars`, line: 1, col: 1 }), true),
    // what the play writes where it uses the role is the play's text
    ...own(varsStrings(role.keywordVars, at), false),
    ...own(varsStrings(role.params, at), false),
  ]
}

function varsStrings(vars: Vars, fallback: SourceLocation): { text: string; key: string; loc: SourceLocation }[] {
  return Object.entries(vars).flatMap(([k, v]) => deepStrings(v, `vars.${k}`, () => varLoc(vars, k) ?? fallback))
}

/** Every templated string inside a value, with the deepest position YAML recorded for it. */
/** `loc` gives where `value` is written, looked up only for a value that holds a template (most hold none). */
function deepStrings(value: unknown, key: string, loc: () => SourceLocation): { text: string; key: string; loc: SourceLocation }[] {
  if (isTemplated(value)) return [{ text: value as string, key, loc: loc() }]
  if (Array.isArray(value)) return value.flatMap((v, i) => deepStrings(v, `${key}.${i}`, () => locOf(value, i) ?? loc()))
  if (isMapping(value)) return Object.entries(value).flatMap(([k, v]) => deepStrings(v, `${key}.${k}`, () => locOf(value, k) ?? loc()))
  return []
}

/** Variables that exist only once tasks have run: every `register` and literal `set_fact` name. */
export function definedAtRunTime(playbook: Playbook): Set<string> {
  return new Set([...registeredNames(playbook), ...setFactNames(playbook)])
}

/** Variables defined by `register` anywhere in the playbook. */
export function registeredNames(playbook: Playbook): Set<string> {
  const names = new Set<string>()
  for (const play of playbook.plays) for (const node of walkPlay(play)) if (node.kind === 'task' && node.register) names.add(node.register)
  return names
}

/** Variables defined by `set_fact` tasks with literal names (`cacheable` is an option, not a variable). */
export function setFactNames(playbook: Playbook): Set<string> {
  const names = new Set<string>()
  for (const play of playbook.plays) {
    for (const node of walkPlay(play)) {
      if (node.kind !== 'task' || node.module !== 'set_fact') continue
      for (const k of Object.keys(node.args)) if (k !== 'cacheable' && !isTemplated(k)) names.add(k)
    }
  }
  return names
}
