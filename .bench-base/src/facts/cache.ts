// Per-host fact cache keyed by (become user, fact name, args): a fact is read at most once until a change
// that can affect it invalidates it. Read-ahead entries (facts of tasks still to come, read in one batch)
// are kept apart: the engine drops them all as soon as anything is applied on the host, since a task in
// between could have changed what they describe.
import type { ExecOptions, ExecResult } from '../transport/types.js'
import type { FactDef, FactRead } from './types.js'

type Runner = (command: string, options?: ExecOptions) => Promise<ExecResult>

export class FactCache {
  private readonly entries = new Map<string, Promise<unknown>>()
  /** Keys of the entries read ahead and not confirmed by a change since. */
  private readonly ahead = new Set<string>()

  async get<A, T>(def: FactDef<A, T>, args: A, run: Runner, user: string): Promise<T> {
    const key = keyOf(def, args, user)
    let hit = this.entries.get(key) as Promise<T> | undefined
    if (!hit) {
      hit = readOne(def, args, run)
      this.remember(key, hit)
    }
    return hit
  }

  /** True when the fact is cached (or being read). */
  has<A>(def: FactDef<A, unknown>, args: A, user: string): boolean {
    return this.entries.has(keyOf(def, args, user))
  }

  /**
   * Reads the facts not cached yet in one batch per fact kind (kinds without `batch` are left to their
   * single read), when there are at least `min` of them. A result the batch cannot vouch for falls back
   * to the single read.
   */
  async readAhead(reads: FactRead[], run: Runner, user: string, min = 1): Promise<void> {
    const byDef = new Map<FactDef<any, any>, Map<string, unknown>>()
    let count = 0
    for (const { def, args } of reads) {
      const key = keyOf(def, args, user)
      if (!def.batch || this.entries.has(key)) continue
      const pending = byDef.get(def) ?? byDef.set(def, new Map()).get(def)!
      if (!pending.has(key)) count++
      pending.set(key, args)
    }
    if (count < min) return
    const batches = [...byDef].map(([def, pending]) => {
      const keys = [...pending.keys()]
      const list = [...pending.values()]
      const batch = def.batch!(list, (command) => run(command))
      keys.forEach((key, i) => {
        this.remember(key, batch.then((values) => values[i] ?? readOne(def, list[i], run)))
        this.ahead.add(key)
      })
      return batch
    })
    await Promise.all(batches.map((b) => b.catch(() => undefined)))
  }

  /** Forgets every read-ahead entry: something was applied on the host. */
  dropReadAhead(): void {
    for (const key of this.ahead) this.entries.delete(key)
    this.ahead.clear()
  }

  /** Seeds a value without running its command (test fixtures). */
  seed<A, T>(def: FactDef<A, T>, args: A, value: T, user: string): void {
    this.entries.set(keyOf(def, args, user), Promise.resolve(value))
  }

  invalidate(def: FactDef<any, any>, args?: unknown): void {
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

function readOne<A, T>(def: FactDef<A, T>, args: A, run: Runner): Promise<T> {
  return run(def.command(args)).then((r) => def.parse(r.stdout, args, r.rc))
}
