// Which keywords each kind of node accepts, and how the shared ones are read.
import { KeywordReader, isTemplated } from './reader.js'
import type { LoopFields, TaskSettings } from './types.js'
import { didYouMean } from './suggest.js'

export const SETTING_KEYWORDS = ['become', 'become_user', 'check_mode', 'no_log', 'ignore_errors', 'run_once', 'delegate_to', 'environment']

export const TASK_KEYWORDS = new Set([
  'name', 'args', 'when', 'loop', 'loop_control', 'register', 'notify', 'changed_when', 'failed_when',
  'tags', 'timeout', 'retries', 'until', 'delay', 'vars', 'listen', ...SETTING_KEYWORDS,
])
export const BLOCK_KEYWORDS = new Set(['block', 'rescue', 'always', 'name', 'when', 'tags', 'vars', ...SETTING_KEYWORDS])
export const INCLUDE_KEYWORDS = new Set(['name', 'when', 'loop', 'loop_control', 'tags', 'vars'])
export const IMPORT_KEYWORDS = new Set(['name', 'when', 'tags', 'vars', ...SETTING_KEYWORDS])
export const LOOP_CONTROL_KEYWORDS = new Set(['label', 'loop_var', 'index_var'])
export const PLAY_KEYWORDS = new Set([
  'name', 'hosts', 'vars', 'vars_files', 'become', 'become_user', 'gather_facts', 'gather_subset', 'serial', 'any_errors_fatal',
  'max_fail_percentage', 'pre_tasks', 'roles', 'tasks', 'post_tasks', 'handlers', 'tags', 'collections',
])
export const IMPORT_PLAYBOOK_KEYWORDS = new Set(['import_playbook', 'name', 'when', 'tags', 'vars'])

/** Ansible keywords pgha deliberately does not take, with what to write instead. */
export const UNSUPPORTED: Record<string, string> = {
  with_items: "with_items is not supported; use 'loop'",
  with_list: "with_list is not supported; use 'loop'",
  with_dict: "with_dict is not supported; use 'loop' over a list of mappings",
  with_fileglob: "with_fileglob is not supported; use 'loop'",
  include: "'include' is not supported; use 'include_tasks' or 'import_tasks'",
  become_method: 'become_method is not supported: pgha always becomes through sudo',
  local_action: "local_action is not supported; use 'delegate_to: localhost'",
  action: "'action' is not supported; write the module as the key (copy: ...)",
}

/** Ansible names `include_tasks` etc. also by FQCN. */
export function canonical(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, '')
}

/** The keywords a block, import_tasks or task can hand down. */
export function readSettings(r: KeywordReader): TaskSettings {
  const s: TaskSettings = {
    become: r.bool('become'),
    becomeUser: r.string('become_user'),
    checkMode: r.bool('check_mode'),
    noLog: r.bool('no_log'),
    ignoreErrors: r.bool('ignore_errors'),
    runOnce: r.bool('run_once'),
    delegateTo: r.string('delegate_to'),
    environment: r.environment(),
  }
  for (const k of Object.keys(s) as (keyof TaskSettings)[]) if (s[k] === undefined) delete s[k]
  return s
}

/** The keyword each setting is written as, to tell a task's own value from an inherited one. */
export const SETTING_KEYWORD: Record<keyof TaskSettings, string> = {
  become: 'become',
  becomeUser: 'become_user',
  checkMode: 'check_mode',
  noLog: 'no_log',
  ignoreErrors: 'ignore_errors',
  runOnce: 'run_once',
  delegateTo: 'delegate_to',
  environment: 'environment',
}

/** Reports keys that are not in `allowed`, with a suggestion or the supported alternative. */
export function reportUnknownKeys(r: KeywordReader, allowed: ReadonlySet<string>, where: string, ignore: ReadonlySet<string> = new Set()): void {
  for (const key of Object.keys(r.node)) {
    if (allowed.has(key) || ignore.has(key)) continue
    const hint = UNSUPPORTED[key]
    r.problems.add(hint ?? `unknown keyword '${key}' in ${where}${didYouMean(key, allowed)}`, r.keyLoc(key))
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** A keyword naming a variable (register, loop_var, index_var). */
export function readIdentifier(r: KeywordReader, key: string): string | undefined {
  const v = r.string(key)
  if (v !== undefined && !IDENTIFIER.test(v)) return r.bad(key, 'a variable name (letters, digits, _)')
  return v
}

/** `loop` (a list, or a template that renders to one) and `loop_control`. */
export function readLoop(r: KeywordReader): LoopFields {
  let loop: unknown = r.node.loop ?? undefined
  if (loop !== undefined && !Array.isArray(loop) && !isTemplated(loop)) {
    loop = r.bad('loop', 'a list or a template such as "{{ packages }}"')
  }
  const out: LoopFields = { loop, loopLoc: loop === undefined ? undefined : r.loc('loop'), loopVar: 'item' }
  const control = r.mapping('loop_control')
  if (!control) return out
  if (!r.has('loop')) r.problems.add('loop_control without loop', r.keyLoc('loop_control'))
  const c = new KeywordReader(control, r.problems, r.loc('loop_control'))
  reportUnknownKeys(c, LOOP_CONTROL_KEYWORDS, 'loop_control')
  out.loopVar = readIdentifier(c, 'loop_var') ?? 'item'
  out.loopLabel = c.string('label')
  out.indexVar = readIdentifier(c, 'index_var')
  for (const [k, v] of c.locs) r.locs.set(`loop_control.${k}`, v)
  return out
}
