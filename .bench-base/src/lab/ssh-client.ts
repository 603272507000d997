// The system OpenSSH client against a node, with the lab key and strict host key checking: what a user
// would type, for tests and checks that must not go through pgha's own transport.
import { PghaError } from '../errors.js'
import { labPaths } from './paths.js'
import { tryRun, type RunResult } from './run.js'
import { readState } from './state.js'

export interface LabSshOptions {
  /** Login user (default root). */
  user?: string
  /** Force a pty (ssh -tt), as sudo with requiretty needs. */
  tty?: boolean
  input?: string
  /** A known_hosts file other than the lab's (to check that a wrong key is refused). */
  knownHosts?: string
  timeoutMs?: number
}

export async function labSsh(node: string, command: string, opts: LabSshOptions = {}): Promise<RunResult> {
  const state = readState()
  const n = state?.nodes.find((x) => x.name === node)
  if (!state || !n) throw new PghaError('internal', `lab: ${node} is not a lab node`)
  return tryRun('ssh', [
    '-i', labPaths.key(), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${opts.knownHosts ?? state.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR', ...(opts.tty ? ['-tt'] : []),
    `${opts.user ?? 'root'}@${n.address}`, command,
  ], { input: opts.input, timeoutMs: opts.timeoutMs ?? 120_000 })
}
