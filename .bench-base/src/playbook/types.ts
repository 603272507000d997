// The loaded playbook: plain data with a source position on every node, ready for the engine.
// Values are raw (untemplated); keyword values are already type-checked and normalised.
import type { ConfigError, SourceLocation } from '../errors.js'
import type { ModuleDef } from '../modules/index.js'

export type Vars = Record<string, unknown>

/** One condition (when, changed_when, failed_when, until) as written, with where it is written. */
export interface Condition {
  expr: string
  loc: SourceLocation
}

export interface LoadOptions {
  /** The module registry (getModule from src/modules). FQCNs are resolved by it. */
  modules: (name: string) => ModuleDef | undefined
  /** Every module name (an array, or anything iterable more than once), for "did you mean" suggestions. */
  moduleNames?: Iterable<string>
  /**
   * Receives the problems instead of a throw, and what could be loaded is returned, so that later checks
   * (host patterns, variables) still run and every problem is reported in one go.
   */
  onProblems?: (errors: ConfigError[]) => void
}

/** Keywords a block or import_tasks hands down to its tasks (a task's own value wins). */
export interface TaskSettings {
  become?: boolean
  becomeUser?: string
  checkMode?: boolean
  noLog?: boolean
  ignoreErrors?: boolean
  runOnce?: boolean
  delegateTo?: string
  environment?: Record<string, string>
}

interface NodeBase {
  name?: string
  /** The name, or a summary (`command: echo hi`, `include_tasks: tasks/x.yml`) for unnamed nodes. */
  displayName: string
  /** Conditions, all of which must hold; inherited ones (block, import) come first. */
  when: Condition[]
  /** Own tags plus those inherited from blocks, imports, includes and the play. */
  tags: string[]
  vars: Vars
  /** Directory of the file that declared this node (for files/ and templates/ lookups). */
  baseDir: string
  loc: SourceLocation
  /** Keywords written on this node itself (not inherited). */
  keywords: ReadonlySet<string>
  /**
   * Where a keyword or argument is written: `locOf('tags', 1)` is the second tag, `locOf('args.dest')`
   * the value of the dest argument. Falls back to the node's location.
   */
  locOf(key: string, index?: number): SourceLocation
}

export interface Task extends NodeBase {
  kind: 'task'
  /** Canonical module name (`ansible.builtin.copy` -> `copy`). */
  module: string
  /** Raw arguments: the module's mapping or parsed free-form text, merged with the `args:` keyword. */
  args: Record<string, unknown>
  /** Where the module's arguments are written (the value of the module key). */
  argsLoc: SourceLocation
  loop?: unknown
  loopLoc?: SourceLocation
  loopVar: string
  loopLabel?: string
  indexVar?: string
  register?: string
  notify: string[]
  /** All must hold for the task to count as changed. */
  changedWhen?: Condition[]
  /** The task failed when any holds. */
  failedWhen?: Condition[]
  /** A list under `until` is joined into one condition with `and`. */
  until?: Condition
  /** Attempts after the first while `until` does not hold (default 3). */
  retries: number
  /** Seconds between retries (default 5). */
  delay: number
  ignoreErrors: boolean
  become?: boolean
  becomeUser?: string
  checkMode?: boolean
  noLog: boolean
  runOnce: boolean
  delegateTo?: string
  environment?: Record<string, string>
  /** Seconds. */
  timeout?: number
  /** Handler topics (handlers only). */
  listen: string[]
}

export interface Block extends NodeBase, TaskSettings {
  kind: 'block'
  block: TaskNode[]
  rescue: TaskNode[]
  always: TaskNode[]
}

/** Dynamic include: the file name may be templated and it may loop, so the engine expands it at run time. */
export interface IncludeTasks extends NodeBase {
  kind: 'include_tasks'
  file: string
  loop?: unknown
  loopLoc?: SourceLocation
  loopVar: string
  loopLabel?: string
  indexVar?: string
  /** What the included tasks inherit (tags and settings of enclosing blocks and of the include). */
  inherit: Inherited
  /** The included tasks, loaded at load time when the file name is literal (so their errors come first). */
  preloaded?: TaskNode[]
}

export type TaskNode = Task | Block | IncludeTasks

/** What a parent passes to its children at load time. */
export interface Inherited {
  when: Condition[]
  tags: string[]
  vars: Vars
  settings: TaskSettings
}

export interface VarsFile {
  path: string
  loc: SourceLocation
}

export interface Play {
  name: string
  /** Host pattern (a YAML list is joined with `:`). */
  hosts: string
  hostsLoc: SourceLocation
  vars: Vars
  varsFiles: VarsFile[]
  become?: boolean
  becomeUser?: string
  gatherFacts: boolean
  /** Batch size: a count or a percentage such as "30%". */
  serial?: number | string
  anyErrorsFatal: boolean
  maxFailPercentage?: number
  preTasks: TaskNode[]
  tasks: TaskNode[]
  postTasks: TaskNode[]
  handlers: TaskNode[]
  tags: string[]
  /** Directory of the playbook file that declared the play. */
  baseDir: string
  /** The playbook file that declared the play (an imported one for import_playbook). */
  file: string
  loc: SourceLocation
  locOf(key: string, index?: number): SourceLocation
}

export interface Playbook {
  file: string
  plays: Play[]
}
