// State shared by every play of one run: options, inventory, connections, per-host state, the event sink.
import { findHost } from '../inventory/index.js'
import type { Inventory, Vars } from '../inventory/types.js'
import type { Playbook } from '../playbook/index.js'
import type { EngineEvent } from './events.js'
import type { RunOptions } from './options.js'
import type { Connections } from './connections.js'
import { HostState } from './host-state.js'

export interface RunContext {
  options: RunOptions
  inventory: Inventory
  playbook: Playbook
  extraVars: Vars
  connections: Connections
  hosts: Map<string, HostState>
  forks: number
  check: boolean
  signal: AbortSignal
  /** Set once --start-at-task has been reached (always true without the option). */
  started: boolean
  /** Set by any_errors_fatal or an exceeded max_fail_percentage: the run stops after the current task. */
  stopped: boolean
  emit(event: EngineEvent): void
  /** hostvars[name]: another host's inventory vars, facts and registered results (stable, so the view is cached). */
  hostVarsOf: (host: string) => Vars
}

export function hostState(run: RunContext, name: string): HostState {
  let h = run.hosts.get(name)
  if (!h) {
    const inv = findHost(run.inventory, name)
    if (!inv) throw new Error(`host ${name} is not in the inventory`)
    h = new HostState(inv)
    run.hosts.set(name, h)
  }
  return h
}

/** A small concurrency limiter for `forks`: at most n hosts work at once. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker))
  return out
}
