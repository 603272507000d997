// `pgha lab status` and `pgha lab exec`: what runs, and a way into a node that needs neither SSH nor network.
import { PghaError } from '../errors.js'
import { leaderOf } from './processes.js'
import { runningPid } from './node.js'
import { tryRun, type RunResult } from './run.js'
import { sshBanner } from './ssh-probe.js'
import { readState } from './state.js'

export interface NodeStatus {
  name: string
  address: string
  pid?: number
  running: boolean
  /** The SSH banner when sshd answered from the host, else undefined. */
  sshd?: string
}

export async function labStatus(): Promise<NodeStatus[]> {
  const state = readState()
  if (!state) return []
  return Promise.all(state.nodes.map(async (n) => {
    const pid = runningPid(n.name)
    return { name: n.name, address: n.address, pid, running: !!pid, sshd: pid ? await sshBanner(n.address) : undefined }
  }))
}

/**
 * Runs a command inside a running node as root, in all its namespaces (works while its network is cut).
 * A string runs through `sh -c`; an array runs as is.
 */
export async function labExec(node: string, cmd: string | string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const pid = runningPid(node)
  const leader = pid ? leaderOf(pid) : undefined
  if (!leader) throw new PghaError('internal', `lab: ${node} is not running`)
  const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd
  return tryRun('nsenter', ['-t', String(leader), '-a', '--', '/usr/bin/env', '-i',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LC_ALL=C.UTF-8', ...argv], opts)
}
