// How to reach a host and whom to become, from Ansible's connection variables. A bad value throws a
// VarError naming the variable, which loadInventory turns into an error at the place the variable is set.
import { homedir, userInfo } from 'node:os'
import { dirname, resolve } from 'node:path'
import { ConfigError, type SourceLocation } from '../errors.js'
import type { Become, ConnectionSpec } from '../transport/types.js'
import { parseSshArgs } from './ssh-args.js'
import type { InventoryHost, Vars } from './types.js'

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

export interface ConnectionOptions {
  acceptNewHostKeys?: boolean
  connectTimeoutMs?: number
  knownHostsFile?: string
}

/** A bad value of one inventory variable. */
export class VarError extends ConfigError {
  constructor(
    readonly variable: string,
    message: string,
    loc?: SourceLocation,
  ) {
    super(message, loc)
  }
}

/**
 * Connection settings of a host. Host variables win over `opts` (the command line's defaults), as in
 * Ansible. `pgha_known_hosts_file` is relative to the directory of the file that defines the host.
 */
export function connectionSpec(host: InventoryHost, opts: ConnectionOptions = {}): ConnectionSpec {
  const v = host.vars
  const kind = text(v, 'ansible_connection') ?? 'ssh'
  if (!['ssh', 'smart', 'paramiko', 'local'].includes(kind)) {
    throw new VarError('ansible_connection', `ansible_connection '${kind}' is not supported: pgha connects with ssh or local`)
  }
  const ssh = sshArgs(v)
  const baseDir = host.loc ? dirname(host.loc.file) : process.cwd()
  const ownKnownHosts = text(v, 'pgha_known_hosts_file')
  const knownHostsFile = ownKnownHosts ? resolve(baseDir, expandHome(ownKnownHosts)) : (opts.knownHostsFile ?? (ssh.knownHostsFile && expandHome(ssh.knownHostsFile)))
  const keyFile = text(v, 'ansible_ssh_private_key_file') ?? text(v, 'ansible_private_key_file')
  const timeout = v.ansible_ssh_timeout ?? v.ansible_timeout
  const spec: ConnectionSpec = {
    host: host.name,
    connection: kind === 'local' ? 'local' : 'ssh',
    address: text(v, 'ansible_host') ?? text(v, 'ansible_ssh_host') ?? host.name,
    port: v.ansible_port !== undefined ? port(v.ansible_port, 'ansible_port') : v.ansible_ssh_port !== undefined ? port(v.ansible_ssh_port, 'ansible_ssh_port') : 22,
    user: text(v, 'ansible_user') ?? text(v, 'ansible_ssh_user') ?? userInfo().username,
    connectTimeoutMs: timeout !== undefined ? seconds(timeout, v.ansible_ssh_timeout !== undefined ? 'ansible_ssh_timeout' : 'ansible_timeout') : (opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
  }
  if (keyFile) spec.privateKeyFile = expandHome(keyFile)
  if (knownHostsFile) spec.knownHostsFile = knownHostsFile
  if (opts.acceptNewHostKeys || ssh.acceptNewHostKeys) spec.acceptNewHostKeys = true
  if (ssh.jumpHost) spec.jumpHost = ssh.jumpHost
  return spec
}

/** Become settings from ansible_become, ansible_become_user, ansible_become_password (or _pass). */
export function becomeSpec(vars: Vars): Become {
  const method = text(vars, 'ansible_become_method')
  if (method !== undefined && method !== 'sudo') {
    throw new VarError('ansible_become_method', `ansible_become_method '${method}' is not supported: pgha becomes other users with sudo`)
  }
  const out: Become = { become: vars.ansible_become === undefined ? false : ansibleBool(vars.ansible_become, 'ansible_become') }
  const user = text(vars, 'ansible_become_user')
  if (user !== undefined) out.user = user
  const password = vars.ansible_become_password !== undefined ? text(vars, 'ansible_become_password') : text(vars, 'ansible_become_pass')
  if (password !== undefined) out.password = password
  return out
}

/** Ansible's boolean(): yes/no, true/false, on/off, 1/0, y/n, t/f in any case. */
export function ansibleBool(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value
  const s = String(value).trim().toLowerCase()
  if (['yes', 'true', 'on', '1', 'y', 't', '1.0'].includes(s)) return true
  if (['no', 'false', 'off', '0', 'n', 'f', '0.0', ''].includes(s)) return false
  throw new VarError(name, `${name} must be a boolean (true/false, yes/no), got ${JSON.stringify(value)}`)
}

function text(v: Vars, name: string): string | undefined {
  const value = v[name]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw new VarError(name, `${name} must be a string, got ${Array.isArray(value) ? 'a list' : 'a mapping'}`)
}

function port(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new VarError(name, `${name} must be a port number (1-65535), got ${JSON.stringify(value)}`)
  }
  return n
}

function seconds(value: unknown, name: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !(n > 0)) throw new VarError(name, `${name} must be a number of seconds, got ${JSON.stringify(value)}`)
  return n * 1000
}

function sshArgs(v: Vars): ReturnType<typeof parseSshArgs> {
  const names = ['ansible_ssh_common_args', 'ansible_ssh_extra_args']
  let out: ReturnType<typeof parseSshArgs> = {}
  for (const name of names) {
    const args = text(v, name)
    if (!args) continue
    try {
      out = { ...out, ...parseSshArgs(args) }
    } catch (err) {
      throw new VarError(name, `${name}: ${(err as Error).message}`)
    }
  }
  return out
}

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path
}
