// import_tasks (static: the file's tasks are inlined at load time and inherit the import's keywords) and
// include_tasks (dynamic: kept as a node the engine expands per host, possibly in a loop; preloaded here
// when its file name is literal so its errors are reported before any host is contacted).
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { ConfigError, ConfigErrors, type SourceLocation } from '../errors.js'
import { loadYamlFile } from '../yaml-source.js'
import { applyInherited, nodeLocator, nothingInherited } from './inherit.js'
import { IMPORT_KEYWORDS, INCLUDE_KEYWORDS, SETTING_KEYWORDS, isWithLoop, readApply, readLoop, readSettings, reportUnknownKeys } from './keywords.js'
import { didYouMean } from './suggest.js'
import { baseFields, parseTaskList, roleTaskName, type ParseContext } from './nodes.js'
import { Problems } from './problems.js'
import { withAnsibleModules } from './ansible-modules.js'
import { KeywordReader, describe, isMapping, isTemplated } from './reader.js'
import type { IncludeTasks, Inherited, TaskNode, Vars } from './types.js'

/** `label` names the node in messages: import_tasks, or a bare include that is static. */
export function parseImportTasks(r: KeywordReader, key: string, ctx: ParseContext, label = 'import_tasks'): TaskNode[] {
  if (r.has('loop')) r.problems.add(`${label} cannot loop; use include_tasks`, r.keyLoc('loop'))
  reportUnknownKeys(r, IMPORT_KEYWORDS, label, new Set([key, 'loop']))
  const file = readFileName(r, key)
  const when = r.conditions('when') ?? []
  const own: Inherited = { when, tags: r.strings('tags', true), vars: r.vars(), settings: readSettings(r) }
  if (file === undefined) return []
  if (isTemplated(file)) {
    r.problems.add('import_tasks is static and needs a literal file name; use include_tasks for a templated one', r.loc(key))
    return []
  }
  const nodes = loadTaskFile(file, r.loc(key), ctx, { how: 'import', conditional: isConditional(ctx, when.length > 0) }) ?? []
  applyInherited(nodes, own)
  return nodes
}

/**
 * `legacy`: a bare `include` that is dynamic, which also takes the keywords a task takes (become, ...): as
 * in Ansible 2.14, they do not reach the tasks it brings in (those inherit nothing from a dynamic parent).
 */
export function parseIncludeTasks(r: KeywordReader, key: string, ctx: ParseContext, legacy = false): IncludeTasks {
  reportUnknownKeys(r, legacy ? LEGACY_INCLUDE_KEYWORDS : INCLUDE_KEYWORDS, legacy ? key : 'include_tasks', new Set([key, 'args']))
  for (const k of legacy ? SETTING_KEYWORDS.filter((s) => r.has(s)) : []) {
    r.problems.warn(`${k} on a dynamic '${key}' does not reach the tasks it brings in, as in Ansible; give it under apply: of include_tasks`, r.keyLoc(k))
  }
  const options = includeOptions(r, key)
  const file = readFileName(r, key, options) ?? ''
  const common = baseFields(r, ctx)
  const apply = options.apply ?? nothingInherited()
  const node: IncludeTasks = {
    kind: 'include_tasks',
    ...common,
    // named, it is shown as a task is (`role : name` in a role), as Ansible shows it
    displayName: common.name === undefined ? `include_tasks: ${file}` : roleTaskName(ctx, common.name),
    action: key,
    file,
    ...readLoop(r),
    // The include's vars are include parameters too, above set_fact for the include and what it brings in.
    params: ownParams(common.vars),
    // `apply` hands any block keyword to the included tasks, as include_role's does; the include's own
    // when and tags are its own, as in Ansible (they select the include, not the tasks it brings in).
    inherit: { when: apply.when, tags: apply.tags, vars: { ...apply.vars, ...common.vars }, settings: apply.settings, params: common.vars },
  }
  node.locOf = nodeLocator(node, r)
  const conditional = isConditional(ctx, node.when.length > 0 || node.loop !== undefined)
  includeContexts.set(node, savedContext(ctx, conditional))
  if (file !== '' && !isTemplated(file)) {
    const nodes = preloadDynamic(ctx, (own) => loadTaskFile(file, r.loc(key), own, { how: 'include', conditional }))
    if (nodes) {
      applyInherited(nodes, node.inherit)
      node.preloaded = nodes
    }
  }
  return node
}

/** A bare `include` takes, when dynamic, include_tasks' keywords and those a block hands down. */
const LEGACY_INCLUDE_KEYWORDS = new Set([...INCLUDE_KEYWORDS, ...SETTING_KEYWORDS])

/**
 * A bare `include` (deprecated, still run by Ansible 2.14) is what Ansible 2.14 makes of it: static, as
 * import_tasks (its keywords reach the tasks it brings in), when its file name is literal, it does not loop
 * and nothing above it was included dynamically; else dynamic, as include_tasks.
 */
export function parseLegacyInclude(r: KeywordReader, key: string, ctx: ParseContext): TaskNode[] {
  ctx.problems.warn(`'${key}' is deprecated in Ansible: write import_tasks (or include_tasks for a file chosen at run time)`, r.keyLoc(key))
  const file = r.node[key]
  const loops = r.has('loop') || Object.keys(r.node).some(isWithLoop)
  if (typeof file === 'string' && !isTemplated(file) && !loops && ctx.dynamic !== true) return parseImportTasks(r, key, ctx, key)
  return [parseIncludeTasks(r, key, ctx, true)]
}

/**
 * Loads at load time what a dynamic include names, so that its errors are reported before any host is
 * contacted; undefined when it uses a module or parameter pgha lacks: that is only a warning now (Ansible
 * never reads the file of an include that does not run, such as another OS's setup file), and the include
 * loads it again, and fails with the same message, if it runs.
 */
export function preloadDynamic<T>(ctx: ParseContext, load: (ctx: ParseContext) => T | undefined): T | undefined {
  const own = new Problems(true)
  const loaded = load({ ...ctx, problems: own })
  return ctx.problems.takeDynamic(own) ? undefined : loaded
}

/** What loading an include's file at run time needs from the load that created the include. */
export type SavedContext = Pick<ParseContext, 'opts' | 'moduleNames' | 'playDir' | 'handler' | 'chain' | 'chainConditional' | 'role' | 'collections' | 'roles'>

const includeContexts = new WeakMap<IncludeTasks, SavedContext>()

/** The parts of the load's context an include keeps for run time, with the include as the last link. */
export function savedContext(ctx: ParseContext, conditional: boolean): SavedContext {
  const { opts, moduleNames, playDir, handler, chain, role, collections, roles } = ctx
  return { opts, moduleNames, playDir, handler, chain, role, collections, roles, chainConditional: links(ctx, conditional) }
}

/** An include's own parameters are its vars (those of the includes around it are added as they are applied). */
export function ownParams(vars: Vars): Vars | undefined {
  return Object.keys(vars).length > 0 ? vars : undefined
}

/** Task files may nest this deep (a recursive include_tasks too): deeper is a cycle nothing ends. */
const MAX_INCLUDE_DEPTH = 64

/** An import or include runs only under a condition: its own, or that of what contains it. */
export function isConditional(ctx: ParseContext, own: boolean): boolean {
  return own || ctx.conditional === true || ctx.handler
}

/** `chainConditional` for the files of `ctx.chain` and then the one `conditional` link reaches. */
function links(ctx: ParseContext, conditional: boolean): boolean[] {
  return [...ctx.chain.map((_, i) => ctx.chainConditional?.[i] ?? false), conditional]
}

/**
 * Loads the tasks of an include_tasks whose file name was rendered at run time, with what the include
 * hands down. Throws ConfigErrors when the file is missing or invalid.
 */
export function loadTasksFile(file: string, include: IncludeTasks): TaskNode[] {
  const { saved, context } = includeContext(include)
  const { path, tried } = findTaskFile(file, context(new Problems()))
  if (!path) throw new IncludeNotFound([new ConfigError(notFound(file, tried), include.locOf('file'))])
  const { nodes, problems } = withAnsibleModules(saved.opts, () => {
    const problems = new Problems()
    return { nodes: loadTaskFile(file, include.locOf('file'), context(problems), { how: 'run', conditional: saved.chainConditional?.at(-1) ?? true }) ?? [], problems }
  })
  problems.throwIfAny()
  applyInherited(nodes, include.inherit)
  return nodes
}

/** The file an include_tasks naming `file` reads, as Ansible shows it (`included: /abs/path for h1`); undefined when not there. */
export function includedTaskPath(file: string, include: IncludeTasks): string | undefined {
  const path = findTaskFile(file, includeContext(include).context(new Problems())).path
  return path === undefined ? undefined : resolve(path)
}

/** The load context of the file an include names at run time, from what the include kept of its own. */
function includeContext(include: IncludeTasks): { saved: SavedContext; context: (problems: Problems) => ParseContext } {
  const saved = includeContexts.get(include)
  if (!saved) throw new Error('loadTasksFile: the include was not created by loadPlaybook')
  return { saved, context: (problems) => ({ ...saved, problems, file: include.loc.file, baseDir: include.baseDir, chainConditional: saved.chainConditional?.slice(0, -1) }) }
}

/** What include_tasks takes besides its keywords, in its own mapping or under `args:`: the file, and apply. */
interface IncludeOptions {
  file?: unknown
  apply?: Inherited
}

const INCLUDE_OPTIONS = new Set(['file', 'apply'])

/** `include_tasks: {file: x.yml, apply: {become: true}}`, or `include_tasks: x.yml` with `args: {apply: ...}`. */
function includeOptions(r: KeywordReader, key: string): IncludeOptions {
  const out: IncludeOptions = {}
  const sources: [Record<string, unknown>, SourceLocation][] = []
  if (isMapping(r.node[key])) sources.push([r.node[key] as Record<string, unknown>, r.loc(key)])
  const args = r.mapping('args')
  if (args) sources.push([args, r.loc('args')])
  for (const [node, loc] of sources) {
    const a = new KeywordReader(node, r.problems, loc)
    for (const k of Object.keys(node)) if (!INCLUDE_OPTIONS.has(k)) r.problems.add(`include_tasks has no option '${k}'${didYouMean(k, INCLUDE_OPTIONS)}`, a.keyLoc(k))
    if (a.has('file')) out.file = node.file
    const apply = a.mapping('apply')
    if (apply) out.apply = readApply(new KeywordReader(apply, r.problems, a.loc('apply')))
  }
  return out
}

/** `import_tasks: x.yml` or `import_tasks: {file: x.yml}` (include_tasks: also with apply, or the file under args). */
function readFileName(r: KeywordReader, key: string, options?: IncludeOptions): string | undefined {
  const v = r.node[key]
  const file = options ? (isMapping(v) || (v === null && options.file !== undefined) ? options.file : v) : isMapping(v) && Object.keys(v).length === 1 ? v.file : v
  if (typeof file === 'string' && file.trim() !== '') {
    r.locs.set('file', r.loc(key))
    return file
  }
  r.problems.add(`${key} needs a file name (${key}: tasks/setup.yml), got ${describe(v)}`, r.loc(key))
  return undefined
}

/**
 * The task file a running include_tasks names is not there: as in Ansible, the hosts that reach it fail and
 * the others go on. What is wrong inside a file that is there stops the run, as Ansible's ERROR! does.
 */
export class IncludeNotFound extends ConfigErrors {}

function notFound(name: string, tried: string[]): string {
  const where = tried.length === 1 && tried[0] === name ? '' : ` (looked for ${tried.join(', ')})`
  return `task file not found: ${name}${where}`
}

/**
 * Looks next to the including file; in a role, then in its tasks/ and at its top, as Ansible's
 * path_dwim_relative does (a handler's `include_tasks: tasks/restart.yml` names the role's file); then in
 * the play's directory.
 */
function findTaskFile(name: string, ctx: ParseContext): { path?: string; tried: string[] } {
  const role = ctx.role ? [join(ctx.role.role.path, 'tasks', name), join(ctx.role.role.path, name)] : []
  const tried = isAbsolute(name) ? [name] : [...new Set([join(ctx.baseDir, name), ...role, join(ctx.playDir, name)])]
  return { path: tried.find((p) => existsSync(p)), tried }
}

export interface Link {
  /** import_tasks, include_tasks when the playbook loads, or include_tasks expanded at run time. */
  how: 'import' | 'include' | 'run'
  /** The import or include runs only under a condition (see isConditional). */
  conditional: boolean
}

/**
 * Reads and parses a task file. A file already being imported is a cycle: an error for import_tasks,
 * while an include_tasks is then left to run time (recursion guarded by `when` is legitimate there),
 * unless no link of the cycle has a condition that could end it. At run time only the depth is bounded.
 */
export function loadTaskFile(name: string, from: SourceLocation, ctx: ParseContext, link: Link): TaskNode[] | undefined {
  if (name.includes('\0')) {
    ctx.problems.add(`task file name ${JSON.stringify(name)} contains a NUL byte`, from)
    return undefined
  }
  const { path, tried } = findTaskFile(name, ctx)
  if (!path) {
    ctx.problems.add(notFound(name, tried), from)
    return undefined
  }
  const abs = resolve(path)
  const shown = (paths: string[]): string => paths.map((p) => relative(process.cwd(), p) || p).join(' -> ')
  const at = ctx.chain.indexOf(abs)
  if (at >= 0 && link.how !== 'run') {
    const cycle = shown([...ctx.chain.slice(at), abs])
    if (link.how === 'import') ctx.problems.add(`import cycle: ${cycle}`, from)
    else if (!link.conditional && !links(ctx, false).slice(at + 1).some(Boolean)) {
      ctx.problems.add(`include cycle that nothing ends: ${cycle} (no when, loop, block condition or rescue on the way; give the include a when that stops it)`, from)
    }
    return undefined
  }
  if (ctx.chain.length >= MAX_INCLUDE_DEPTH) {
    const chain = [...ctx.chain, abs]
    ctx.problems.add(`task files nested more than ${MAX_INCLUDE_DEPTH} deep: ${shown(chain.slice(0, 3))} -> ... -> ${shown(chain.slice(-3))} (does an include include itself with a when that stays true?)`, from)
    return undefined
  }
  const data = ctx.problems.attempt(() => loadYamlFile(path, from))
  const sub: ParseContext = {
    ...ctx, file: path, baseDir: dirname(path), chain: [...ctx.chain, abs], chainConditional: links(ctx, link.conditional), conditional: false,
    dynamic: ctx.dynamic === true || link.how !== 'import',
  }
  return parseTaskList(data, sub, path, { file: path, line: 1, col: 1 })
}
