// One task: exactly one module key plus keywords.
import type { ModuleDef } from '../modules/index.js'
import { summarizeArgs } from './free-form.js'
import { nodeLocator } from './inherit.js'
import {
  TASK_KEYWORDS, UNSUPPORTED, canonical, readIdentifier, readLoop, readSettings,
} from './keywords.js'
import { baseFields, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import { closest, didYouMean } from './suggest.js'
import { readTaskArgs } from './task-args.js'
import type { Condition, Task } from './types.js'

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
    retries: r.number('retries', { integer: true, min: 0 }) ?? 3,
    delay: r.number('delay', { min: 0 }) ?? 5,
    timeout: r.number('timeout', { positive: true }),
    listen: r.strings('listen'),
    ...settings,
    ignoreErrors: settings.ignoreErrors ?? false,
    noLog: settings.noLog ?? false,
    runOnce: settings.runOnce ?? false,
  }
  if (!module) return undefined
  const { args, rawKey } = readTaskArgs(r, module.key, module.def)
  const summary = summarizeArgs(args, rawKey)
  const task: Task = {
    ...base,
    module: module.def.name,
    args,
    argsLoc: r.loc(module.key),
    displayName: name ?? (summary ? `${module.def.name}: ${summary}` : module.def.name),
  }
  task.locOf = nodeLocator(task, r)
  if (ctx.handler && name === undefined && task.listen.length === 0) {
    r.problems.add('a handler needs a name or listen, so that tasks can notify it', r.fallback)
  }
  return task
}

/** `until` as one condition: a list means all of them. */
function joinConditions(list: Condition[] | undefined): Condition | undefined {
  if (!list || list.length === 0) return undefined
  return list.length === 1 ? list[0] : { expr: list.map((c) => `(${c.expr})`).join(' and '), loc: list[0].loc }
}

/** The task's one module; every other non-keyword key is reported as a misspelt keyword or module. */
function findModule(r: KeywordReader, ctx: ParseContext): { key: string; def: ModuleDef } | undefined {
  const others = Object.keys(r.node).filter((k) => !TASK_KEYWORDS.has(k))
  const found = others.flatMap((key) => {
    const def = ctx.opts.modules(key) ?? ctx.opts.modules(canonical(key))
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
    const keyword = closest(key, TASK_KEYWORDS)[0]
    const mod = closest(key, ctx.moduleNames)[0]
    if (moduleReported || (keyword && (!mod || keyword.distance <= mod.distance))) {
      r.problems.add(`unknown keyword '${key}'${didYouMean(key, TASK_KEYWORDS)}`, r.keyLoc(key))
    } else {
      r.problems.add(`unknown module '${key}'${didYouMean(key, ctx.moduleNames)}`, r.keyLoc(key))
      moduleReported = true
    }
  }
  if (!moduleReported) r.problems.add(`task has no module (such as command, copy or template)`, r.fallback)
  return found[0]
}
