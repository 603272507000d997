// Per-host fact cache keyed by (become user, fact name, args): a fact is read at most once until a change
// that can affect it invalidates it. Read-ahead entries (facts of tasks still to come, read in one batch)
// are kept apart: the engine drops them all as soon as anything is applied on the host, since a task in
// between could have changed what they describe. A fact that cannot be read fails with a FactError.
import { FactError, ModuleFailure } from '../errors.js'
import type { ExecOptions, ExecResult } from '../transport/types.js'
import { JoinedOutputLost, joiningRunner, readJoined } from './joined-batch.js'
import type { BatchReader, FactDef, FactRead } from './types.js'

type Runner = (command: string, options?: ExecOptions) => Promise<ExecResult>

/**
 * How long a volatile fact read ahead may serve the plans of the tasks after the one it was read for,
 * when nothing was applied on any host since: long enough for a converged run's next tasks, short enough
 * that a task after a wait (a pause, a long command) decides on what the cluster says then.
 */
export const VOLATILE_SHARE_MS = 1000

/** The plan a volatile value served: the task asking (its retries and loop items read again). */
export type PlanKey = object

export class FactCache {
  private readonly entries = new Map<string, Promise<unknown>>()
  /** The entries read ahead and not confirmed by a change since, by key, with their fact's def. */
  private readonly ahead = new Map<string, FactDef<any, any>>()
  /** Volatile entries read ahead: when their read was sent, and the plans they served. */
  private readonly shared = new Map<string, { sentAt: number; served: Set<PlanKey> }>()
  /** What each read that succeeded gave, for known(). */
  private readonly values = new WeakMap<Promise<unknown>, unknown>()

  /** `host` names the host in the errors of facts that cannot be read. */
  constructor(private readonly host?: string) {}

  /**
   * The fact's value. A volatile one read ahead serves the first plan that asks, as it always has, and
   * then each other plan that asks once (`plan`: the task asking) while it is fresh (VOLATILE_SHARE_MS
   * since its read was sent, nothing applied anywhere since); a plan asking again (a retry, the next loop
   * item), or one without a key, takes it, and what asks after that reads again.
   */
  async get<A, T>(def: FactDef<A, T>, args: A, run: Runner, user: string, plan?: PlanKey): Promise<T> {
    const key = keyOf(def, args, user)
    let hit = this.entries.get(key) as Promise<T> | undefined
    if (def.volatile) {
      const share = this.shared.get(key)
      const fresh = this.fresh(key)
      if (hit && share && fresh && plan !== undefined && !share.served.has(plan)) {
        share.served.add(plan)
        return hit
      }
      this.forget(key)
      if (hit && (share === undefined || share.served.size === 0)) return hit
      const read = readOne(def, args, run, this.host)
      // What this plan reads serves the plans after it as a value read ahead would.
      if (plan !== undefined) this.share(key, def, read, performance.now(), plan)
      return read
    }
    if (!hit) {
      hit = readOne(def, args, run, this.host)
      this.remember(key, hit)
    }
    return hit
  }

  /** True when the fact is cached (or being read), and a volatile one can serve another plan. */
  has<A>(def: FactDef<A, unknown>, args: A, user: string): boolean {
    const key = keyOf(def, args, user)
    return this.entries.has(key) && (!def.volatile || this.shared.get(key)?.served.size === 0 || this.fresh(key))
  }

  private fresh(key: string): boolean {
    const share = this.shared.get(key)
    return share !== undefined && performance.now() - share.sentAt <= VOLATILE_SHARE_MS
  }

  /** Keeps a volatile value for the plans after `served` (dropped like one read ahead). */
  private share(key: string, def: FactDef<any, any>, read: Promise<unknown>, sentAt: number, ...served: PlanKey[]): void {
    this.remember(key, read)
    this.ahead.set(key, def)
    this.shared.set(key, { sentAt, served: new Set(served) })
  }

  /**
   * The fact's value when it has been read (and not dropped or invalidated since), without reading it:
   * undefined while its read is under way, or when it was never read.
   */
  known<A, T>(def: FactDef<A, T>, args: A, user: string): T | undefined {
    const read = this.entries.get(keyOf(def, args, user))
    return read && (this.values.get(read) as T | undefined)
  }

  private forget(key: string): void {
    this.entries.delete(key)
    this.ahead.delete(key)
    this.shared.delete(key)
  }

  /**
   * Reads the facts not cached yet that say how they batch (FactDef.batch), when there are at least `min`
   * of them, in one round trip: every `joined` one, of whatever kind, and the first command of each kind
   * with its own reader (joined-batch.ts). A result the batch cannot vouch for falls back to the single
   * read. `run` may itself be a joiner's (fact gathering's, whose script shares the trip): the batch's
   * commands reach it as one before this returns its promise.
   */
  readAhead(reads: FactRead[], run: Runner, user: string, min = 1): Promise<void> {
    const pending = new Map<string, FactRead>()
    for (const read of reads) {
      const key = keyOf(read.def, read.args, user)
      if (read.def.batch && !this.entries.has(key)) pending.set(key, read)
    }
    if (pending.size < min) return Promise.resolve()
    const joiner = joiningRunner((command) => run(command))
    const sentAt = performance.now()
    // The joined facts together; each kind with its own reader apart, since a reader takes its kind's args.
    const groups = new Map<FactDef<any, any> | 'joined', [string, FactRead][]>()
    for (const entry of pending) {
      const def = entry[1].def
      const by = def.batch === 'joined' ? 'joined' : def
      const group = groups.get(by) ?? groups.set(by, []).get(by)!
      group.push(entry)
    }
    const batches = [...groups].map(([by, group]) => {
      const list = group.map(([, read]) => read)
      const batch = by === 'joined' ? readJoined(list, joiner.run) : (by.batch as BatchReader<unknown, unknown>)(list.map((r) => r.args), joiner.run)
      group.forEach(([key, { def, args }], i) => {
        const single = () => readOne(def, args, run, this.host)
        const read = batch.then((values) => values[i] ?? single(), (err) => (err instanceof JoinedOutputLost ? single() : Promise.reject(err)))
        if (def.volatile) return this.share(key, def, read, sentAt)
        this.remember(key, read)
        this.ahead.set(key, def)
      })
      return batch
    })
    joiner.flush()
    return Promise.all(batches.map((b) => b.catch(() => undefined))).then(() => undefined)
  }

  /** How many times something applied on any host has dropped the volatile entries (dropVolatile). */
  appliesSeen = 0

  /** Forgets the read-ahead entries of volatile facts: something was applied on another host. */
  dropVolatile(): void {
    this.appliesSeen++
    for (const [key, def] of this.ahead) if (def.volatile) this.forget(key)
  }

  /** Forgets every read-ahead entry: something was applied on the host. */
  dropReadAhead(): void {
    for (const key of this.ahead.keys()) this.entries.delete(key)
    this.ahead.clear()
    this.shared.clear()
  }

  /** Seeds a value without running its command (test fixtures). */
  seed<A, T>(def: FactDef<A, T>, args: A, value: T, user: string): void {
    this.entries.set(keyOf(def, args, user), Promise.resolve(value))
  }

  /** Forgets the fact of `def` (for `args`, or all of them), or every fact when no def is given (a reboot). */
  invalidate(def?: FactDef<any, any>, args?: unknown): void {
    if (def === undefined) {
      this.entries.clear()
      this.ahead.clear()
      return
    }
    const suffix = args === undefined ? undefined : `\u0000${def.name}\u0000${JSON.stringify(args)}`
    for (const key of this.entries.keys()) {
      const [, name] = key.split('\u0000')
      if (name !== def.name) continue
      if (suffix === undefined || key.endsWith(suffix)) this.forget(key)
    }
  }

  /** Caches a read in flight; a failed read is forgotten so the next use tries again. */
  private remember(key: string, read: Promise<unknown>): void {
    this.entries.set(key, read)
    read.then((value) => this.values.set(read, value), () => {
      if (this.entries.get(key) === read) this.forget(key)
    })
  }
}

function keyOf<A>(def: FactDef<A, unknown>, args: A, user: string): string {
  return `${def.anyUser ? '' : user}\u0000${def.name}\u0000${JSON.stringify(args)}`
}

/**
 * Runs a fact's command and parses what it printed. A parse that fails (the command failed, or printed
 * what the parser does not know) becomes a FactError: the task that needed the fact fails with a message
 * naming the fact, the host and what the command said, not an internal error. Transport errors (an
 * unreachable host, a timeout) pass through as they are.
 */
async function readOne<A, T>(def: FactDef<A, T>, args: A, run: Runner, host: string | undefined): Promise<T> {
  const r = await run(def.command(args))
  try {
    return def.parse(r.stdout, args, r.rc)
  } catch (err) {
    if (err instanceof ModuleFailure) throw err
    throw unreadable(def.name, host, r, err)
  }
}

/** The error's reason, then the command's exit code and the last lines of its stderr when they tell more. */
function unreadable(fact: string, host: string | undefined, r: ExecResult, err: unknown): FactError {
  const reason = err instanceof Error ? err.message : String(err)
  const said = r.stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join('; ')
  const exited = said ? ` (the command exited ${r.rc}: ${said})` : r.rc !== 0 ? ` (the command exited ${r.rc})` : ''
  return new FactError(fact, host, `${reason}${exited}`, { cause: err })
}
