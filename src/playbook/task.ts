// One task: exactly one module key plus keywords.
import type { ModuleDef } from '../modules/index.js'
import { summarizeArgs } from './free-form.js'
import { nodeLocator } from './inherit.js'
import {
  TASK_KEYWORDS, UNSUPPORTED, isWithLoop, readIdentifier, readLoop, readSettings,
} from './keywords.js'
import { baseFields, roleTaskName, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import { closest, didYouMean, meant, nearest } from './suggest.js'
import { actionModule, readTaskArgs } from './task-args.js'
import type { Condition, Task } from './types.js'
import type { SourceLocation } from '../errors.js'
import { libraryDirs } from './library-path.js'
import { isAnsibleModule } from './ansible-module-names.js'

export function parseTask(r: KeywordReader, ctx: ParseContext): Task | undefined {
  const module = findModule(r, ctx)
  if (!ctx.handler && r.has('listen')) r.problems.add('listen is only valid on handlers', r.keyLoc('listen'))
  const loop = readLoop(r)
  const until = joinConditions(r.conditions('until'))
  const settings = readSettings(r)
  const common = baseFields(r, ctx)
  const { name } = common
  const base = {
    kind: 'task' as const,
    ...common,
    ...loop,
    register: readIdentifier(r, 'register'),
    notify: r.strings('notify'),
    changedWhen: r.conditions('changed_when'),
    failedWhen: r.conditions('failed_when'),
    until,
    retries: r.template('retries') ? 3 : (r.number('retries', { integer: true, min: 0 }) ?? 3),
    delay: r.template('delay') ? 5 : (r.number('delay', { min: 0 }) ?? 5),
    timeout: r.number('timeout', { positive: true }),
    async: r.template('async') ? 0 : (r.number('async', { integer: true, min: 0 }) ?? 0),
    poll: r.template('poll') ? ASYNC_POLL : (r.number('poll', { integer: true, min: 0 }) ?? ASYNC_POLL),
    throttle: r.number('throttle', { integer: true, positive: true }),
    listen: r.strings('listen'),
    delegateFacts: r.bool('delegate_facts'),
    ...settings,
    ignoreErrors: settings.ignoreErrors ?? false,
    noLog: settings.noLog ?? false,
    runOnce: settings.runOnce ?? false,
  }
  for (const key of ['retries', 'delay', 'async', 'poll'] as const) {
    const t = r.template(key)
    if (t) base.templated = { ...base.templated, [key]: t }
  }
  if (!module) return undefined
  // With poll > 0 a module runs in the foreground within the async limit (engine/task-limit.ts), but for
  // those whose Ansible action plugin refuses async.
  if ((base.async > 0 || r.template('async')) && !module.def.runsAsync) {
    if (ASYNC_UNSUPPORTED.has(module.def.name)) r.problems.add(`async is not supported for ${module.def.name}, as in Ansible ("async is not supported for this task."): remove async`, r.keyLoc('async'))
    else if (base.poll === 0 && !r.template('poll')) r.problems.add(backgroundRefused(module.def.name), r.loc('poll'))
  }
  const { args, rawKey } = readTaskArgs(r, module.key, module.def, module.action, ctx.handler)
  // local_action is the module delegated to the controller, as Ansible rewrites it.
  if (module.key === 'local_action') base.delegateTo = 'localhost'
  const summary = summarizeArgs(args, rawKey, module.def.secretArgs)
  const task: Task = {
    ...base,
    module: module.def.name,
    ...(module.def.library ? { library: module.def.library } : {}),
    args,
    argsLoc: r.loc(module.key),
    action: (module.action ? actionModule(r.node[module.key]) : undefined) ?? module.key,
    // A role's task is shown as Ansible shows it: `role : name`.
    displayName: roleTaskName(ctx, name ?? (summary ? `${module.def.name}: ${summary}` : module.def.name)),
  }
  task.locOf = nodeLocator(task, r)
  // What a handler's include_tasks brings in runs as that handler: only the include is notified by name.
  if (ctx.handler && ctx.dynamic !== true && name === undefined && task.listen.length === 0) {
    r.problems.add('a handler needs a name or listen, so that tasks can notify it', r.fallback)
  }
  return task
}

/** Seconds between polls of an async job when the task gives no `poll` (Ansible's default). */
const ASYNC_POLL = 15

/** `until` as one condition: a list means all of them. */
function joinConditions(list: Condition[] | undefined): Condition | undefined {
  if (!list || list.length === 0) return undefined
  return list.length === 1 ? list[0] : { expr: list.map((c) => `(${c.expr})`).join(' and '), loc: list[0].loc }
}

/**
 * A module's name as a task writes it: a short name is looked up in the collections the play (or the
 * role's meta) lists first, then as Ansible's own (ansible.legacy); a dotted name as written.
 */
function resolveModule(key: string, ctx: ParseContext, loc: SourceLocation): ModuleDef | undefined {
  return pghaModule(key, ctx, loc) ?? controllerAnsibleModule(key, ctx, loc)
}

/** pgha's own module of the name, or the playbook's (library/). */
function pghaModule(key: string, ctx: ParseContext, loc: SourceLocation): ModuleDef | undefined {
  if (key.includes('.') && !key.startsWith('ansible.legacy.')) return ctx.opts.modules(key)
  for (const c of key.includes('.') ? [] : ctx.collections) {
    const def = ctx.opts.modules(`${c}.${key}`)
    if (def) return def
  }
  // ansible.legacy: the playbook's own modules (library/), then Ansible's.
  const own = ctx.opts.libraryModule?.find(key.replace(/^ansible\.legacy\./, ''), libraryDirs(ctx))
  if (own?.refused) ctx.problems.add(own.refused, loc)
  return own?.def ?? ctx.opts.modules(key)
}

/**
 * Last, a module pgha lacks, as the controller's Ansible resolves it (src/modules/ansible); its routing's
 * deprecations are warnings at the task. Why it cannot run, or that Ansible lacks it too, unknownModule says.
 */
function controllerAnsibleModule(key: string, ctx: ParseContext, loc: SourceLocation): ModuleDef | undefined {
  const found = ctx.opts.ansibleModule?.find(key, ctx.collections)
  for (const w of found?.warnings ?? []) ctx.problems.warn(w, loc)
  return found?.def
}

/**
 * Reports an unknown module name: a misspelling, or a module pgha has under another name, is an input
 * error; a module pgha lacks is reported as lacking (a warning in a file only a dynamic include reaches).
 */
function reportUnknownModule(key: string, ctx: ParseContext, loc: SourceLocation, suffix = ''): void {
  const { message, lacking } = unknownModule(key, ctx)
  if (lacking) ctx.problems.lacks(message + suffix, loc)
  else ctx.problems.add(message + suffix, loc)
}

/** Why a module name is unknown: a misspelling of one pgha has, one pgha has under another name, or one it lacks. */
function unknownModule(key: string, ctx: ParseContext): { message: string; lacking: boolean } {
  const asked = ctx.opts.ansibleModule?.find(key, ctx.collections)
  if (asked?.refused) return { message: asked.refused, lacking: true }
  const { message, lacking } = unknownToPgha(key, ctx)
  if (lacking && asked?.notFound) return { message: message.replace(PGHA_LACKS, `${PGHA_LACKS}${asked.notFound}`), lacking }
  // A misspelling, maybe: but had Ansible answered, it might have been its module.
  return { message: asked?.unanswered ? message + asked.notFound : message, lacking }
}

const PGHA_LACKS = 'pgha does not have it'

/** Why pgha alone does not know the name (the message before Ansible was asked). */
function unknownToPgha(key: string, ctx: ParseContext): { message: string; lacking: boolean } {
  const dot = key.lastIndexOf('.')
  const prefix = key.slice(0, dot + 1)
  const short = key.slice(dot + 1)
  // Suggestions are spelt as the task spells modules: in its collection, or by the FQCN of theirs.
  const spell = (name: string): string => (prefix === '' ? name : ctx.opts.modules(prefix + name) ? prefix + name : (ctx.opts.fqcnOf?.(name) ?? name))
  if (prefix !== '' && ctx.opts.modules(short)) return { message: `unknown module '${key}': pgha's ${short} is '${spell(short)}'`, lacking: false }
  // The playbook's own modules are candidates too, under their own names.
  const own = prefix === '' || prefix === 'ansible.legacy.' ? (ctx.opts.libraryModule?.names(libraryDirs(ctx)) ?? []) : []
  // One of Ansible's own modules, or one it routes to a collection, is not a misspelling of one pgha has
  // (pkgng is not a misspelt ping).
  const near = isAnsibleModule(short) ? [] : closest(short, [...ctx.moduleNames, ...own]).map((c) => (own.includes(c.name) ? prefix + c.name : spell(c.name)))
  if (near.length > 0) return { message: `unknown module '${key}'${meant(near)}`, lacking: false }
  const nearestName = nearest(short, ctx.moduleNames)
  const hint = nearestName === undefined ? '' : `; the nearest it has is '${spell(nearestName)}'`
  return { message: `unknown module '${key}': ${PGHA_LACKS}${hint} (npx pgha doc lists every module)`, lacking: true }
}

/** The keys that name a task's module inside their value (`action: copy src=a dest=b`). */
const ACTION_KEYS = ['action', 'local_action']

/** The module of `action:` or `local_action:` (which also delegates to localhost, so it cannot take delegate_to). */
function actionForm(r: KeywordReader, ctx: ParseContext, others: string[]): { key: string; def: ModuleDef; action: true } | undefined {
  const keys = Object.keys(r.node).filter((k) => ACTION_KEYS.includes(k))
  if (keys.length === 0) return undefined
  for (const extra of keys.slice(1)) r.problems.add(`'${keys[0]}' and '${extra}' both name the task's module: keep one`, r.keyLoc(extra))
  const key = keys[0]
  if (key === 'local_action' && r.has('delegate_to')) r.problems.add('local_action runs on localhost and cannot also have delegate_to', r.keyLoc('delegate_to'))
  for (const other of others) r.problems.add(`a task runs one module, but this one also has '${other}' (after '${key}')`, r.keyLoc(other))
  const name = actionModule(r.node[key])
  if (name === undefined) {
    r.problems.add(`${key} must name a module: 'copy src=a dest=b', or a mapping with module: and the arguments`, r.loc(key))
    return undefined
  }
  const def = resolveModule(name, ctx, r.loc(key))
  if (!def) reportUnknownModule(name, ctx, r.loc(key), ` in ${key}`)
  return def ? { key, def, action: true } : undefined
}

/** The task's one module; every other non-keyword key is reported as a misspelt keyword or module. */
function findModule(r: KeywordReader, ctx: ParseContext): { key: string; def: ModuleDef; action?: boolean } | undefined {
  const others = Object.keys(r.node).filter((k) => !TASK_KEYWORDS.has(k) && !isWithLoop(k) && !ACTION_KEYS.includes(k))
  if (Object.keys(r.node).some((k) => ACTION_KEYS.includes(k))) return actionForm(r, ctx, others)
  const found = others.flatMap((key) => {
    const def = resolveModule(key, ctx, r.keyLoc(key))
    return def ? [{ key, def }] : []
  })
  for (const extra of found.slice(1)) {
    r.problems.add(`a task runs one module, but this one also has '${extra.key}' (after '${found[0].key}')`, r.keyLoc(extra.key))
  }
  let moduleReported = found.length > 0
  for (const key of others.filter((k) => !found.some((f) => f.key === k))) {
    if (UNSUPPORTED[key]) {
      r.problems.add(UNSUPPORTED[key], r.keyLoc(key))
      continue
    }
    // A dotted name is a module's FQCN, never a keyword; nor is the name of one of Ansible's modules, however
    // near a keyword it is (npm is not a misspelt name).
    const keyword = key.includes('.') || isAnsibleModule(key) ? undefined : closest(key, TASK_KEYWORDS)[0]
    const mod = closest(key, ctx.moduleNames)[0]
    if (!key.includes('.') && (moduleReported || (keyword && (!mod || keyword.distance <= mod.distance)))) {
      r.problems.add(`unknown keyword '${key}'${didYouMean(key, TASK_KEYWORDS)}`, r.keyLoc(key))
    } else {
      reportUnknownModule(key, ctx, r.keyLoc(key))
      moduleReported = true
    }
  }
  if (!moduleReported) r.problems.add(`task has no module (such as command, copy or template)`, r.fallback)
  return found[0]
}

/** Why a task with `poll: 0` cannot leave this module running: only command and shell run as a job on the host. */
export const backgroundRefused = (module: string): string =>
  `async with poll: 0 runs command and shell only: pgha cannot leave ${module} running in the background (give poll a number of seconds: it then runs in the foreground within the async limit)`

/** Modules whose action plugin in ansible-core 2.14 does not support async: Ansible fails such a task. */
const ASYNC_UNSUPPORTED = new Set(['add_host', 'assemble', 'assert', 'async_status', 'copy', 'debug', 'fail', 'fetch', 'group_by', 'include_vars', 'pause', 'raw', 'set_fact', 'template', 'unarchive', 'validate_argument_spec', 'wait_for_connection'])
