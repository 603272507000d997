// One play: the hosts, its variables and settings, and its task lists.
import { dirname } from 'node:path'
import { applyInherited, nothingInherited } from './inherit.js'
import { PLAY_KEYWORDS, reportUnknownKeys } from './keywords.js'
import { parseTaskList, type ParseContext } from './nodes.js'
import type { KeywordReader } from './reader.js'
import { isTemplated, toNumber } from './reader.js'
import { didYouMean } from './suggest.js'
import type { Play, TaskSettings, VarsFile } from './types.js'
import { walkNodes, walkPlay } from './walk.js'

export function parsePlay(r: KeywordReader, ctx: Omit<ParseContext, 'baseDir' | 'playDir' | 'handler'>): Play {
  reportUnknownKeys(r, PLAY_KEYWORDS, 'a play')
  const baseDir = dirname(ctx.file)
  const tasksCtx: ParseContext = { ...ctx, baseDir, playDir: baseDir, handler: false }
  const list = (key: string, handler = false) => parseTaskList(r.node[key], { ...tasksCtx, handler }, key, r.loc(key))
  const hosts = readHosts(r)
  const play: Play = {
    name: r.string('name') ?? hosts,
    hosts,
    hostsLoc: r.loc('hosts'),
    vars: r.vars(),
    varsFiles: readVarsFiles(r),
    become: r.bool('become'),
    becomeUser: r.string('become_user'),
    gatherFacts: r.bool('gather_facts') ?? true,
    serial: readSerial(r),
    anyErrorsFatal: r.bool('any_errors_fatal') ?? false,
    maxFailPercentage: readPercentage(r),
    preTasks: list('pre_tasks'),
    tasks: list('tasks'),
    postTasks: list('post_tasks'),
    handlers: list('handlers', true),
    tags: r.strings('tags', true),
    baseDir,
    file: ctx.file,
    loc: r.fallback,
    locOf: r.locator(),
  }
  // The play's tags reach its tasks; its become/become_user reach tasks and handlers (a task's own wins).
  const settings: TaskSettings = {}
  if (play.become !== undefined) settings.become = play.become
  if (play.becomeUser !== undefined) settings.becomeUser = play.becomeUser
  const tagged = { ...nothingInherited(), tags: play.tags, settings }
  for (const tasks of [play.preTasks, play.tasks, play.postTasks]) applyInherited(tasks, tagged)
  applyInherited(play.handlers, { ...nothingInherited(), settings })
  checkNotify(play, r)
  return play
}

function readHosts(r: KeywordReader): string {
  const v = r.node.hosts
  if (v === undefined || v === null || v === '') {
    r.problems.add('play has no hosts (hosts: all, a group, or a pattern such as dbservers:!witness)', r.has('hosts') ? r.loc('hosts') : r.fallback)
    return ''
  }
  if (Array.isArray(v) && v.every((h) => typeof h === 'string')) return v.join(':')
  return r.string('hosts') ?? ''
}

function readVarsFiles(r: KeywordReader): VarsFile[] {
  const paths = r.strings('vars_files')
  return paths.map((path, i) => ({ path, loc: r.locs.get(`vars_files.${i}`) ?? r.loc('vars_files') }))
}

function readSerial(r: KeywordReader): number | string | undefined {
  const v = r.node.serial
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?%\s*$/.test(v)) return v.trim()
  const n = toNumber(v)
  if (n === undefined || !Number.isInteger(n) || n <= 0) return r.bad('serial', 'a number of hosts or a percentage such as "30%"')
  return n
}

function readPercentage(r: KeywordReader): number | undefined {
  const n = r.number('max_fail_percentage', { min: 0 })
  if (n !== undefined && n > 100) return r.bad('max_fail_percentage', 'a percentage from 0 to 100')
  return n
}

/** Every literal notify must name a handler or a listen topic of the play. */
function checkNotify(play: Play, r: KeywordReader): void {
  const targets = new Set<string>()
  for (const h of walkNodes(play.handlers)) {
    // A handler file named by a template is only known at run time: nothing can be checked.
    if (h.kind === 'include_tasks' && !h.preloaded) return
    if (h.kind !== 'task') continue
    if (h.name !== undefined) targets.add(h.name)
    for (const topic of h.listen) targets.add(topic)
  }
  for (const node of walkPlay(play)) {
    if (node.kind !== 'task') continue
    node.notify.forEach((target, i) => {
      if (isTemplated(target) || targets.has(target)) return
      r.problems.add(`no handler named '${target}' in this play${didYouMean(target, targets)}`, node.locOf('notify', i))
    })
  }
}
