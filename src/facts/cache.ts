// Per-host fact cache keyed by (become user, fact name, args): a fact is read at most once until a change
// that can affect it invalidates it.
import type { ExecOptions, ExecResult } from '../transport/types.js'
import type { FactDef } from './types.js'

type Runner = (command: string, options?: ExecOptions) => Promise<ExecResult>

export class FactCache {
  private readonly entries = new Map<string, Promise<unknown>>()

  async get<A, T>(def: FactDef<A, T>, args: A, run: Runner, user: string): Promise<T> {
    const key = `${def.anyUser ? '' : user}\u0000${def.name}\u0000${JSON.stringify(args)}`
    let hit = this.entries.get(key) as Promise<T> | undefined
    if (!hit) {
      hit = run(def.command(args)).then((r) => def.parse(r.stdout, args, r.rc))
      this.entries.set(key, hit)
      hit.catch(() => this.entries.delete(key))
    }
    return hit
  }

  /** Seeds a value without running its command (fixtures, batched reads). */
  seed<A, T>(def: FactDef<A, T>, args: A, value: T, user: string): void {
    this.entries.set(`${def.anyUser ? '' : user}\u0000${def.name}\u0000${JSON.stringify(args)}`, Promise.resolve(value))
  }

  invalidate(def: FactDef<any, any>, args?: unknown): void {
    const suffix = args === undefined ? undefined : `\u0000${def.name}\u0000${JSON.stringify(args)}`
    for (const key of this.entries.keys()) {
      const [, name] = key.split('\u0000')
      if (name !== def.name) continue
      if (suffix === undefined || key.endsWith(suffix)) this.entries.delete(key)
    }
  }
}
