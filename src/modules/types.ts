// The module contract. A module declares its parameters as a zod schema (validation, `pgha doc` and
// types from one source); `plan` reads facts and returns the changes it would make, with no side effect;
// `apply` performs exactly those changes. Check mode runs plan only.
import type { z } from 'zod'
import type { FactDef, FactRead } from '../facts/types.js'
import type { Duplex } from 'node:stream'
import type { LibraryFile } from './library/module.js'
import type { ExecOptions, ExecResult, StreamTarget, WriteFileOptions, WriteFileResult } from '../transport/types.js'

/** What every change says about itself. Files carry before/after text for --diff. */
export interface ChangeText {
  /** One line, shown in --check and -v output: `write /etc/sudoers.d/postgres`, `install flex, pam-devel`. */
  description: string
  /** For file changes: the path and the text before (empty when created) and after (empty when removed). */
  path?: string
  before?: string
  after?: string
}

/**
 * One change a module would make, with `data`: what the module's apply needs to perform it, carried from
 * plan to apply and typed by the module (the SQL statement, the command, the file operation). A module
 * whose changes carry nothing has Data = undefined and leaves `data` out.
 */
export type Change<Data = unknown> = ChangeText & ([Data] extends [undefined] ? { data?: undefined } : { data: Data })

/** The directories controller files are looked up in, by what they are. */
export type LocalKind = 'files' | 'templates' | 'vars'

/** The result of one task on one host, as `register` stores it and JSON output prints it. */
export interface TaskResult {
  changed: boolean
  failed: boolean
  skipped?: boolean
  msg?: string
  rc?: number
  stdout?: string
  stderr?: string
  stdout_lines?: string[]
  stderr_lines?: string[]
  diff?: { path?: string; before: string; after: string }[]
  /** Module-specific values (stat, content, ansible_facts for set_fact, ...). */
  [key: string]: unknown
}

/**
 * What a module's result asks of the run's inventory, in the keys of Ansible's add_host and group_by
 * results (a registered result shows them as Ansible's does). The engine applies it (src/engine/
 * inventory-requests.ts) and sets `changed` by whether the inventory changed.
 */
export interface InventoryRequest {
  /** add_host: the host (created if new) joins these groups and gets these variables. */
  add_host?: { host_name: string; groups: string[]; host_vars: Record<string, unknown> }
  /** group_by: the task's host joins this group, created under parent_groups when new. */
  add_group?: string
  parent_groups?: string[]
}

/** What the earlier tasks of a check run would have created on a host (see ModuleContext.toCreate). */
export interface CheckCreations {
  users: ReadonlySet<string>
  paths: ReadonlySet<string>
}

/** What plan returns: the changes, and optionally result values known without applying (stat, debug). */
export interface Plan<Data = unknown> {
  changes: Change<Data>[]
  result?: Partial<TaskResult>
  /** The module cannot tell in check mode whether it would change anything (command without creates). */
  unpredictable?: boolean
  /**
   * The account these changes create. A check run records it, so that later tasks that need the account
   * (becoming it, writing its keys) preview what they would do instead of failing on a user that only a
   * real run would have created by then.
   */
  createsUser?: string
}

/** Facts gathered at play start (gather_facts). */
export interface HostFacts {
  os_family: string // Debian, RedHat, ...
  distribution: string // Debian, CentOS, ...
  distribution_major_version: string
  pkg_mgr: 'apt' | 'yum' | 'dnf' | 'unknown'
  service_mgr: string // systemd, sysvinit, ...
  hostname: string
  default_ipv4: string
  /** Everything gathered, as Ansible's setup module names it without the ansible_ prefix (facts/setup.ts). */
  setup?: Record<string, unknown>
}

export interface ModuleContext {
  /** Inventory name of the host. */
  host: string
  /** Variables in scope for this task on this host (already templated params are passed separately). */
  vars: Record<string, unknown>
  /** True in --check: plan only; apply is never called. */
  check: boolean
  /**
   * In a check run: what earlier tasks would have created on this host by now and a check run did not,
   * the accounts (Plan.createsUser) and the files they would write (their changes' paths).
   */
  toCreate?: CheckCreations
  /** How many -v the run was given (debug's verbosity compares with it). */
  verbosity: number
  /** The task's no_log and diff, which Ansible hands its modules as `_ansible_no_log` / `_ansible_diff`. */
  noLog?: boolean
  diff?: boolean
  /** Runs a command with the task's become settings unless overridden. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>
  /** A stream to a socket on the host (the pg client's route); absent when the transport has none. */
  openStream?(target: StreamTarget): Promise<Duplex>
  /** Reads a fact through the per-host cache. */
  fact<A, T>(def: FactDef<A, T>, args: A): Promise<T>
  /**
   * Forgets cached facts of this name (all args when none given): apply calls it after changing the host.
   * Without a def, every fact of the host (it rebooted).
   */
  invalidate(def?: FactDef<any, any>, args?: unknown): void
  /** Atomic file write with the task's become settings. */
  writeFile(path: string, content: string | Buffer, options?: WriteFileOptions): Promise<WriteFileResult>
  /** Copies a controller file to the host atomically. */
  putFile(localPath: string, path: string, options?: WriteFileOptions): Promise<WriteFileResult>
  /** Reads a file on the host (undefined when missing). */
  readFile(path: string): Promise<Buffer | undefined>
  /** Resolves a controller-side path: relative paths look in the role's and playbook's `files/`/`templates/`/`vars/` dirs, then the project's. */
  resolveLocal(kind: LocalKind, path: string): string
  /** Renders a Handlebars template text with the task's variables (strict: undefined variables throw). */
  render(text: string, source: string): string
  /** The host's connection itself, for the modules that outlive it (reboot, wait_for_connection); absent on the controller. */
  link?: HostLink
  /** Sleeps, but wakes early when the run is interrupted. */
  sleep(ms: number): Promise<void>
  /** The controller's AbortSignal for this run (SIGINT). */
  signal: AbortSignal
  /** A message for -v output. */
  log(message: string): void
  /**
   * The task's `async`: a module that can run in the background (command, shell) starts its job and
   * returns at once with the job's id (lib/async-job.ts), killed after `limit` seconds on the host.
   */
  async?: { limit: number }
}

/** What a module sees of the connection to its host (ModuleContext.link). */
export interface HostLink {
  /** How the host is reached: 'local' is the controller itself, which reboot refuses to reboot, as Ansible does. */
  connection: 'ssh' | 'local'
  /** The connection's connect timeout (inventory, --timeout), in ms. */
  connectTimeoutMs: number
  /**
   * Closes the host's connections and logs in again, the login bounded by `connectTimeoutMs` (default the
   * connection's); the task's later commands and the later tasks use the new connection. Throws as a
   * failed connect does (UnreachableError).
   */
  reconnect(connectTimeoutMs?: number): Promise<void>
}

/**
 * A module: its parameters' schema S and the Data its changes carry from plan to apply. The registry holds
 * every module as ModuleDef (Data unknown); a module's own plan and apply see its Data.
 */
export interface ModuleDef<S extends z.ZodType = z.ZodType, Data = unknown> {
  name: string
  /** One line for `pgha doc`. */
  description: string
  params: S
  /**
   * Ansible's other names for parameters, alias -> parameter (file's `dest: path`); a task's arguments are
   * renamed before `params` parses them (src/modules/aliases.ts).
   */
  aliases?: Readonly<Record<string, string>>
  /**
   * Arguments whose values are secrets (Ansible's no_log parameters: uri's url_password), under their own
   * names and their aliases: masked in every output even when a task writes them literally.
   */
  secretArgs?: readonly string[]
  /** A playbook's own module (a file of a `library/` directory): the file it runs (src/modules/library/). */
  library?: LibraryFile
  /** Modules that never touch the host (debug, set_fact, assert, fail, pause, meta) run on the controller. */
  local?: boolean
  /**
   * The module logs in itself, through ModuleContext.link, before any command: the engine does not connect
   * first, since the module is there to wait for a host that may not answer yet (wait_for_connection).
   */
  logsInItself?: boolean
  /**
   * Ansible's bypass_host_loop (add_host): the task runs once, on the first of its hosts, and its result is
   * registered on all of them, as with run_once.
   */
  once?: boolean
  /**
   * A fact module (service_facts, package_facts) names the facts it sets: its result's ansible_facts are
   * host facts, seen as ansible_facts.NAME and NAME as gathered facts are; without it they are set_fact
   * variables.
   */
  facts?: readonly string[]
  /** The module can run as an `async` job (it starts one when ModuleContext.async is set): command, shell. */
  runsAsync?: boolean
  /** The result may ask the engine to change the run's inventory (InventoryRequest): add_host, group_by. */
  changesInventory?: boolean
  /** Its argument names are templates too, rendered before the values are (set_fact's variable names). */
  namesTemplated?: boolean
  /**
   * Arguments the module evaluates itself as expressions (assert's `that`, debug's `var`): the engine
   * passes them as the playbook writes them, unrendered, and the module reads them as `when:` is read. A
   * rendered value (a host's output) is then never evaluated as an expression.
   */
  expressionArgs?: readonly string[]
  /**
   * The facts `plan` will read, known from the parameters and, when the play gathered them, the host's
   * facts (the package manager). The engine reads those of a run of such tasks in one batch
   * (src/engine/read-ahead.ts); a task whose module lacks it ends the run, and so does one for which it
   * gives undefined: it will change the host whatever it finds (a command without a guard).
   */
  reads?(params: z.output<S>, gathered?: Partial<HostFacts>): FactRead[] | undefined
  plan(ctx: ModuleContext, params: z.output<S>): Promise<Plan<Data> | Change<Data>[]>
  apply?(ctx: ModuleContext, params: z.output<S>, plan: Plan<Data>): Promise<Partial<TaskResult> | void>
}

/** S comes from `params` and Data from what `plan` returns (or `apply` takes); Data is undefined when no change carries any. */
export function defineModule<S extends z.ZodType, Data = undefined>(def: ModuleDef<S, Data>): ModuleDef<S, Data> {
  return def
}

export function normalizePlan<Data>(p: Plan<Data> | Change<Data>[]): Plan<Data> {
  return Array.isArray(p) ? { changes: p } : p
}
