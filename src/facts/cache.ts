// Per-host fact cache keyed by (become user, fact name, args): a fact is read at most once until a change
// that can affect it invalidates it. Read-ahead entries (facts of tasks still to come, read in one batch)
// are kept apart: the engine drops them all as soon as anything is applied on the host, since a task in
// between could have changed what they describe. A fact that cannot be read fails with a FactError.
import { FactError, ModuleFailure } from '../errors.js'
import type { ExecOptions, ExecResult } from '../transport/types.js'
import { JoinedOutputLost, joiningRunner, readJoined } from './joined-batch.js'
import type { BatchReader, FactDef, FactRead } from './types.js'

type Runner = (command: string, options?: ExecOptions) => Promise<ExecResult>

export class FactCache {
  private readonly entries = new Map<string, Promise<unknown>>()
  /** The entries read ahead and not confirmed by a change since, by key, with their fact's def. */
  private readonly ahead = new Map<string, FactDef<any, any>>()

  /** `host` names the host in the errors of facts that cannot be read. */
  constructor(private readonly host?: string) {}

  async get<A, T>(def: FactDef<A, T>, args: A, run: Runner, user: string): Promise<T> {
    const key = keyOf(def, args, user)
    let hit = this.entries.get(key) as Promise<T> | undefined
    if (def.volatile) {
      // Taken by the one plan that asks: a second ask (a retry) reads again.
      this.entries.delete(key)
      this.ahead.delete(key)
      return hit ?? readOne(def, args, run, this.host)
    }
    if (!hit) {
      hit = readOne(def, args, run, this.host)
      this.remember(key, hit)
    }
    return hit
  }

  /** True when the fact is cached (or being read). */
  has<A>(def: FactDef<A, unknown>, args: A, user: string): boolean {
    return this.entries.has(keyOf(def, args, user))
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
        this.remember(key, batch.then((values) => values[i] ?? single(), (err) => (err instanceof JoinedOutputLost ? single() : Promise.reject(err))))
        this.ahead.set(key, def)
      })
      return batch
    })
    joiner.flush()
    return Promise.all(batches.map((b) => b.catch(() => undefined))).then(() => undefined)
  }

  /** Forgets the read-ahead entries of volatile facts: something was applied on another host. */
  dropVolatile(): void {
    for (const [key, def] of this.ahead) {
      if (def.volatile) {
        this.entries.delete(key)
        this.ahead.delete(key)
      }
    }
  }

  /** Forgets every read-ahead entry: something was applied on the host. */
  dropReadAhead(): void {
    for (const key of this.ahead.keys()) this.entries.delete(key)
    this.ahead.clear()
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
      if (suffix === undefined || key.endsWith(suffix)) {
        this.entries.delete(key)
        this.ahead.delete(key)
      }
    }
  }

  /** Caches a read in flight; a failed read is forgotten so the next use tries again. */
  private remember(key: string, read: Promise<unknown>): void {
    this.entries.set(key, read)
    read.catch(() => {
      if (this.entries.get(key) === read) this.entries.delete(key)
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
