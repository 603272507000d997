// import_tasks (static: the file's tasks are inlined at load time and inherit the import's keywords) and
// include_tasks (dynamic: kept as a node the engine expands per host, possibly in a loop; preloaded here
// when its file name is literal so its errors are reported before any host is contacted).
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { SourceLocation } from '../errors.js'
import { loadYamlFile } from '../yaml-source.js'
import { applyInherited, nodeLocator, nothingInherited } from './inherit.js'
import { IMPORT_KEYWORDS, INCLUDE_KEYWORDS, readLoop, readSettings, reportUnknownKeys } from './keywords.js'
import { baseFields, parseTaskList, type ParseContext } from './nodes.js'
import { Problems } from './problems.js'
import { KeywordReader, describe, isMapping, isTemplated } from './reader.js'
import type { IncludeTasks, Inherited, TaskNode } from './types.js'

export function parseImportTasks(r: KeywordReader, key: string, ctx: ParseContext): TaskNode[] {
  if (r.has('loop')) r.problems.add('import_tasks cannot loop; use include_tasks', r.keyLoc('loop'))
  reportUnknownKeys(r, IMPORT_KEYWORDS, 'import_tasks', new Set([key, 'loop']))
  const file = readFileName(r, key)
  const when = r.conditions('when') ?? []
  const own: Inherited = { when, tags: r.strings('tags', true), vars: r.vars(), settings: readSettings(r) }
  if (file === undefined) return []
  if (isTemplated(file)) {
    r.problems.add('import_tasks is static and needs a literal file name; use include_tasks for a templated one', r.loc(key))
    return []
  }
  const nodes = loadTaskFile(file, r.loc(key), ctx, 'import') ?? []
  applyInherited(nodes, own)
  return nodes
}

export function parseIncludeTasks(r: KeywordReader, key: string, ctx: ParseContext): IncludeTasks {
  reportUnknownKeys(r, INCLUDE_KEYWORDS, 'include_tasks', new Set([key]))
  const file = readFileName(r, key) ?? ''
  const common = baseFields(r, ctx)
  const node: IncludeTasks = {
    kind: 'include_tasks',
    ...common,
    displayName: common.name ?? `include_tasks: ${file}`,
    file,
    ...readLoop(r),
    inherit: { ...nothingInherited(), tags: common.tags, vars: common.vars },
  }
  node.locOf = nodeLocator(node, r)
  includeContexts.set(node, { opts: ctx.opts, moduleNames: ctx.moduleNames, playDir: ctx.playDir, handler: ctx.handler })
  if (file !== '' && !isTemplated(file)) {
    const nodes = loadTaskFile(file, r.loc(key), ctx, 'include')
    if (nodes) {
      applyInherited(nodes, node.inherit)
      node.preloaded = nodes
    }
  }
  return node
}

/** What loading an include's file at run time needs from the load that created the include. */
const includeContexts = new WeakMap<IncludeTasks, Pick<ParseContext, 'opts' | 'moduleNames' | 'playDir' | 'handler'>>()

/**
 * Loads the tasks of an include_tasks whose file name was rendered at run time, with what the include
 * hands down. Throws ConfigErrors when the file is missing or invalid.
 */
export function loadTasksFile(file: string, include: IncludeTasks): TaskNode[] {
  const saved = includeContexts.get(include)
  if (!saved) throw new Error('loadTasksFile: the include was not created by loadPlaybook')
  const problems = new Problems()
  const ctx: ParseContext = { ...saved, problems, file: include.loc.file, baseDir: include.baseDir, chain: [] }
  const nodes = loadTaskFile(file, include.locOf('file'), ctx, 'include') ?? []
  problems.throwIfAny()
  applyInherited(nodes, include.inherit)
  return nodes
}

/** `import_tasks: x.yml` or `import_tasks: {file: x.yml}`. */
function readFileName(r: KeywordReader, key: string): string | undefined {
  const v = r.node[key]
  const file = isMapping(v) && Object.keys(v).length === 1 ? v.file : v
  if (typeof file === 'string' && file.trim() !== '') {
    r.locs.set('file', r.loc(key))
    return file
  }
  r.problems.add(`${key} needs a file name (${key}: tasks/setup.yml), got ${describe(v)}`, r.loc(key))
  return undefined
}

/** Looks next to the including file, then in the play's directory. */
function findTaskFile(name: string, ctx: ParseContext): { path?: string; tried: string[] } {
  const tried = isAbsolute(name) ? [name] : [...new Set([join(ctx.baseDir, name), join(ctx.playDir, name)])]
  return { path: tried.find((p) => existsSync(p)), tried }
}

/**
 * Reads and parses a task file. A file already being imported is a cycle: an error for import_tasks,
 * while an include_tasks is then left to run time (recursion guarded by `when` is legitimate there).
 */
function loadTaskFile(name: string, from: SourceLocation, ctx: ParseContext, how: 'import' | 'include'): TaskNode[] | undefined {
  const { path, tried } = findTaskFile(name, ctx)
  if (!path) {
    const where = tried.length === 1 && tried[0] === name ? '' : ` (looked for ${tried.join(', ')})`
    ctx.problems.add(`task file not found: ${name}${where}`, from)
    return undefined
  }
  const abs = resolve(path)
  if (ctx.chain.includes(abs)) {
    if (how === 'include') return undefined
    const cycle = [...ctx.chain.slice(ctx.chain.indexOf(abs)), abs].map((p) => relative(process.cwd(), p) || p)
    ctx.problems.add(`import cycle: ${cycle.join(' -> ')}`, from)
    return undefined
  }
  const data = ctx.problems.attempt(() => loadYamlFile(path, from))
  const sub: ParseContext = { ...ctx, file: path, baseDir: dirname(path), chain: [...ctx.chain, abs] }
  return parseTaskList(data, sub, path, { file: path, line: 1, col: 1 })
}
