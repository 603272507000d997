// How a task reaches a host: its connection (from the host's variables, which extra vars may override,
// as in Ansible), its become settings, and where its controller-side files are looked up.
import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { InventoryHost, Vars } from '../inventory/types.js'
import { connectionSpec, becomeSpec, findHost } from '../inventory/index.js'
import type { LocalKind } from '../modules/index.js'
import type { Task, TaskSettings } from '../playbook/index.js'
import type { Become, ConnectionSpec, Transport } from '../transport/types.js'
import { becomeUserOf, loginUserOf } from '../transport/become-user.js'
import { DEFAULT_CONNECT_TIMEOUT_MS, type RunOptions } from './options.js'
import { renderValue } from '../vars/index.js'
import type { RunContext } from './run-context.js'

/** The `remote_user` and `connection` keywords of a task or play. */
export type ConnectionKeywords = Pick<TaskSettings, 'remoteUser' | 'connection'>

/**
 * The connection each host scope gives, for the task's own host without connection keywords: a host's
 * tasks share one scope while nothing in it changes (scope-cache.ts), so its SSH options are worked out
 * once rather than for every task.
 */
const scopeConnections = new WeakMap<Vars, { connections: object; generation: number; transport: Promise<Transport> }>()

export async function transportFor(run: RunContext, hostName: string, vars: Vars, keywords: ConnectionKeywords = {}): Promise<Transport> {
  const own = hostName === vars.inventory_hostname && keywords.remoteUser === undefined && keywords.connection === undefined
  keywords = withCommandLine(keywords, run.options)
  const known = own ? scopeConnections.get(vars) : undefined
  if (known?.connections === run.connections && known.generation === run.connections.generation(hostName)) return known.transport
  const transport = run.connections.get(specFor(run, hostName, vars, keywords))
  if (own) scopeConnections.set(vars, { connections: run.connections, generation: run.connections.generation(hostName), transport })
  return transport
}

/** The host's connection settings for a task (keywords already folded with the command line's). */
function specFor(run: RunContext, hostName: string, vars: Vars, keywords: ConnectionKeywords): ConnectionSpec {
  const inv = findHost(run.inventory, hostName)
  if (!inv) throw new Error(`delegate_to: host '${hostName}' is not in the inventory`)
  // The task's own host sees its full scope; a delegated-to host uses its inventory vars under extra vars.
  const hostVars = hostName === vars.inventory_hostname ? vars : { ...inv.vars, ...run.extraVars }
  return hostConnectionSpec(inv, withKeywords(hostVars, keywords, vars), run.options)
}

/**
 * The host's connection as reboot and wait_for_connection use it: a reconnect drops every connection of the
 * host (the run's later tasks log in again too, as after meta: reset_connection) and opens one, with its
 * own connect timeout when given (the timeout only bounds the login, so the connection then serves the
 * rest of the run as any other).
 */
export function hostLinkFor(run: RunContext, hostName: string, vars: Vars, keywords: ConnectionKeywords = {}) {
  // Worked out only when a module looks: every task on a host gets a link, two modules use it.
  let known: ConnectionSpec | undefined
  const spec = (): ConnectionSpec => (known ??= specFor(run, hostName, vars, withCommandLine(keywords, run.options)))
  return {
    get connection() {
      return spec().connection
    },
    get connectTimeoutMs() {
      return spec().connectTimeoutMs
    },
    async reconnect(connectTimeoutMs?: number): Promise<Transport> {
      await run.connections.reset(hostName)
      return run.connections.get(connectTimeoutMs === undefined ? spec() : { ...spec(), connectTimeoutMs })
    },
  }
}

/**
 * Whether commands with this become run in the login user's own shell (no become, or becoming the user
 * the connection logs in as), where fact gathering runs: only their facts can share its round trip.
 */
export function runsAsLoginUser(run: RunContext, hostName: string, vars: Vars, keywords: ConnectionKeywords, become: Become): boolean {
  if (!become.become) return true
  const login = loginUserFor(run, hostName, vars, keywords)
  return login !== undefined && becomeUserOf(become, login) === ''
}

/** The user the host's connection logs in as, for a task with these keywords; undefined for a host not in the inventory. */
export function loginUserFor(run: RunContext, hostName: string, vars: Vars, keywords: ConnectionKeywords): string | undefined {
  const inv = findHost(run.inventory, hostName)
  if (!inv) return undefined
  return loginUserOf(hostConnectionSpec(inv, withKeywords(vars, withCommandLine(keywords, run.options), vars), run.options))
}

/** -u and -c: what the play's remote_user and connection keywords would say when they are not written. */
function withCommandLine(k: ConnectionKeywords, options: Pick<RunOptions, 'remoteUser' | 'connection'>): ConnectionKeywords {
  if (options.remoteUser === undefined && options.connection === undefined) return k
  return { remoteUser: k.remoteUser ?? options.remoteUser, connection: k.connection ?? options.connection }
}

/** A host's variables with -u and -c where no play keyword can outrank them (`pgha status` connects so). */
export function withCommandLineConnection(hostVars: Vars, options: Pick<RunOptions, 'remoteUser' | 'connection'>): Vars {
  return withKeywords(hostVars, withCommandLine({}, options), hostVars)
}

/** remote_user and connection as defaults: a host's ansible_user/ansible_connection (any variable) wins, as in Ansible. */
function withKeywords(hostVars: Vars, k: ConnectionKeywords, vars: Vars): Vars {
  if (k.remoteUser === undefined && k.connection === undefined) return hostVars
  const out = { ...hostVars }
  const set = (names: string[], value: string | undefined): void => {
    if (value !== undefined && names.every((n) => out[n] === undefined)) out[names[0]] = String(renderValue(value, vars))
  }
  set(['ansible_user', 'ansible_ssh_user'], k.remoteUser)
  set(['ansible_connection'], k.connection)
  return out
}

/** A host's connection from its variables over the command line's defaults (`pgha status` connects alike). */
export function hostConnectionSpec(inv: InventoryHost, vars: Vars, options: Pick<RunOptions, 'acceptNewHostKeys' | 'connectTimeoutMs'>): ConnectionSpec {
  return connectionSpec({ ...inv, vars }, {
    acceptNewHostKeys: options.acceptNewHostKeys,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  })
}

/** Task keyword, else play keyword (already folded into the task by the loader), else ansible_become vars. */
export function becomeFor(task: Task, vars: Vars): Become {
  const fromVars = becomeSpec(vars)
  const become = task.become ?? fromVars.become
  const user = task.becomeUser !== undefined ? String(renderValue(task.becomeUser, vars, task.loc)) : fromVars.user
  return { become, user, password: fromVars.password }
}

/**
 * Controller files: for a role's task, in the role first (its files/ or templates/), then in the roles
 * above it; then next to the declaring file (files/, templates/), the play's directory, and the
 * project's top level, as Ansible's search path goes.
 */
export function resolveLocalFor(task: Task): (kind: LocalKind, path: string) => string {
  // Absolute: a playbook given as a relative path (`pgha run playbooks/site.yml`) has a relative baseDir, and
  // the template module tells a template file (rendered in its own language: .hbs is Handlebars) from a
  // playbook string by its absolute path.
  return (kind, path) => {
    const candidates = localCandidates(task, kind, path)
    return resolve(candidates.find((c) => existsSync(c)) ?? candidates[0]!)
  }
}

/** Where a controller file is looked for, in order (the pre-flight check names them when none exists). */
export function localCandidates(task: Pick<Task, 'baseDir' | 'role'>, kind: LocalKind, path: string): string[] {
  if (isAbsolute(path)) return [path]
  const roles = task.role ? [task.role.role, ...[...task.role.chain].reverse()] : []
  const playDir = task.role?.role.playDir
  return [...new Set([
    ...roles.flatMap((r) => [join(r.path, kind, path), join(r.path, path)]),
    join(task.baseDir, kind, path), join(task.baseDir, path), join(dirname(task.baseDir), kind, path),
    ...(playDir ? [join(playDir, kind, path), join(playDir, path)] : []),
    join(process.cwd(), kind, path),
  ])]
}
