// Logins kept between the runs of one process: pgha's ControlPersist. Only the run server
// (src/persist/server.ts) turns the pool on; a plain `pgha run` ends its logins when it ends.
//
// A login is reused only by a run that would have made the very same one: same address, port, user, jump
// host, agent socket and HOME, and the same key and known_hosts files, unchanged (their size, inode and
// modification time are part of the key). A host key was checked when the login was made; a known_hosts
// file edited since then makes a new login that checks it again. Only the connection is kept: every run
// opens its own shells (a become shell, its environment, its working directory never outlive a run).
import { statSync } from 'node:fs'
import type { Client } from 'ssh2'
import { DEFAULT_IDENTITIES, defaultKnownHosts, expandHome, type Keepalive } from './ssh-connect.js'
import type { ConnectionSpec } from './types.js'

interface Kept {
  client: Client
  /** Drops the entry when the host ends the connection while it waits in the pool. */
  onGone: () => void
}

let kept: Map<string, Kept[]> | undefined

/** A kept login that has not answered a ping in this long is replaced: a new login costs less than waiting. */
const PING_TIMEOUT_MS = 3000

/** Turns the pool on for the rest of the process (the run server). */
export function keepLogins(): void {
  kept ??= new Map()
}

/** Ends every kept login (the run server's idle timeout, or its exit). */
export function endKeptLogins(): void {
  if (!kept) return
  for (const list of kept.values()) for (const k of list) forget(k).end()
  kept.clear()
}

/**
 * A kept login for exactly this spec that still answers, removed from the pool (the caller owns it now),
 * or undefined: then the caller logs in anew. Undefined at once, without a promise, when the pool is off.
 * A host rebooted since (the connection reset) or gone quiet costs that one ping, never a failed run.
 */
export function takeLiveLogin(spec: ConnectionSpec, keepalive: Keepalive): Promise<Client | undefined> | undefined {
  if (!kept) return undefined
  const key = loginKey(spec, keepalive)
  const next = async (): Promise<Client | undefined> => {
    const list = kept?.get(key)
    const k = list?.pop()
    if (list?.length === 0) kept?.delete(key)
    if (!k) return undefined
    const client = forget(k)
    // A channel of an earlier run still open (a shell that did not end) would count against sshd's
    // MaxSessions run after run: such a login is not reused.
    if ((await answers(client, Math.min(spec.connectTimeoutMs, PING_TIMEOUT_MS))) && openChannels(client) === 0) return client
    client.end()
    return next()
  }
  return next()
}

interface PingableClient {
  _protocol?: { ping?: () => void }
  _callbacks?: ((failed: boolean) => void)[]
  _chanMgr?: { _count?: number }
}

function openChannels(client: Client): number {
  return (client as unknown as PingableClient)._chanMgr?._count ?? Infinity
}

/**
 * One round trip on the connection: the keepalive@openssh.com request ssh2 sends for its keepalives, whose
 * reply (success or failure alike) proves the peer is there. Reaches into ssh2 as its keepalive does;
 * where that is not there, a kept login is not trusted.
 */
function answers(client: Client, timeoutMs: number): Promise<boolean> {
  const c = client as unknown as PingableClient
  if (typeof c._protocol?.ping !== 'function' || !Array.isArray(c._callbacks)) return Promise.resolve(false)
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle(false), timeoutMs)
    const onClose = (): void => settle(false)
    const settle = (ok: boolean): void => {
      clearTimeout(timer)
      client.off('close', onClose)
      resolve(ok)
    }
    client.once('close', onClose)
    c._callbacks!.push(() => settle(true))
    try {
      c._protocol!.ping!()
    } catch {
      settle(false)
    }
  })
}

/** Gives a login back at the end of a run that ended in order; false (the caller ends it) when the pool is off. */
export function giveBackLogin(spec: ConnectionSpec, keepalive: Keepalive, client: Client): boolean {
  if (!kept) return false
  const key = loginKey(spec, keepalive)
  const entry: Kept = { client, onGone: () => drop(key, entry) }
  client.once('close', entry.onGone)
  const list = kept.get(key) ?? []
  list.push(entry)
  kept.set(key, list)
  return true
}

function forget(k: Kept): Client {
  k.client.off('close', k.onGone)
  return k.client
}

function drop(key: string, entry: Kept): void {
  const list = kept?.get(key)
  const at = list?.indexOf(entry) ?? -1
  if (at >= 0) list!.splice(at, 1)
  if (list?.length === 0) kept?.delete(key)
}

/** Everything openSshClient makes a login from, the files by their identity and state. */
function loginKey(spec: ConnectionSpec, keepalive: Keepalive): string {
  const keys = spec.privateKeyFile ? [spec.privateKeyFile] : DEFAULT_IDENTITIES
  return JSON.stringify([
    spec.host, spec.address, spec.port, spec.user, spec.jumpHost ?? '', spec.acceptNewHostKeys ?? false,
    keepalive.interval, keepalive.countMax,
    process.env.SSH_AUTH_SOCK ?? '', process.env.HOME ?? '',
    ...keys.map(fileState),
    fileState(spec.knownHostsFile ?? defaultKnownHosts()),
  ])
}

function fileState(path: string): string {
  const full = expandHome(path)
  try {
    const s = statSync(full)
    return `${full}:${s.ino}:${s.size}:${s.mtimeMs}`
  } catch {
    return `${full}:-`
  }
}
