// The loaded playbook: plain data with a source position on every node, ready for the engine.
// Values are raw (untemplated); keyword values are already type-checked and normalised.
import type { ConfigError, SourceLocation } from '../errors.js'
import type { AnsibleModules, LibraryFile, LibraryFinder, ModuleDef } from '../modules/index.js'

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
   * A playbook's own module: the file of that name in the given library directories, if one is there
   * (src/modules/library: libraryFinder), with why pgha cannot run it when it cannot.
   */
  libraryModule?: LibraryFinder
  /**
   * Last, a module pgha lacks as the controller's Ansible resolves it (src/modules/ansible). Names it has
   * no answer for yet are collected; the loader then `settle`s them in one ask and reads the files again.
   */
  ansibleModule?: AnsibleModules
  /** A module's name as Ansible users know it (ansible.builtin.copy), to suggest in the style a task wrote. */
  fqcnOf?: (name: string) => string
  /**
   * Receives the problems instead of a throw, and what could be loaded is returned, so that later checks
   * (host patterns, variables) still run and every problem is reported in one go.
   */
  onProblems?: (errors: ConfigError[]) => void
  /** The -e variables: a templated import_playbook name is rendered with them (and the import's vars). */
  extraVars?: Vars
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
  /** A failure on any host ends the run after this task (the play's any_errors_fatal when unset). */
  anyErrorsFatal?: boolean
  /** `remote_user` and `connection` (local or ssh): defaults a host's ansible_user and ansible_connection override. */
  remoteUser?: string
  connection?: string
  /** An unreachable host is reported and ignored: it stays in the play (counted as ignored). */
  ignoreUnreachable?: boolean
  /** `diff`: show (or not) this task's file differences, whatever --diff says. */
  diff?: boolean
  /** Settings given as templates (`become: "{{ use_sudo }}"`), evaluated per host when the task runs. */
  templated?: TemplatedKeywords
}

/** The keywords that may be given as a template whose value the engine checks when the task runs. */
export type TemplatedKeyword = 'become' | 'checkMode' | 'noLog' | 'ignoreErrors' | 'runOnce' | 'environment' | 'retries' | 'delay' | 'async' | 'poll'

export type TemplatedKeywords = Partial<Record<TemplatedKeyword, KeywordTemplate>>

interface NodeBase {
  name?: string
  /** The name, or a summary (`command: echo hi`, `include_tasks: tasks/x.yml`) for unnamed nodes. */
  displayName: string
  /**
   * A task's module or include keyword as written (`ansible.builtin.include_role`; the module of `action:`),
   * which ansible-playbook --list-tasks prints for an unnamed task.
   */
  action?: string
  /** Conditions, all of which must hold; inherited ones (block, import) come first. */
  when: Condition[]
  /** Own tags plus those inherited from blocks, imports, includes and the play. */
  tags: string[]
  vars: Vars
  /** Directory of the file that declared this node (for files/ and templates/ lookups). */
  baseDir: string
  /** The role this node is a task of (with the roles whose dependency brought it in). */
  role?: RoleContext
  /**
   * Include parameters: the vars of the include_tasks/include_role nodes around this one (and its own, for
   * an include), which Ansible ranks above set_fact and registered results, below extra vars.
   */
  params?: Vars
  loc: SourceLocation
  /** Keywords written on this node itself (not inherited). */
  keywords: ReadonlySet<string>
  /**
   * Where a keyword or argument is written: `locOf('tags', 1)` is the second tag, `locOf('args.dest')`
   * the value of the dest argument. Falls back to the node's location.
   */
  locOf(key: string, index?: number): SourceLocation
}

export interface Task extends NodeBase, LoopFields {
  kind: 'task'
  /** Canonical module name (`ansible.builtin.copy` -> `copy`). */
  module: string
  /** A playbook's own module (`library/`): the file the task runs; `module` is then its name. */
  library?: LibraryFile
  /** Raw arguments: the module's mapping or parsed free-form text, merged with the `args:` keyword. */
  args: Record<string, unknown>
  /** Where the module's arguments are written (the value of the module key). */
  argsLoc: SourceLocation
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
  /** `async`: seconds the job may run in the background on the host (0: the task runs in the foreground). */
  async: number
  /** `poll`: seconds between checks of an async job (0: started, not waited for). */
  poll: number
  /** At most this many hosts run the task at once (below forks). */
  throttle?: number
  anyErrorsFatal?: boolean
  remoteUser?: string
  connection?: string
  ignoreUnreachable?: boolean
  diff?: boolean
  /** With delegate_to: the facts the task sets (set_fact, include_vars, fact modules) go to the delegated host. */
  delegateFacts?: boolean
  /** Handler topics (handlers only). */
  listen: string[]
  /** Keywords given as templates: the engine renders them per host (and item) over the values above. */
  templated?: TemplatedKeywords
}

export interface Block extends NodeBase, TaskSettings {
  kind: 'block'
  block: TaskNode[]
  rescue: TaskNode[]
  always: TaskNode[]
}

/** A keyword's value as a template (`retries: "{{ n }}"`), evaluated where Ansible evaluates it. */
export interface KeywordTemplate {
  template: string
  loc: SourceLocation
}

/** A keyword given as its value or as a template for it. */
export type Templatable<T> = T | KeywordTemplate

/** `loop` (or `with_<lookup>`) and `loop_control` of a task or an include. */
export interface LoopFields {
  /** `loop`'s list or template, or the terms of `with_<lookup>`. */
  loop?: unknown
  /** The lookup of `with_<lookup>` that makes the items from `loop`'s terms. */
  loopWith?: string
  loopLoc?: SourceLocation
  loopVar: string
  loopLabel?: string
  indexVar?: string
  /** Seconds between items. */
  loopPause?: Templatable<number>
  /** ansible_loop: index, first, last, length, previtem... */
  loopExtended?: Templatable<boolean>
  /** ansible_loop.allitems with extended (default true). */
  loopAllItems?: Templatable<boolean>
}

/** Dynamic include: the file name may be templated and it may loop, so the engine expands it at run time. */
export interface IncludeTasks extends NodeBase, LoopFields {
  kind: 'include_tasks'
  file: string
  /** What the included tasks inherit (tags and settings of enclosing blocks and of the include). */
  inherit: Inherited
  /** The included tasks, loaded at load time when the file name is literal (so their errors come first). */
  preloaded?: TaskNode[]
}

/** Where a role's files are read from: `tasks_from` and friends (a name in tasks/, vars/, ...). */
export interface RoleEntryFiles {
  tasks?: string
  vars?: string
  defaults?: string
  handlers?: string
}

/** A role as one play uses it: loaded once per name and parameters, as Ansible's role cache does. */
export interface Role {
  /** role_name: the role's directory name. */
  name: string
  /** role_path: the role's directory. */
  path: string
  /** Two uses with the same key are the same role, which runs once per host unless it allows duplicates. */
  key: string
  /** defaults/main (or defaults_from): the lowest precedence of all. */
  defaults: Vars
  /** vars/main (or vars_from): above play vars, below task vars. */
  vars: Vars
  /** The `vars:` written where the role is used (ranked with the role's vars, which win over them). */
  keywordVars: Vars
  /** Role parameters: the other keys of a `roles:` entry or dependency (above set_fact). */
  params: Vars
  dependencies: Role[]
  allowDuplicates: boolean
  /** Loaded by import_role or include_role (not the play's `roles:` or a dependency). */
  fromInclude: boolean
  /** handlers/main (or handlers_from), parsed once per role as Ansible does. */
  handlers: TaskNode[]
  /** The play's directory: files and templates not in the role are looked up there. */
  playDir: string
  /** Where the role was first named. */
  loc: SourceLocation
}

/** A role and the roles above it (whose dependency it is, or which include it), outermost first. */
export interface RoleContext {
  role: Role
  chain: readonly Role[]
}

/** One use of a role in a task list (a `roles:` entry, an import_role, a dependency): its tasks run in place. */
export interface RoleNode extends NodeBase {
  kind: 'role'
  /** The role this node runs (`role` of NodeBase is the role it sits in, for a dependency). */
  runs: RoleContext
  /** The dependencies' nodes: each runs before the role's tasks, and decides for itself whether it already ran. */
  dependencies: RoleNode[]
  /** The role's own tasks. */
  tasks: TaskNode[]
}

/** include_role: loaded per host at run time (its name may be templated, and it may loop). */
export interface IncludeRole extends NodeBase, LoopFields {
  kind: 'include_role'
  /** The role's name or path, maybe templated. */
  roleName: string
  from: RoleEntryFiles
  /** Its defaults and vars stay visible to the rest of the play once it has run. */
  public: boolean
  allowDuplicates: boolean
  /** Check the role's argument_specs (default true). */
  validate: boolean
  /** What the role's tasks inherit: the include's tags and vars, and `apply`. */
  inherit: Inherited
  /** The role's node, loaded at load time when its name and files are literal (so its errors come first). */
  preloaded?: RoleNode
}

export type TaskNode = Task | Block | IncludeTasks | RoleNode | IncludeRole

/** What a parent passes to its children at load time. */
export interface Inherited {
  when: Condition[]
  tags: string[]
  vars: Vars
  settings: TaskSettings
  /** Include parameters (an include's vars): above set_fact for everything the include brings in. */
  params?: Vars
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
  /** `vars_prompt`: asked before the run; the answers become play variables. */
  varsPrompt: VarPrompt[]
  become?: boolean
  becomeUser?: string
  gatherFacts: boolean
  /** gather_subset as written (`network`, `!hardware`); all when not given. */
  gatherSubset?: string[]
  /** Batch size: a count or a percentage such as "30%". */
  serial?: number | string
  anyErrorsFatal: boolean
  /** `remote_user` and `connection` of the play (for Gathering Facts; its tasks inherit them). */
  remoteUser?: string
  connection?: string
  maxFailPercentage?: number
  /** `order`: the order of the play's hosts. */
  order: HostOrder
  preTasks: TaskNode[]
  /** The `roles:` entries' nodes first, then the play's `tasks:` (one section between handler flushes). */
  tasks: TaskNode[]
  postTasks: TaskNode[]
  /** The roles' handlers, the play's own, then those of imported roles (Ansible's order). */
  handlers: TaskNode[]
  /**
   * The play's roles (its `roles:` and every import_role): their defaults and vars are seen by every task
   * of the play, as in Ansible. A public include_role adds its role when it runs.
   */
  roles: Role[]
  /** `collections:`: where short module names are looked up first. */
  collections: string[]
  tags: string[]
  /** Directory of the playbook file that declared the play. */
  baseDir: string
  /** The playbook file that declared the play (an imported one for import_playbook). */
  file: string
  loc: SourceLocation
  locOf(key: string, index?: number): SourceLocation
}

/** One entry of a play's `vars_prompt`. */
export interface VarPrompt {
  name: string
  /** The question shown (the name when none is given). */
  prompt: string
  /** Taken when the user types nothing, and when there is no terminal to ask on. */
  default?: unknown
  /** Typed without echo, and the value is a secret of the run (the default, as in Ansible). */
  private: boolean
  /** Asked twice; the two answers must agree. */
  confirm: boolean
  /** The value is stored hashed, as password_hash would give it (sha512_crypt, sha256_crypt). */
  encrypt?: string
  saltSize?: number
  salt?: string
  /** The value is never templated. */
  unsafe: boolean
  loc: SourceLocation
}

/** Ansible's `order` of a play's hosts. */
export type HostOrder = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle'

export interface Playbook {
  file: string
  plays: Play[]
  /** Notes about what loaded (deprecated spellings, keywords accepted and ignored), each where it is written. */
  warnings?: ConfigError[]
}
