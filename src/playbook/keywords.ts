// Which keywords each kind of node accepts, and how the shared ones are read.
import { KeywordReader, isTemplated } from './reader.js'
import type { Inherited, LoopFields, TaskSettings, TemplatedKeyword, TemplatedKeywords } from './types.js'
import { closest, didYouMean, meant } from './suggest.js'
import { lookupKey, lookupNames } from '../vars/index.js'

export const SETTING_KEYWORDS = [
  'become', 'become_user', 'check_mode', 'no_log', 'ignore_errors', 'run_once', 'delegate_to', 'environment', 'any_errors_fatal',
  'become_method', 'debugger', 'remote_user', 'connection', 'ignore_unreachable', 'diff',
]

export const TASK_KEYWORDS = new Set([
  'name', 'args', 'when', 'loop', 'loop_control', 'register', 'notify', 'changed_when', 'failed_when',
  'tags', 'timeout', 'retries', 'until', 'delay', 'vars', 'listen', 'throttle', 'async', 'poll', 'delegate_facts', ...SETTING_KEYWORDS,
])
export const BLOCK_KEYWORDS = new Set(['block', 'rescue', 'always', 'name', 'when', 'tags', 'vars', 'notify', ...SETTING_KEYWORDS])
export const INCLUDE_KEYWORDS = new Set(['name', 'when', 'loop', 'loop_control', 'tags', 'vars'])
export const IMPORT_KEYWORDS = new Set(['name', 'when', 'tags', 'vars', ...SETTING_KEYWORDS])
export const LOOP_CONTROL_KEYWORDS = new Set(['label', 'loop_var', 'index_var', 'pause', 'extended', 'extended_allitems'])
export const PLAY_KEYWORDS = new Set([
  'name', 'hosts', 'vars', 'vars_files', 'become', 'become_user', 'gather_facts', 'gather_subset', 'serial', 'any_errors_fatal',
  'max_fail_percentage', 'pre_tasks', 'roles', 'tasks', 'post_tasks', 'handlers', 'tags', 'collections',
  'environment', 'check_mode', 'no_log', 'ignore_errors', 'become_method', 'debugger', 'strategy', 'order', 'remote_user', 'connection',
  'vars_prompt', 'ignore_unreachable', 'diff',
])
export const IMPORT_PLAYBOOK_KEYWORDS = new Set(['import_playbook', 'name', 'when', 'tags', 'vars'])

/** Ansible keywords pgha deliberately does not take, with what to write instead. */
export const UNSUPPORTED: Record<string, string> = {
  become_flags: 'become_flags is not supported: pgha becomes with sudo -n -u USER',
  become_exe: 'become_exe is not supported: pgha becomes with sudo',
  module_defaults: 'module_defaults is not supported: give the arguments on each task',
  port: 'port is not supported: set ansible_port for the hosts (in the inventory, host_vars or group_vars)',
  force_handlers: 'force_handlers is not supported: handlers run when the play ends without a failure; to run them before a task that may fail, put `- meta: flush_handlers` before it',
  fact_path: 'fact_path is not supported: pgha reads no local facts (facts.d); read such a file with slurp or include_vars',
  gather_timeout: 'gather_timeout is not supported: remove it (pgha gathers the facts in one command per host, bounded by --timeout)',
}

/** Keywords Ansible takes on a play that pgha takes on its tasks (and blocks, for run_once) instead. */
const TASK_LEVEL: Record<string, string> = {
  run_once: 'run_once is not taken on a play: set it on its tasks or blocks',
  throttle: 'throttle is not taken on a play: set it on its tasks',
  timeout: 'timeout is not taken on a play: set it on its tasks',
}

/** Ansible names `include_tasks` etc. also by FQCN. */
export function canonical(name: string): string {
  return name.replace(/^ansible\.(builtin|legacy)\./, '')
}

/** The ways to become that pgha has: sudo, which Ansible uses by default. */
const BECOME_METHODS = ['sudo']

/** become_method (sudo only) and debugger (no debugger: accepted, with a note), checked where written. */
function checkAccepted(r: KeywordReader): void {
  const method = r.string('become_method')
  if (method !== undefined && !BECOME_METHODS.includes(method)) {
    r.problems.add(`become_method '${method}' is not supported: pgha becomes through sudo (become_method: sudo)`, r.loc('become_method'))
  }
  if (r.has('debugger')) r.problems.warn('debugger is accepted and ignored: pgha has no interactive debugger', r.keyLoc('debugger'))
}

/** `connection`: the transports pgha has (smart and paramiko are ssh, as for ansible_connection). */
function readConnection(r: KeywordReader): string | undefined {
  const v = r.string('connection')
  if (v === undefined || isTemplated(v) || ['local', 'ssh', 'smart', 'paramiko'].includes(v)) return v
  return r.bad('connection', "local or ssh (pgha's transports)")
}

/** The keywords a block, import_tasks or task can hand down; a template is kept for the engine (`templated`). */
export function readSettings(r: KeywordReader): TaskSettings {
  checkAccepted(r)
  const templated: TemplatedKeywords = {}
  const bool = (key: string, setting: TemplatedKeyword): boolean | undefined => {
    const t = r.template(key)
    if (t) templated[setting] = t
    return t ? undefined : r.bool(key)
  }
  const envTemplate = r.template('environment')
  if (envTemplate) templated.environment = envTemplate
  const s: TaskSettings = {
    become: bool('become', 'become'),
    becomeUser: r.string('become_user'),
    checkMode: bool('check_mode', 'checkMode'),
    noLog: bool('no_log', 'noLog'),
    ignoreErrors: bool('ignore_errors', 'ignoreErrors'),
    runOnce: bool('run_once', 'runOnce'),
    delegateTo: r.string('delegate_to'),
    environment: envTemplate ? undefined : r.environment(),
    anyErrorsFatal: r.bool('any_errors_fatal'),
    remoteUser: r.string('remote_user'),
    connection: readConnection(r),
    ignoreUnreachable: r.bool('ignore_unreachable'),
    diff: r.bool('diff'),
  }
  if (Object.keys(templated).length > 0) s.templated = templated
  for (const k of Object.keys(s) as (keyof TaskSettings)[]) if (s[k] === undefined) delete s[k]
  return s
}

/** `apply:` of include_role and include_tasks: block keywords handed to every task the include brings in. */
export function readApply(r: KeywordReader): Inherited {
  reportUnknownKeys(r, new Set([...BLOCK_KEYWORDS].filter((k) => !['block', 'rescue', 'always', 'name', 'notify'].includes(k))), 'apply')
  return { when: r.conditions('when') ?? [], tags: r.strings('tags', true), vars: r.vars(), settings: readSettings(r) }
}

/** The keyword each setting is written as, to tell a task's own value from an inherited one. */
export const SETTING_KEYWORD: Record<Exclude<keyof TaskSettings, 'templated'>, string> = {
  become: 'become',
  becomeUser: 'become_user',
  checkMode: 'check_mode',
  noLog: 'no_log',
  ignoreErrors: 'ignore_errors',
  runOnce: 'run_once',
  delegateTo: 'delegate_to',
  environment: 'environment',
  anyErrorsFatal: 'any_errors_fatal',
  remoteUser: 'remote_user',
  connection: 'connection',
  ignoreUnreachable: 'ignore_unreachable',
  diff: 'diff',
}

/** Reports keys that are not in `allowed`, with a suggestion or the supported alternative. */
export function reportUnknownKeys(r: KeywordReader, allowed: ReadonlySet<string>, where: string, ignore: ReadonlySet<string> = new Set()): void {
  for (const key of Object.keys(r.node)) {
    if (allowed.has(key) || ignore.has(key)) continue
    // a node that loops takes `with_<lookup>`, which readLoop checks
    if (allowed.has('loop') && isWithLoop(key)) continue
    const hint = UNSUPPORTED[key] ?? (where === 'a play' ? TASK_LEVEL[key] : undefined)
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

/** `with_items`, `with_dict`...: Ansible's older loops, each the lookup of that name. */
export const isWithLoop = (key: string): boolean => key.startsWith('with_')

/** The `with_<lookup>` key of a node, checked: one loop only, and a lookup pgha has. */
function readWith(r: KeywordReader): { key: string; lookup: string } | undefined {
  const keys = Object.keys(r.node).filter(isWithLoop)
  if (keys.length === 0) return undefined
  for (const extra of keys.slice(1)) r.problems.add(`a task loops once, but this one has both '${keys[0]}' and '${extra}'`, r.keyLoc(extra))
  if (r.has('loop')) r.problems.add(`a task loops once, but this one has both 'loop' and '${keys[0]}'`, r.keyLoc(keys[0]))
  // with_community.general.flattened, with_ansible.builtin.items: the lookup by the name pgha has it under
  const lookup = lookupKey(keys[0].slice('with_'.length))
  const names = lookupNames()
  if (!names.includes(lookup)) {
    const hint = meant(closest(lookup, names).map((c) => `with_${c.name}`)) || ` (it has ${names.map((n) => `with_${n}`).join(', ')})`
    r.problems.add(`unknown loop '${keys[0]}': pgha has no lookup '${lookup}'${hint}`, r.keyLoc(keys[0]))
    return undefined
  }
  return { key: keys[0], lookup }
}

/** `loop` (a list, or a template that renders to one), `with_<lookup>` (its terms), and `loop_control`. */
export function readLoop(r: KeywordReader): LoopFields {
  let loop: unknown = r.node.loop ?? undefined
  if (loop !== undefined && !Array.isArray(loop) && !isTemplated(loop)) {
    loop = r.bad('loop', 'a list or a template such as "{{ packages }}"')
  }
  const out: LoopFields = { loop, loopLoc: loop === undefined ? undefined : r.loc('loop'), loopVar: 'item' }
  const w = readWith(r)
  if (w && loop === undefined) {
    // Ansible reads an empty `with_items:` as no items.
    Object.assign(out, { loop: r.node[w.key] ?? [], loopWith: w.lookup, loopLoc: r.loc(w.key) })
    r.locs.set('loop', r.loc(w.key))
  }
  const control = r.mapping('loop_control')
  if (!control) return out
  const c = new KeywordReader(control, r.problems, r.loc('loop_control'))
  reportUnknownKeys(c, LOOP_CONTROL_KEYWORDS, 'loop_control')
  // Ansible reads loop_control only when it loops: without a loop it is ignored (public roles keep it on
  // tasks of a file that an include loops over), so only its keys are checked.
  if (out.loop === undefined) return out
  out.loopVar = readIdentifier(c, 'loop_var') ?? 'item'
  out.loopLabel = c.string('label')
  out.indexVar = readIdentifier(c, 'index_var')
  out.loopPause = c.templatedNumber('pause', { min: 0 })
  out.loopExtended = c.templatedBool('extended')
  out.loopAllItems = c.templatedBool('extended_allitems')
  for (const [k, v] of c.locs) r.locs.set(`loop_control.${k}`, v)
  return out
}
