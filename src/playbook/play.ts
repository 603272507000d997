// One play: the hosts, its variables and settings, and its task lists.
import { dirname } from 'node:path'
import { applyInherited, nothingInherited } from './inherit.js'
import { PLAY_KEYWORDS, readSettings, reportUnknownKeys } from './keywords.js'
import { parseTaskList, type ParseContext } from './nodes.js'
import { configuredRolesPath } from './roles/ansible-cfg.js'
import { roleHandlers, type PlayRoles } from './roles/load.js'
import { parseRolesSection } from './roles/uses.js'
import type { KeywordReader } from './reader.js'
import { isTemplated, toNumber } from './reader.js'
import { didYouMean } from './suggest.js'
import { GATHER_SUBSETS } from '../facts/setup-vars.js'
import type { HostOrder, Play, VarsFile } from './types.js'
import { walkNodes, walkPlay } from './walk.js'
import { readVarsPrompt } from './vars-prompt.js'

/** What reading a play needs from the playbook's load; the play adds its directory, roles and collections. */
export type PlayContext = Omit<ParseContext, 'baseDir' | 'playDir' | 'handler' | 'role' | 'collections' | 'roles'>

export function parsePlay(r: KeywordReader, ctx: PlayContext): Play {
  reportUnknownKeys(r, PLAY_KEYWORDS, 'a play')
  const baseDir = dirname(ctx.file)
  const collections = readCollections(r)
  const roles: PlayRoles = { cache: new Map(), list: [], importedHandlers: [], playDir: baseDir, configured: configuredRolesPath(baseDir) }
  const tasksCtx: ParseContext = { ...ctx, baseDir, playDir: baseDir, handler: false, collections, roles }
  const list = (key: string, handler = false) => parseTaskList(r.node[key], { ...tasksCtx, handler }, key, r.loc(key))
  const hosts = readHosts(r)
  // Ansible reads `roles:` first; their nodes run after pre_tasks and before tasks, in one handler section.
  const roleNodes = parseRolesSection(r.node.roles, r.loc('roles'), tasksCtx)
  // become, become_user, check_mode, no_log, ignore_errors, environment: handed to every task and handler
  const { delegateTo: _notAPlayKeyword, ...settings } = readSettings(r)
  const play: Play = {
    name: r.string('name') ?? hosts,
    hosts,
    hostsLoc: r.loc('hosts'),
    vars: r.vars(),
    varsFiles: readVarsFiles(r),
    varsPrompt: readVarsPrompt(r),
    become: settings.become,
    becomeUser: settings.becomeUser,
    remoteUser: settings.remoteUser,
    connection: settings.connection,
    gatherFacts: r.bool('gather_facts') ?? true,
    gatherSubset: readGatherSubset(r),
    serial: readSerial(r),
    anyErrorsFatal: r.bool('any_errors_fatal') ?? false,
    maxFailPercentage: readPercentage(r),
    order: readOrder(r),
    preTasks: list('pre_tasks'),
    tasks: [...roleNodes, ...list('tasks')],
    postTasks: list('post_tasks'),
    handlers: [],
    roles: roles.list,
    collections,
    tags: r.strings('tags', true),
    baseDir,
    file: ctx.file,
    loc: r.fallback,
    locOf: r.locator(),
  }
  // Handlers in Ansible's order: the roles' (dependencies first), the play's own, then imported roles'.
  const own = list('handlers', true)
  const fromRoles = roleNodes.flatMap((n) => roleHandlers(n.runs.role))
  play.handlers = [...new Set([...fromRoles, ...own, ...roles.importedHandlers])]
  // The play's tags reach its tasks; its settings reach tasks and handlers (a task's own wins).
  const tagged = { ...nothingInherited(), tags: play.tags, settings }
  for (const tasks of [play.preTasks, play.tasks, play.postTasks]) applyInherited(tasks, tagged)
  applyInherited(play.handlers, { ...nothingInherited(), settings })
  checkNotify(play, r)
  return play
}

/** `collections: [community.postgresql, ...]`: each a collection's name, namespace.collection. */
function readCollections(r: KeywordReader): string[] {
  const names = r.strings('collections')
  names.forEach((name, i) => {
    if (!/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(name)) r.problems.add(`collections must list collection names (namespace.collection), got '${name}'`, r.locs.get(`collections.${i}`) ?? r.loc('collections'))
  })
  return names
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
  const files = paths.map((path, i) => ({ path, loc: r.locs.get(`vars_files.${i}`) ?? r.loc('vars_files') }))
  for (const f of files) if (f.path.includes('\0')) r.problems.add(`vars file name ${JSON.stringify(f.path)} contains a NUL byte`, f.loc)
  return files.filter((f) => !f.path.includes('\0'))
}


/** `gather_subset: [network, '!hardware']` or "network,!hardware"; a subset pgha does not gather is an input error. */
function readGatherSubset(r: KeywordReader): string[] | undefined {
  if (!r.has('gather_subset')) return undefined
  const subset = r.strings('gather_subset', true)
  subset.forEach((s, i) => {
    const name = s.replace(/^!/, '')
    if (!GATHER_SUBSETS.includes(name)) {
      r.problems.add(`gather_subset '${name}' is not one pgha gathers (it knows ${GATHER_SUBSETS.join(', ')})${didYouMean(name, GATHER_SUBSETS)}`, r.locs.get(`gather_subset.${i}`) ?? r.loc('gather_subset'))
    }
  })
  return subset
}

function readSerial(r: KeywordReader): number | string | undefined {
  const v = r.node.serial
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?%\s*$/.test(v)) return v.trim()
  const n = toNumber(v)
  if (n === undefined || !Number.isInteger(n) || n <= 0) return r.bad('serial', 'a number of hosts or a percentage such as "30%"')
  return n
}

const ORDERS: readonly HostOrder[] = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle']

/** `order` of the hosts; `strategy`: linear is how pgha runs, free runs as linear (with a note). */
function readOrder(r: KeywordReader): HostOrder {
  const strategy = r.string('strategy')
  if (strategy === 'free') r.problems.warn("strategy 'free' runs as 'linear' here: each task finishes on every host before the next starts", r.loc('strategy'))
  else if (strategy !== undefined && strategy !== 'linear') r.problems.add(`strategy must be linear or free, got '${strategy}'`, r.loc('strategy'))
  const order = r.string('order') ?? 'inventory'
  if ((ORDERS as string[]).includes(order)) return order as HostOrder
  r.problems.add(`order must be one of ${ORDERS.join(', ')}, got '${order}'${didYouMean(order, ORDERS)}`, r.loc('order'))
  return 'inventory'
}

function readPercentage(r: KeywordReader): number | undefined {
  const n = r.number('max_fail_percentage', { min: 0 })
  if (n !== undefined && n > 100) return r.bad('max_fail_percentage', 'a percentage from 0 to 100')
  return n
}

/**
 * Every literal notify must name a handler or a listen topic of the play: its own handlers, its roles'
 * (also as `role : name`), and those of the roles include_role brings in.
 */
function checkNotify(play: Play, r: KeywordReader): void {
  const targets = new Set<string>()
  const included = [...walkPlay(play)].flatMap((n) => (n.kind === 'include_role' && n.preloaded ? roleHandlers(n.preloaded.runs.role) : []))
  for (const h of walkNodes([...play.handlers, ...included])) {
    // A handler that is an include_tasks answers to its own name too.
    if (h.kind === 'include_tasks' && h.name !== undefined) targets.add(h.name).add(h.role ? `${h.role.role.name} : ${h.name}` : h.name)
    // A handler file named by a template is only known at run time: nothing can be checked.
    if (h.kind === 'include_tasks' && !h.preloaded) return
    if (h.kind !== 'task') continue
    if (h.name !== undefined) targets.add(h.name)
    if (h.name !== undefined && h.role) targets.add(`${h.role.role.name} : ${h.name}`)
    for (const topic of h.listen) targets.add(topic)
  }
  // A role named by a template brings in handlers only known at run time.
  if ([...walkPlay(play)].some((n) => n.kind === 'include_role' && !n.preloaded)) return
  for (const node of walkPlay(play)) {
    if (node.kind !== 'task') continue
    node.notify.forEach((target, i) => {
      if (isTemplated(target) || targets.has(target)) return
      r.problems.add(`no handler named '${target}' in this play${didYouMean(target, targets)}`, node.locOf('notify', i))
    })
  }
}
