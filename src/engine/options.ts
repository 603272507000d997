// What a run is asked to do: the CLI builds this from its flags; tests build it directly.
import type { EventListener } from './events.js'
import type { ConnectionSpec, Transport } from '../transport/types.js'
import type { Prompter } from './vars-prompt.js'

export interface RunOptions {
  playbook: string
  inventory: string
  /** Raw `-e` values, parsed by the engine so their errors are reported with the other input errors. */
  extraVars?: string[]
  check?: boolean
  diff?: boolean
  limit?: string
  tags?: string[]
  skipTags?: string[]
  startAtTask?: string
  /** Hosts worked on at once (default 20). */
  forks?: number
  verbosity?: number
  acceptNewHostKeys?: boolean
  connectTimeoutMs?: number
  /** -u: the login user where neither a variable nor the play's remote_user names one. */
  remoteUser?: string
  /** -c: the connection where neither a variable nor the play's connection keyword names one. */
  connection?: string
  /** -b: become where neither a variable nor the play's become keyword says. */
  become?: boolean
  /** --become-user: the user to become where neither a variable nor become_user names one. */
  becomeUser?: string
  /** --private-key: the key of hosts whose variables name none. */
  privateKeyFile?: string
  /** -K: the sudo password of hosts whose variables give none. */
  becomePassword?: string
  /**
   * Asks a vars_prompt question on the terminal (hidden: without echo). Absent when there is no terminal:
   * then a prompt's default is taken, and a prompt without one is an input error.
   */
  prompt?: Prompter
  /** Aborts the run (SIGINT): no new task starts, running ones get a short grace, then connections close. */
  signal?: AbortSignal
  onEvent?: EventListener
  /** Told the secret strings of the run once they are known, so reporters can scrub them too. */
  onSecrets?: (secrets: string[]) => void
  /** Opens a transport for a host; the default picks ssh or local from the connection spec. */
  openTransport?: (spec: ConnectionSpec) => Transport
}

export const DEFAULT_FORKS = 20
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
/** How long in-flight commands may finish after an interrupt before connections are closed. */
export const INTERRUPT_GRACE_MS = 5_000
