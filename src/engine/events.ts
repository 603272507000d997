// Typed events the engine emits; output/ only listens to these.
import type { TaskResult } from '../modules/types.js'

/**
 * `included`: a dynamic include's result on a host that included something; as in Ansible it counts
 * nothing itself: each `include` event it led to counts an ok on its hosts.
 */
export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored' | 'included'

export interface RecapCounts {
  ok: number
  changed: number
  failed: number
  skipped: number
  unreachable: number
  ignored: number
  /** Failures a block's rescue section caught: counted here instead of under failed, as Ansible does. */
  rescued?: number
}

export type EngineEvent =
  | { type: 'run:start'; playbook: string; check: boolean; hosts: string[] }
  | { type: 'play:start'; name: string; hosts: string[] }
  | {
      type: 'task:start'
      name: string
      hosts: string[]
      handler?: boolean
      /** The module the task runs: output shows `debug` messages without -v, like Ansible. */
      module?: string
    }
  | { type: 'host:start'; task: string; host: string; item?: string }
  | {
      type: 'host:result'
      task: string
      host: string
      status: HostStatus
      /** Already scrubbed of secrets; `{ censored }` for no_log tasks. */
      result: TaskResult
      /** Loop item label when the task loops. */
      item?: string
      /** From the task's start on this host, to 0.1 ms (a task whose facts were read ahead takes well under 1 ms). */
      durationMs: number
      /** Planned changes' descriptions (for -v and --check). */
      changes?: string[]
      /** The task's `diff` keyword: show its result's diff (or not) whatever --diff says. */
      diff?: boolean
    }
  /**
   * An include_tasks brought a task file in on `hosts` (for one loop item: its label), shown as Ansible's
   * `included: FILE for h1, h2 => (item=x)`; counts an ok for each host, as Ansible does once the file is
   * loaded. include_role has none: Ansible shows and counts nothing for a role it includes.
   */
  | { type: 'include'; task: string; file: string; hosts: string[]; item?: string }
  /** A block's rescue section takes over the host's failure: the recap moves it from failed to rescued. */
  | { type: 'host:rescued'; host: string; task: string }
  | { type: 'task:end'; name: string }
  | { type: 'play:end'; name: string }
  | { type: 'warning'; message: string; host?: string }
  | { type: 'run:end'; recap: Record<string, RecapCounts>; elapsedMs: number; interrupted: boolean }

export type EventListener = (event: EngineEvent) => void

/** Milliseconds since `start` (a performance.now() reading), to 0.1 ms: host:result's durationMs. */
export function msSince(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10
}
