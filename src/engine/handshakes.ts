// SSH handshakes paced independently of forks. A handshake is the CPU-heaviest exchange of a run on
// both ends (key exchange, signatures, sshd forking a session), and forks bounds the hosts working at
// once, not the handshakes: with forks 1000, a thousand handshakes started together on a small controller
// each got so little CPU that all of them passed their connect timeout. At most `limit` are in flight;
// the others wait without their timeout running. A handshake cut short (timed out, or the server
// dropped it, as sshd's MaxStartups does under a burst) while the pacer was full (handshakes waiting for a
// slot) is retried, a bounded number of times: crowding, not the host, may have caused it. Below the cap
// nothing waits and nothing is retried, so a run of fewer hosts than the cap behaves as it always did: an
// unreachable host costs one connect timeout.
import { availableParallelism } from 'node:os'
import { UnreachableError } from '../errors.js'
import { HandshakeCutShort } from '../transport/index.js'

/** Handshakes in flight at once on this machine: 16 per CPU (32 on 2 CPUs), at least 8. */
export function handshakeLimit(cpus = availableParallelism()): number {
  return Math.max(8, 16 * cpus)
}

export interface PacerOptions {
  limit: number
  /** Further attempts of a handshake cut short while crowded (so at most 1 + retries in all). */
  retries: number
  /** Wait before the n-th retry: n x backoffMs, so that the crowd thins first. */
  backoffMs: number
  /** Told of every retry (the run says it at -v). */
  onRetry?: (host: string, message: string) => void
  sleep?: (ms: number) => Promise<void>
}

export const DEFAULT_RETRIES = 2
export const DEFAULT_BACKOFF_MS = 500

export class HandshakePacer {
  private inFlight = 0
  /** Handshakes that had to wait for a slot: one waiting while an attempt ran means the pacer was full. */
  private queued = 0
  private readonly queue: (() => void)[] = []
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly o: PacerOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  /** Handshakes waiting for a slot now. */
  get waiting(): number {
    return this.queue.length
  }

  /** Handshakes in flight now. */
  get running(): number {
    return this.inFlight
  }

  /** Runs `attempt` (one handshake, from scratch each time) when a slot is free, retrying as above. */
  async open<T>(host: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      const waited = await this.acquire()
      const queuedBefore = this.queued
      const othersAtStart = this.inFlight - 1
      let failure: unknown
      try {
        return await attempt()
      } catch (err) {
        failure = err
      } finally {
        this.release()
      }
      const full = waited || this.queued > queuedBefore || othersAtStart + 1 >= this.o.limit
      if (!(failure instanceof HandshakeCutShort) || !full) throw failure
      const said = `${failure.message} while ${this.o.limit} handshakes at once (the most this machine takes) were under way`
      if (n > this.o.retries) throw new UnreachableError(host, `${said}; gave up after ${n} attempts`, { cause: failure })
      this.o.onRetry?.(host, `${said}: retrying (attempt ${n + 1} of ${this.o.retries + 1})`)
      await this.sleep(n * this.o.backoffMs)
    }
  }

  /** Takes a slot, waiting for one when all are taken; resolves true when it had to wait. */
  private acquire(): Promise<boolean> {
    if (this.inFlight < this.o.limit) {
      this.inFlight++
      return Promise.resolve(false)
    }
    this.queued++
    return new Promise((resolve) => this.queue.push(() => {
      this.inFlight++
      resolve(true)
    }))
  }

  private release(): void {
    this.inFlight--
    this.queue.shift()?.()
  }
}
