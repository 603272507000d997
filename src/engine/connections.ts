// One transport per host for the whole run: opened on first use (in parallel across hosts, bounded by
// forks through the caller, and the handshakes by the pacer), kept warm across plays, closed once at the
// end. A failed connect is remembered, so an unreachable host costs one timeout (and the pacer's bounded
// retries), not one per task.
import type { CloseOptions, ConnectionSpec, Transport } from '../transport/types.js'
import { DEFAULT_BACKOFF_MS, DEFAULT_RETRIES, HandshakePacer, handshakeLimit, type PacerOptions } from './handshakes.js'

export class Connections {
  private readonly open = new Map<string, Promise<Transport>>()
  private readonly transports: Transport[] = []
  /** Logins that have ended, in success or failure (reset waits for the closing of those only). */
  private readonly settled = new WeakSet<Promise<Transport>>()

  private readonly pacer: HandshakePacer

  constructor(
    private readonly factory: (spec: ConnectionSpec) => Transport,
    pacing: Partial<PacerOptions> = {},
  ) {
    this.pacer = new HandshakePacer({ limit: handshakeLimit(), retries: DEFAULT_RETRIES, backoffMs: DEFAULT_BACKOFF_MS, ...pacing })
  }

  get(spec: ConnectionSpec): Promise<Transport> {
    const key = `${spec.host}\u0000${spec.user}@${spec.address}:${spec.port}`
    let t = this.open.get(key)
    if (!t) {
      // Each attempt is a transport of its own: a transport remembers a failed connect.
      t = this.pacer.open(spec.host, () => {
        const transport = this.factory(spec)
        this.transports.push(transport)
        return transport.connect().then(() => transport)
      })
      this.open.set(key, t)
      const opened = t
      opened.then(() => this.settled.add(opened), () => this.settled.add(opened))
    }
    return t
  }

  private readonly resets = new Map<string, number>()

  /** How many times the host's connections were reset: a transport cached before a reset is not used again. */
  generation(host: string): number {
    return this.resets.get(host) ?? 0
  }

  /**
   * meta: reset_connection: closes the host's connections, so the next command logs in again (and sees, as
   * in Ansible, what changed for the login, such as a group the user was just added to).
   */
  async reset(host: string): Promise<void> {
    const closing: Promise<void>[] = []
    for (const [key, t] of this.open) {
      if (!key.startsWith(`${host}\u0000`)) continue
      this.open.delete(key)
      const close = t.then((transport) => transport.close(), () => undefined)
      // A login still under way (waiting for a handshake slot, or a host that does not answer) is closed
      // once it ends, without waiting for it: wait_for_connection resets between tries of its own.
      if (this.settled.has(t)) closing.push(close)
    }
    this.resets.set(host, this.generation(host) + 1)
    await Promise.allSettled(closing)
  }

  /** Round trips made over every transport (the benchmark reports it). */
  get roundTrips(): number {
    return this.transports.reduce((n, t) => n + t.roundTrips, 0)
  }

  /** Closes every transport; `keepLogin` when the run ended in order (see CloseOptions). */
  async closeAll(options: CloseOptions = {}): Promise<void> {
    await Promise.allSettled(this.transports.map((t) => t.close(options)))
  }
}
