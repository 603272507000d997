// Opening one ssh2 connection: host key policy, key file and agent auth (with OpenSSH's default keys when
// none is named), connect timeout, keepalives, and every failure turned into an UnreachableError whose
// message says what went wrong in the user's terms.
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { Client, type AuthenticationType, type ConnectConfig } from 'ssh2'
import sshUtils, { type SshProtocol } from 'ssh2/lib/protocol/utils.js'
import { UnreachableError } from '../errors.js'
import { checkHostKey, knownKeyAlgorithms, type HostKeyCheck } from './host-keys.js'
import { signingKey } from './signing-key.js'
import type { ConnectionSpec } from './types.js'

/**
 * A handshake that ended before the session started for want of time or of the server's room: it timed
 * out, the server dropped it unannounced (sshd's MaxStartups), or reset it. Another attempt may succeed
 * once fewer handshakes compete (src/engine/handshakes.ts); a refused key or connection would not.
 */
export class HandshakeCutShort extends UnreachableError {}

/** A dead peer is noticed after about interval x count (15 s), then every pending command fails. */
export const KEEPALIVE: Keepalive = { interval: 5000, countMax: 3 }

export interface Keepalive {
  interval: number
  countMax: number
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p
}

/** OpenSSH's default identity files, in its order (ssh_config IdentityFile; the -sk ones need a token). */
export const DEFAULT_IDENTITIES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519']

export interface Identity {
  file: string
  key: Buffer
}

/** The default identity files that exist; one that cannot be used (passphrase) is skipped at auth time. */
export function defaultIdentities(): Identity[] {
  return DEFAULT_IDENTITIES.flatMap((file) => {
    try {
      return [{ file, key: readFileSync(expandHome(file)) }]
    } catch {
      return []
    }
  })
}

/**
 * What to offer, in order. A named key first, then the agent (the agent's round trips are saved when the
 * named key is the one); with no key named, as OpenSSH does: the agent's keys, then the default files.
 */
export function authOrder(named: Identity | undefined, agent: string | undefined, defaults: Identity[]): AuthPlan {
  const keys = named ? [named] : defaults
  const viaKeys = keys.map((k) => ({ type: 'publickey' as const, key: k.key }))
  const keysSaid = keys.length ? [`key${keys.length > 1 ? 's' : ''} ${keys.map((k) => k.file).join(', ')}`] : []
  const agentSaid = agent ? ['ssh-agent'] : []
  if (named) return { methods: [...viaKeys, ...(agent ? ['agent' as const] : [])], said: [...keysSaid, ...agentSaid].join(' or ') }
  return { methods: [...(agent ? ['agent' as const] : []), ...viaKeys], said: [...agentSaid, ...keysSaid].join(' or ') }
}

export interface AuthPlan {
  methods: (AuthenticationType | { type: 'publickey'; key: Buffer })[]
  /** The methods in words, for an authentication failure: `key ~/.ssh/x or ssh-agent`. */
  said: string
}

export function defaultKnownHosts(): string {
  return join(homedir(), '.ssh', 'known_hosts')
}

/**
 * Connects and authenticates; resolves with a ready client. Up to the TCP connect it runs synchronously
 * (the key and known_hosts are small files), so the host starts its side of the handshake while the
 * caller goes on computing; each later step needs the event loop.
 */
export async function openSshClient(spec: ConnectionSpec, keepalive: Keepalive = KEEPALIVE): Promise<Client> {
  const where = `${spec.user}@${spec.address}:${spec.port}`
  const fail = (why: string, cause?: unknown): UnreachableError =>
    new UnreachableError(spec.host, `cannot connect to ${spec.host} (${where}): ${why}`, { cause })
  const cutShort = (why: string, cause?: unknown): UnreachableError =>
    new HandshakeCutShort(spec.host, `cannot connect to ${spec.host} (${where}): ${why}`, { cause })
  const check: HostKeyCheck = {
    host: spec.host,
    address: spec.address,
    port: spec.port,
    file: expandHome(spec.knownHostsFile ?? defaultKnownHosts()),
    acceptNew: spec.acceptNewHostKeys ?? false,
  }
  let named: Identity | undefined
  if (spec.privateKeyFile) {
    try {
      named = { file: spec.privateKeyFile, key: readFileSync(expandHome(spec.privateKeyFile)) }
    } catch (err) {
      throw fail(`cannot read private key file ${spec.privateKeyFile}: ${(err as Error).message}`, err)
    }
  }
  const agent = process.env.SSH_AUTH_SOCK || undefined
  const auth = authOrder(named, agent, named ? [] : defaultIdentities())
  if (auth.methods.length === 0) {
    throw fail(`no private key file (ansible_ssh_private_key_file or --private-key), none of ${DEFAULT_IDENTITIES.join(', ')}, and no ssh-agent (SSH_AUTH_SOCK)`)
  }
  const known = knownKeyAlgorithms(check)
  let hostKeyRefusal: string | undefined
  const config: ConnectConfig = {
    host: spec.address,
    port: spec.port,
    username: spec.user,
    agent,
    // ssh2 first asks for 'none' to learn the server's methods: a round trip, and on OpenSSH its first
    // (slowest) pass through the auth machinery, before the key that will be used anyway.
    // Each key parsed once per run and signing through a KeyObject (signing-key.ts).
    authHandler: auth.methods.map((m) => (typeof m === 'string' ? m : { ...m, key: signingKey(m.key), username: spec.user })) as ConnectConfig['authHandler'],
    readyTimeout: spec.connectTimeoutMs,
    keepaliveInterval: keepalive.interval,
    keepaliveCountMax: keepalive.countMax,
    // Prefer the key types known_hosts already holds for this host, as OpenSSH does.
    algorithms: known.length ? ({ serverHostKey: { prepend: known } } as unknown as ConnectConfig['algorithms']) : undefined,
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      checkHostKey(check, key).then(
        (v) => {
          if (!v.ok) hostKeyRefusal = v.reason
          verify(v.ok)
        },
        (err: Error) => {
          hostKeyRefusal = `cannot check the host key against ${check.file}: ${err.message}`
          verify(false)
        },
      )
    },
  }
  const jump = spec.jumpHost ? await openJump(spec, keepalive, fail) : undefined
  if (jump) config.sock = jump.sock
  const client = new Client()
  if (jump) client.on('close', () => jump.client.end())
  return new Promise<Client>((resolve, reject) => {
    client.once('ready', () => {
      client.removeAllListeners('error')
      // Late errors (EPIPE after a drop) surface as 'close' to the owner; never as an uncaught exception.
      client.on('error', () => {})
      resolve(client)
    })
    // A server may end the connection before 'ready' without an error (pam_nologin during boot, a
    // MaxStartups refusal): that is a refusal to report, never a promise left pending.
    let banner = ''
    client.on('banner', (message: string) => { banner += message })
    client.once('close', () => {
      if (hostKeyRefusal) return reject(new UnreachableError(spec.host, hostKeyRefusal))
      const said = banner.trim().replace(/\s+/g, ' ')
      reject(cutShort(`the host closed the connection before the session started${said ? `: ${said}` : ''}`))
    })
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      // An agent that does not answer is skipped (ssh2 goes on with the next key), as OpenSSH does.
      if (err.level === 'agent') return
      client.end()
      if (hostKeyRefusal) return reject(new UnreachableError(spec.host, hostKeyRefusal, { cause: err }))
      const transient = err.level === 'client-timeout' || err.code === 'ECONNRESET' || err.message === LOST_BEFORE_HANDSHAKE
      reject((transient ? cutShort : fail)(describe(err, spec, auth.said), err))
    })
    try {
      client.connect(config)
      ignoreHostKeyAnnouncements(client)
      // ssh2 leaves Nagle on: every exchange of two small packets (auth after NEWKEYS, a pg stream's
      // startup after its channel open) then waits ~40 ms for the peer's delayed ACK. OpenSSH sets it too.
      client.setNoDelay(true)
    } catch (err) {
      reject(fail((err as Error).message, err))
    }
  })
}

type GlobalRequestHandler = (proto: SshProtocol, name: string, wantReply: boolean, data: unknown) => void

/**
 * After authentication OpenSSH's sshd announces all its host keys (hostkeys-00@openssh.com), and ssh2
 * answers by asking it to prove each: a signature per key on the host (RSA's the dearest), a round trip
 * and their verification here, on every connection. pgha never learns keys from it (accept-new records
 * the handshake's key), so the announcement is acknowledged and dropped, as OpenSSH's client does with
 * UpdateHostKeys=no. This reaches into ssh2's protocol handlers; where they are not, nothing changes.
 */
function ignoreHostKeyAnnouncements(client: Client): void {
  const handlers = (client as unknown as { _protocol?: { _handlers?: { GLOBAL_REQUEST?: GlobalRequestHandler } } })._protocol?._handlers
  const original = handlers?.GLOBAL_REQUEST
  if (!handlers || typeof original !== 'function') return
  handlers.GLOBAL_REQUEST = (proto, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return original(proto, name, wantReply, data)
    if (wantReply) proto.requestSuccess()
    // sshd sends the announcement with want_reply 0 and leaves Nagle on outside a pty: with nothing to
    // answer, our ACK of it waits for the delayed-ACK timer, and sshd holds the reply to the next channel
    // open behind it, 40 ms of every connection (measured on the lab: 48 ms to open the first channel
    // against 13 ms). An SSH_MSG_IGNORE, which every peer discards, carries the ACK at once.
    else sendIgnore(proto)
  }
}

/** Connects to the jump host (`user@host:port`, same keys) and opens a tunnel to the target. */
async function openJump(
  spec: ConnectionSpec,
  keepalive: Keepalive,
  fail: (why: string, cause?: unknown) => UnreachableError,
): Promise<{ client: Client; sock: ConnectConfig['sock'] }> {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec.jumpHost!)
  if (!m) throw fail(`invalid jump host ${JSON.stringify(spec.jumpHost)} (expected user@host:port)`)
  const address = m[2].replace(/^\[|\]$/g, '')
  const jumpSpec: ConnectionSpec = { ...spec, host: `${spec.host}'s jump host`, address, port: Number(m[3] ?? 22), user: m[1] ?? spec.user, jumpHost: undefined }
  const client = await openSshClient(jumpSpec, keepalive)
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, spec.address, spec.port, (err, sock) => {
      if (!err) return resolve({ client, sock })
      client.end()
      reject(fail(`the jump host ${spec.jumpHost} cannot reach it: ${err.message}`, err))
    })
  })
}

/** ssh2's error for a connection closed before the server's version line: how sshd drops one beyond MaxStartups. */
const LOST_BEFORE_HANDSHAKE = 'Connection lost before handshake'

function describe(err: Error & { level?: string; code?: string }, spec: ConnectionSpec, methods: string): string {
  if (err.level === 'client-authentication') {
    return `authentication failed for ${spec.user} with ${methods}`
  }
  if (err.level === 'client-timeout') return `timed out after ${Math.round(spec.connectTimeoutMs / 100) / 10}s`
  if (err.message === LOST_BEFORE_HANDSHAKE) return 'the host closed the connection before the handshake'
  switch (err.code) {
    case 'ECONNREFUSED': return 'connection refused'
    case 'EHOSTUNREACH': return 'no route to host'
    case 'ENETUNREACH': return 'network unreachable'
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot resolve ${spec.address}`
    case 'ECONNRESET': return 'connection reset by peer'
    default: return err.message
  }
}

const SSH_MSG_IGNORE = 2

/** Sends SSH_MSG_IGNORE with empty data (RFC 4253 11.2), through ssh2's own packet writer. */
function sendIgnore(proto: SshProtocol): void {
  const w = proto._packetRW.write
  const at = w.allocStart
  const packet = w.alloc(5)
  packet[at] = SSH_MSG_IGNORE
  packet.writeUInt32BE(0, at + 1)
  sshUtils.sendPacket(proto, w.finalize(packet))
}
