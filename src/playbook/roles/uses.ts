// Where a play uses roles: its `roles:` section, import_role (static: the role's node takes the task's
// place at load time, its keywords reaching every task of the role) and include_role (dynamic: the engine
// loads the role per host at run time, possibly in a loop; preloaded here when its name is literal so its
// errors come before any host is contacted).
import type { SourceLocation } from '../../errors.js'
import { locOf } from '../../yaml-source.js'
import { parseFreeForm } from '../free-form.js'
import { isConditional, ownParams, preloadDynamic, savedContext, type SavedContext } from '../imports.js'
import { applyInherited, nodeLocator, nothingInherited } from '../inherit.js'
import { IMPORT_KEYWORDS, INCLUDE_KEYWORDS, readApply, readLoop, readSettings, reportUnknownKeys } from '../keywords.js'
import { baseFields, roleTaskName, type ParseContext } from '../nodes.js'
import { Problems } from '../problems.js'
import { withAnsibleModules } from '../ansible-modules.js'
import { KeywordReader, describe, isMapping, isTemplated } from '../reader.js'
import { didYouMean } from '../suggest.js'
import type { IncludeRole, Inherited, Role, RoleEntryFiles, RoleNode, TaskNode } from '../types.js'
import { readRoleEntry } from './entry.js'
import { compileRole, innerChain, loadRole, roleHandlers, type RoleUse } from './load.js'

/** The play's `roles:` section: each entry's node, in order (they run before the play's tasks). */
export function parseRolesSection(value: unknown, at: SourceLocation, ctx: ParseContext): RoleNode[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) {
    ctx.problems.add(`roles must be a list of roles, got ${describe(value)}`, at)
    return []
  }
  return value.flatMap((entry, i) => {
    const use = readRoleEntry(entry, locOf(value, i) ?? at, ctx.problems, 'an entry of roles')
    const role = use && loadRole(use, ctx, [])
    if (!role) return []
    addPlayRole(ctx, role)
    const node = compileRole(role, [], ctx, { how: 'import', conditional: use.keywords.when.length > 0 })
    return node ? [node] : []
  })
}

/** The play's roles in the order Ansible keeps them (`roles:`, then import_role as they are read). */
function addPlayRole(ctx: ParseContext, role: Role): void {
  if (!ctx.roles.list.includes(role)) ctx.roles.list.push(role)
}

const FROM_KEYS = { tasks_from: 'tasks', vars_from: 'vars', defaults_from: 'defaults', handlers_from: 'handlers' } as const
const ROLE_ARGS = new Set(['name', 'role', ...Object.keys(FROM_KEYS), 'apply', 'public', 'allow_duplicates', 'rolespec_validate'])

interface RoleArgs {
  name?: string
  nameLoc: SourceLocation
  from: RoleEntryFiles
  fromLocs: Partial<Record<keyof RoleEntryFiles, SourceLocation>>
  /** A file name is templated (include_role only). */
  templated: boolean
  apply?: Inherited
  public?: boolean
  allowDuplicates?: boolean
  validate: boolean
}

/** The arguments of import_role/include_role: a mapping, or `name=x tasks_from=y` text. */
function readRoleArgs(r: KeywordReader, key: string, kind: 'import_role' | 'include_role'): RoleArgs {
  const value = r.node[key]
  let args: Record<string, unknown> = {}
  if (isMapping(value)) args = value
  else if (typeof value === 'string' && value.includes('=')) args = parseFreeForm(value).args
  else r.problems.add(`${kind} needs the role's name (${kind}: {name: ROLE}), got ${describe(value)}`, r.loc(key))
  const a = new KeywordReader(args, r.problems, r.loc(key))
  for (const k of Object.keys(args)) {
    if (!ROLE_ARGS.has(k)) r.problems.add(`${kind} has no option '${k}'${didYouMean(k, ROLE_ARGS)}`, a.keyLoc(k))
    else if (kind === 'import_role' && (k === 'apply' || k === 'public')) r.problems.add(`'${k}' is only valid for include_role (import_role is static)`, a.keyLoc(k))
  }
  const nameKey = a.has('name') ? 'name' : 'role'
  const name = a.string(nameKey)
  if (isMapping(value) && (name === undefined || name.trim() === '')) r.problems.add(`${kind} needs the role's name (name: ROLE)`, r.loc(key))
  const from: RoleEntryFiles = {}
  const fromLocs: RoleArgs['fromLocs'] = {}
  let templated = false
  for (const [option, subdir] of Object.entries(FROM_KEYS)) {
    const file = a.string(option)
    if (file === undefined) continue
    from[subdir] = file
    fromLocs[subdir] = a.loc(option)
    templated ||= isTemplated(file)
  }
  const out: RoleArgs = {
    name: name?.trim() === '' ? undefined : name,
    nameLoc: a.loc(nameKey),
    from,
    fromLocs,
    templated,
    allowDuplicates: a.bool('allow_duplicates'),
    validate: a.bool('rolespec_validate') ?? true,
  }
  if (kind === 'include_role') {
    out.public = a.bool('public')
    const apply = a.mapping('apply')
    if (apply) out.apply = readApply(new KeywordReader(apply, r.problems, a.loc('apply')))
  }
  for (const [k, v] of a.locs) r.locs.set(`args.${k}`, v)
  r.locs.set('args.name', out.nameLoc)
  return out
}

/** import_role: the role's node in the task's place; its keywords reach every task of the role. */
export function parseImportRole(r: KeywordReader, key: string, ctx: ParseContext): TaskNode[] {
  if (r.has('loop')) r.problems.add('import_role cannot loop; use include_role', r.keyLoc('loop'))
  reportUnknownKeys(r, IMPORT_KEYWORDS, 'import_role', new Set([key, 'loop']))
  const args = readRoleArgs(r, key, 'import_role')
  const keywords: Inherited = { when: r.conditions('when') ?? [], tags: r.strings('tags', true), vars: r.vars(), settings: readSettings(r) }
  if (args.name === undefined) return []
  if (isTemplated(args.name) || args.templated) {
    r.problems.add('import_role is static and needs a literal role name and files; use include_role for templated ones', isTemplated(args.name) ? args.nameLoc : r.loc(key))
    return []
  }
  const use: RoleUse = {
    name: args.name, loc: args.nameLoc, params: {}, vars: keywords.vars, from: args.from, fromLocs: args.fromLocs, fromInclude: true,
    allowDuplicates: args.allowDuplicates ?? true, keywords, validate: args.validate,
  }
  const chain = innerChain(ctx)
  const role = loadRole(use, ctx, chain)
  if (!role) return []
  addPlayRole(ctx, role)
  const node = compileRole(role, chain, ctx, { how: 'import', conditional: isConditional(ctx, keywords.when.length > 0) })
  for (const h of roleHandlers(role)) if (!ctx.roles.importedHandlers.includes(h)) ctx.roles.importedHandlers.push(h)
  return node ? [node] : []
}

const roleIncludes = new WeakMap<IncludeRole, SavedContext>()

/** include_role: kept as a node the engine expands per host; preloaded when its name and files are literal. */
export function parseIncludeRole(r: KeywordReader, key: string, ctx: ParseContext): IncludeRole {
  reportUnknownKeys(r, INCLUDE_KEYWORDS, 'include_role', new Set([key]))
  const args = readRoleArgs(r, key, 'include_role')
  const common = baseFields(r, ctx)
  const apply = args.apply ?? nothingInherited()
  const node: IncludeRole = {
    kind: 'include_role',
    ...common,
    displayName: common.name === undefined ? `include_role : ${args.name ?? ''}` : roleTaskName(ctx, common.name),
    action: key,
    roleName: args.name ?? '',
    from: args.from,
    public: args.public ?? false,
    allowDuplicates: args.allowDuplicates ?? true,
    validate: args.validate,
    ...readLoop(r),
    params: ownParams(common.vars),
    // As include_tasks: the include's vars reach the role's tasks (as include parameters), its condition
    // and tags are the include's own (as in Ansible, `--tags t` runs an include tagged t but none of the
    // tasks it brings in that are not tagged t themselves); `apply` hands down any block keyword.
    inherit: {
      when: apply.when,
      tags: apply.tags,
      vars: { ...apply.vars, ...common.vars },
      settings: apply.settings,
      params: common.vars,
    },
  }
  node.locOf = nodeLocator(node, r)
  const conditional = isConditional(ctx, node.when.length > 0 || node.loop !== undefined)
  roleIncludes.set(node, savedContext(ctx, conditional))
  const name = args.name
  if (name !== undefined && !isTemplated(name) && !args.templated) {
    node.preloaded = preloadDynamic(ctx, (own) => includedRole(node, name, args.from, own, 'include', conditional))
  }
  return node
}

/**
 * Loads the role an include_role names once its name and files are rendered (at run time), with what the
 * include hands down. Throws ConfigErrors when the role is missing or invalid.
 */
export function loadIncludedRole(inc: IncludeRole, name: string, from: RoleEntryFiles): RoleNode {
  const saved = roleIncludes.get(inc)
  if (!saved) throw new Error('loadIncludedRole: the include was not created by loadPlaybook')
  const { node, problems } = withAnsibleModules(saved.opts, () => {
    const problems = new Problems()
    const ctx: ParseContext = { ...saved, problems, file: inc.loc.file, baseDir: inc.baseDir, chainConditional: saved.chainConditional?.slice(0, -1) }
    return { node: includedRole(inc, name, from, ctx, 'run', saved.chainConditional?.at(-1) ?? true), problems }
  })
  problems.throwIfAny()
  if (!node) throw new Error(`loadIncludedRole: role '${name}' loaded without tasks or errors`)
  return node
}

function includedRole(inc: IncludeRole, name: string, from: RoleEntryFiles, ctx: ParseContext, how: 'include' | 'run', conditional: boolean): RoleNode | undefined {
  const fromLocs = Object.fromEntries(Object.keys(from).map((k) => [k, inc.locOf(`args.${k}_from`)]))
  const use: RoleUse = {
    name, loc: inc.locOf('args.name'), params: {}, vars: inc.vars, from, fromLocs, fromInclude: true,
    allowDuplicates: inc.allowDuplicates, keywords: nothingInherited(), validate: inc.validate,
  }
  const chain = innerChain(ctx)
  // A role may include itself under a condition that ends it: that is left to run time, as for include_tasks.
  const role = loadRole(use, ctx, chain, { recursive: true })
  const node = role && compileRole(role, chain, ctx, { how, conditional })
  if (node) applyInherited([node], inc.inherit)
  return node
}
