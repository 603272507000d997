// Loading roles as Ansible does. A play keeps one Role per role directory and parameters (Ansible's role
// cache): a role named twice with the same parameters is the same role, which runs once per host unless it
// allows duplicates. Loading reads defaults/, vars/ and meta/ (dependencies, allow_duplicates,
// collections, argument_specs); compiling one use of a role parses its tasks (after its dependencies'
// nodes) with the role as their context, so the engine knows each task's role, its variables and files.
import { statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { SourceLocation } from '../../errors.js'
import { loadYamlFile, locOf } from '../../yaml-source.js'
import { loadTaskFile, type Link } from '../imports.js'
import { applyInherited } from '../inherit.js'
import type { ParseContext } from '../nodes.js'
import type { Problems } from '../problems.js'
import { KeywordReader, describe, isMapping } from '../reader.js'
import { didYouMean } from '../suggest.js'
import type { Inherited, Role, RoleContext, RoleEntryFiles, RoleNode, TaskNode, Vars } from '../types.js'
import { parseTask } from '../task.js'
import { readArgumentSpecs, type ArgumentSpecs } from './argument-spec.js'
import { roleFile, roleVarsFile } from './files.js'
import { readRoleEntry } from './entry.js'
import { findRole, roleSearchPath } from './search.js'

/** What one play knows of its roles while it loads (and, for include_role, while it runs). */
export interface PlayRoles {
  /** Ansible's role cache: one Role per directory and parameters. */
  cache: Map<string, Role>
  /** The play's roles (`roles:` and import_role), whose defaults and vars every task of the play sees. */
  list: Role[]
  /** Handlers of imported roles: they follow the play's own. */
  importedHandlers: TaskNode[]
  playDir: string
  /** ANSIBLE_ROLES_PATH or ansible.cfg's roles_path (or Ansible's default). */
  configured: string[]
}

/** One use of a role: a `roles:` entry, a dependency, an import_role or include_role. */
export interface RoleUse {
  name: string
  /** Where the role's name is written. */
  loc: SourceLocation
  params: Vars
  vars: Vars
  from: RoleEntryFiles
  /** Where each of `from` is written (tasks_from: ...), for errors about the file. */
  fromLocs?: Partial<Record<keyof RoleEntryFiles, SourceLocation>>
  fromInclude: boolean
  /** import_role and include_role decide this themselves (default true), whatever the role's meta says. */
  allowDuplicates?: boolean
  /** What the role's tasks inherit from the use (when, tags, become, ...). */
  keywords: Inherited
  /** rolespec_validate: false skips the role's argument_specs. */
  validate: boolean
}

interface RoleData {
  specs: ArgumentSpecs
  /** The argument_specs entry points as written: the validation task checks against these. */
  rawSpecs: Record<string, Vars>
  collections: string[]
  use: RoleUse
  handlersRead: boolean
}

/** What pgha keeps of a role besides the Role itself. */
const roleData = new WeakMap<Role, RoleData>()

const META_KEYS = new Set(['dependencies', 'allow_duplicates', 'collections', 'galaxy_info', 'argument_specs'])

/** A role's argument specs, and the entry point its use starts at (`main` or tasks_from). */
export function argumentSpecOf(role: Role): { spec?: ArgumentSpecs[string]; entry: string; validate: boolean } {
  const data = roleData.get(role)
  const entry = data?.use.from.tasks ?? 'main'
  return { spec: data?.specs[entry], entry, validate: data?.use.validate ?? false }
}

/** Loads the role a use names (from the play's cache when used before alike); undefined when it cannot be. */
export function loadRole(use: RoleUse, ctx: ParseContext, chain: readonly Role[], opts: { recursive?: boolean } = {}): Role | undefined {
  const { problems } = ctx
  const parent = chain.at(-1)
  const found = findRole(use.name, roleSearchPath(ctx.roles.playDir, ctx.roles.configured, parent?.path))
  if ('tried' in found) {
    const shown = found.tried.map((p) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p) || '.'))
    problems.add(`role '${use.name}' not found (looked in ${shown.join(', ')}, and for the name as a path)`, use.loc)
    return undefined
  }
  const cycle = opts.recursive ? -1 : chain.findIndex((r) => r.path === found.path)
  if (cycle >= 0) {
    problems.add(`role dependency cycle: ${[...chain.slice(cycle), { name: found.name }].map((r) => r.name).join(' -> ')}`, use.loc)
    return undefined
  }
  const key = JSON.stringify([found.path, use.params, use.vars, use.from, use.fromInclude, use.keywords.when.map((c) => c.expr), use.keywords.tags])
  const cached = ctx.roles.cache.get(key)
  if (cached) {
    if (use.allowDuplicates !== undefined) cached.allowDuplicates = use.allowDuplicates
    return cached
  }
  const meta = readMeta(found.path, problems)
  const role: Role = {
    name: found.name,
    path: found.path,
    key,
    defaults: roleVarsFile(roleFile(found.path, 'defaults', use.from.defaults, use.fromLocs?.defaults ?? use.loc, problems), problems),
    vars: roleVarsFile(roleFile(found.path, 'vars', use.from.vars, use.fromLocs?.vars ?? use.loc, problems), problems),
    keywordVars: use.vars,
    params: use.params,
    dependencies: [],
    allowDuplicates: use.allowDuplicates ?? meta.allowDuplicates,
    fromInclude: use.fromInclude,
    handlers: [],
    playDir: ctx.roles.playDir,
    loc: use.loc,
  }
  roleData.set(role, { specs: meta.specs, rawSpecs: meta.rawSpecs, collections: meta.collections, use, handlersRead: false })
  ctx.roles.cache.set(key, role)
  for (const dep of meta.dependencies) {
    const loaded = loadRole(dep, ctx, [...chain, role])
    if (loaded) role.dependencies.push(loaded)
  }
  return role
}

interface Meta {
  dependencies: RoleUse[]
  allowDuplicates: boolean
  collections: string[]
  specs: ArgumentSpecs
  rawSpecs: Record<string, Vars>
}

/** meta/main (dependencies, allow_duplicates, collections, argument_specs) and meta/argument_specs. */
function readMeta(rolePath: string, problems: Problems): Meta {
  const meta: Meta = { dependencies: [], allowDuplicates: false, collections: [], specs: {}, rawSpecs: {} }
  const file = roleFile(rolePath, 'meta', undefined, { file: rolePath, line: 1, col: 1 }, problems)
  const data = file === undefined ? undefined : problems.attempt(() => loadYamlFile(file))
  const top: SourceLocation = { file: file ?? rolePath, line: 1, col: 1 }
  if (data !== undefined && data !== null && !isMapping(data)) problems.add(`the role's meta file must be a mapping (dependencies: [...]), got ${describe(data)}`, locOf(data) ?? top)
  const specsFile = ['argument_specs.yml', 'argument_specs.yaml'].map((f) => join(rolePath, 'meta', f)).find((f) => roleFileExists(f))
  if (specsFile) {
    const specs = problems.attempt(() => loadYamlFile(specsFile))
    const at: SourceLocation = { file: specsFile, line: 1, col: 1 }
    if (isMapping(specs)) {
      meta.specs = readArgumentSpecs(specs.argument_specs, locOf(specs, 'argument_specs') ?? at, problems)
      if (isMapping(specs.argument_specs)) meta.rawSpecs = specs.argument_specs as Record<string, Vars>
    }
    else if (specs !== undefined) problems.add(`${specsFile} must be a mapping with argument_specs, got ${describe(specs)}`, locOf(specs) ?? at)
  }
  if (!isMapping(data)) return meta
  const r = new KeywordReader(data, problems, top)
  for (const key of Object.keys(data)) {
    if (!META_KEYS.has(key)) problems.add(`unknown key '${key}' in a role's meta${didYouMean(key, META_KEYS)}`, r.keyLoc(key))
  }
  meta.allowDuplicates = r.bool('allow_duplicates') ?? false
  meta.collections = r.strings('collections')
  if (!specsFile && r.has('argument_specs')) {
    meta.specs = readArgumentSpecs(data.argument_specs, r.loc('argument_specs'), problems)
    if (isMapping(data.argument_specs)) meta.rawSpecs = data.argument_specs as Record<string, Vars>
  }
  const deps = data.dependencies
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) r.bad('dependencies', 'a list of roles')
  else for (const [i, entry] of (deps ?? []).entries()) {
    const use = readRoleEntry(entry, locOf(deps, i) ?? r.loc('dependencies'), problems, 'a dependency')
    if (use) meta.dependencies.push(use)
  }
  return meta
}

function roleFileExists(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * One use of a role as a node of its task list: the dependencies' nodes (each compiled for this use, with
 * the role above them in their chain), then the role's tasks parsed with the role as their context. The
 * use's keywords (when, tags, become, ...) reach every task, the dependencies' too, as in Ansible.
 */
export function compileRole(role: Role, chain: readonly Role[], ctx: ParseContext, link: Link): RoleNode | undefined {
  const data = roleData.get(role)!
  const runs: RoleContext = { role, chain }
  const deps = role.dependencies.flatMap((dep) => compileRole(dep, [...chain, role], ctx, link) ?? [])
  const roleCtx = (subdir: 'tasks' | 'handlers'): ParseContext => ({
    ...ctx, role: runs, collections: data.collections, handler: subdir === 'handlers', conditional: false, playDir: join(role.path, subdir),
  })
  const tasksFile = roleFile(role.path, 'tasks', data.use.from.tasks, data.use.fromLocs?.tasks ?? data.use.loc, ctx.problems)
  const loaded = tasksFile === undefined ? [] : loadTaskFile(tasksFile, data.use.loc, roleCtx('tasks'), link)
  // A tasks file that could not be read (reported), or is left to run time (a role including itself).
  if (loaded === undefined) return undefined
  const validation = validationTask(role, data, roleCtx('tasks'))
  const tasks = validation ? [validation, ...loaded] : loaded
  if (!data.handlersRead) {
    // Ansible reads a role's handlers once, with the first use's chain.
    data.handlersRead = true
    const file = roleFile(role.path, 'handlers', data.use.from.handlers, data.use.fromLocs?.handlers ?? data.use.loc, ctx.problems)
    role.handlers = file === undefined ? [] : (loadTaskFile(file, data.use.loc, roleCtx('handlers'), { ...link, how: 'import' }) ?? [])
    applyInherited(role.handlers, { ...data.use.keywords, tags: [] })
  }
  const node: RoleNode = {
    kind: 'role',
    displayName: role.name,
    when: [],
    tags: [],
    vars: {},
    baseDir: role.path,
    loc: data.use.loc,
    keywords: new Set(),
    locOf: () => data.use.loc,
    runs,
    dependencies: deps,
    tasks,
    role: chain.length > 0 ? { role: chain[chain.length - 1], chain: chain.slice(0, -1) } : undefined,
  }
  applyInherited([node], data.use.keywords)
  return node
}

/**
 * Ansible's first task of a use of a role whose entry point has an argument spec (unless rolespec_validate
 * is false): "Validating arguments against arg spec 'main'" (with the entry point's short_description
 * after ' - '), tagged always, running validate_argument_spec with the entry point's options and the role's
 * parameters. It counts as a task (ok) in the recap and is listed by --list-tasks, as in Ansible.
 */
function validationTask(role: Role, data: RoleData, ctx: ParseContext): TaskNode | undefined {
  const entry = data.use.from.tasks ?? 'main'
  const raw = data.rawSpecs[entry]
  if (!data.use.validate || !isMapping(raw)) return undefined
  const about = typeof raw.short_description === 'string' ? ` - ${raw.short_description}` : ''
  const node = {
    name: `Validating arguments against arg spec '${entry}'${about}`,
    validate_argument_spec: {
      argument_spec: isMapping(raw.options) ? raw.options : {},
      provided_arguments: role.params,
      validate_args_context: { type: 'role', name: role.name, argument_spec_name: entry, path: role.path },
    },
    tags: ['always'],
  }
  return parseTask(new KeywordReader(node, ctx.problems, data.use.loc), ctx)
}

/** A role's handlers after its dependencies', as Ansible lists them for a play. */
export function roleHandlers(role: Role, seen = new Set<Role>()): TaskNode[] {
  if (seen.has(role)) return []
  seen.add(role)
  return [...role.dependencies.flatMap((d) => roleHandlers(d, seen)), ...role.handlers]
}

/** A role's context for the nodes a use of it contains: `chain` then the role. */
export function innerChain(ctx: ParseContext): Role[] {
  return ctx.role ? [...ctx.role.chain, ctx.role.role] : []
}
