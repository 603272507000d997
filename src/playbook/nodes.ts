// Task lists: each entry becomes a task, a block, an include_tasks node, or (import_tasks) the tasks of
// another file inlined in its place.
import type { SourceLocation } from '../errors.js'
import { locOf } from '../yaml-source.js'
import type { Problems } from './problems.js'
import { KeywordReader, describe, isMapping } from './reader.js'
import { canonical } from './keywords.js'
import { parseTask } from './task.js'
import { parseBlock } from './block.js'
import { parseImportTasks, parseIncludeTasks, parseLegacyInclude } from './imports.js'
import { parseImportRole, parseIncludeRole } from './roles/uses.js'
import type { PlayRoles } from './roles/load.js'
import type { LoadOptions, RoleContext, TaskNode } from './types.js'

export interface ParseContext {
  problems: Problems
  opts: LoadOptions
  moduleNames: string[]
  /** The file being read, and its directory. */
  file: string
  baseDir: string
  /** The play's directory: task files are looked up next to the including file, then here. */
  playDir: string
  /** Resolved paths of the files being imported, outermost first (cycle detection). */
  chain: string[]
  /** For each file of `chain`, whether the import or include that reached it runs only under a condition. */
  chainConditional?: boolean[]
  /** What is parsed now runs only under a condition: a block's `when`, a rescue section, a handler. */
  conditional?: boolean
  /** What is parsed now was brought in by a dynamic include (include_tasks, include_role): a bare `include` in it is dynamic too. */
  dynamic?: boolean
  /** Parsing a play's handlers (where `listen` is allowed). */
  handler: boolean
  /** The role whose files are being read. */
  role?: RoleContext
  /** `collections:` of the play, or of the role being read (roles do not inherit the play's). */
  collections: string[]
  /** The play's roles: the role cache, the roles the play uses, imported roles' handlers. */
  roles: PlayRoles
}

/** A list of tasks (`tasks:`, `block:`, a task file). `null` is an empty list. */
export function parseTaskList(value: unknown, ctx: ParseContext, what: string, loc: SourceLocation): TaskNode[] {
  if (value === null || value === undefined) return []
  if (!Array.isArray(value)) {
    ctx.problems.add(`${what} must be a list of tasks, got ${describe(value)}`, loc)
    return []
  }
  const out: TaskNode[] = []
  value.forEach((item, i) => {
    const at = locOf(value, i) ?? loc
    if (!isMapping(item)) {
      ctx.problems.add(`each entry of ${what} must be a mapping (a task), got ${describe(item)}`, at)
      return
    }
    out.push(...parseTaskNode(item, ctx, at))
  })
  return out
}

/** One entry of a task list; import_tasks may expand to several nodes, a broken entry to none. */
function parseTaskNode(node: Record<string, unknown>, ctx: ParseContext, loc: SourceLocation): TaskNode[] {
  const r = new KeywordReader(node, ctx.problems, loc)
  const keys = Object.keys(node)
  if (keys.includes('block')) return [parseBlock(r, ctx)]
  const include = keys.find((k) => canonical(k) === 'include_tasks')
  if (include) return [parseIncludeTasks(r, include, ctx)]
  const legacy = keys.find((k) => canonical(k) === 'include')
  if (legacy) return parseLegacyInclude(r, legacy, ctx)
  const imp = keys.find((k) => canonical(k) === 'import_tasks')
  if (imp) return parseImportTasks(r, imp, ctx)
  const misplaced = keys.find((k) => ['import_playbook', 'rescue', 'always'].includes(canonical(k)))
  if (misplaced) {
    const why = misplaced === 'import_playbook' ? 'is only valid at the top level of a playbook' : "is only valid next to 'block'"
    ctx.problems.add(`${misplaced} ${why}`, r.keyLoc(misplaced))
    return []
  }
  const includeRole = keys.find((k) => canonical(k) === 'include_role')
  if (includeRole) return [parseIncludeRole(r, includeRole, ctx)]
  const importRole = keys.find((k) => canonical(k) === 'import_role')
  if (importRole) return parseImportRole(r, importRole, ctx)
  const task = parseTask(r, ctx)
  return task ? [task] : []
}

/** A task's name as Ansible shows it: inside a role, `role : name`. */
export function roleTaskName(ctx: ParseContext, name: string): string {
  return `${ctx.role ? `${ctx.role.role.name} : ` : ''}${name}`
}

/** The fields every node kind reads the same way. */
export function baseFields(r: KeywordReader, ctx: ParseContext) {
  return {
    name: r.string('name'),
    when: r.conditions('when') ?? [],
    tags: r.strings('tags', true),
    vars: r.vars(),
    baseDir: ctx.baseDir,
    role: ctx.role,
    loc: r.fallback,
    keywords: new Set(Object.keys(r.node)) as ReadonlySet<string>,
    locOf: (): SourceLocation => r.fallback,
  }
}
