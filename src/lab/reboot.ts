// Rebooting a node as a server reboots: its systemd stops every unit and powers off (or, `hard`, everything
// dies at once, as at a power cut), then it boots again from the same disk (its overlay: data, configuration,
// enabled units) in the same network namespace, so a cut link stays cut. Its own systemd then starts what is
// enabled, as at any boot. Unlike `up` and `reset`, a unit that fails at this boot is left failed: what
// failed, and why, is what a test of the boot wants to see.
import { PghaError } from '../errors.js'
import { withLabLock } from './lock.js'
import { bootNode, endLauncher, logTail, nodeLaunched, runningPid } from './node.js'
import { alive, leaderOf, sleep, stopNspawn } from './processes.js'
import { tryRun } from './run.js'
import { readState } from './state.js'
import { labExec } from './status.js'

export interface LabRebootOptions {
  /** Kill every process of the node at once instead of shutting it down (a crash, a power cut). */
  hard?: boolean
  /** How long the boot may take until systemd says it is over (default 120 s). */
  timeoutMs?: number
}

/** Reboots `node`; returns once its systemd has finished booting, with the system state it reports (running, degraded). */
export async function labReboot(node: string, opts: LabRebootOptions = {}): Promise<string> {
  return withLabLock(async () => {
    if (!readState()?.nodes.some((n) => n.name === node)) throw new PghaError('internal', `lab: ${node} is not a lab node`)
    const pid = runningPid(node)
    if (!pid) throw new PghaError('internal', `lab: ${node} is not running`)
    await endLauncher(node)
    if (opts.hard) await killContainer(pid)
    else await stopNspawn(pid, 120_000)
    bootNode(node)
    return bootOver(node, opts.timeoutMs ?? 120_000)
  })
}

/** SIGKILL to the container's init ends its pid namespace, so every process in it dies at that instant. */
async function killContainer(nspawnPid: number): Promise<void> {
  const leader = leaderOf(nspawnPid)
  await tryRun('kill', ['-s', 'KILL', String(leader ?? nspawnPid)])
  const deadline = Date.now() + 30_000
  while (alive(nspawnPid) && Date.now() < deadline) await sleep(100)
  if (alive(nspawnPid)) await tryRun('kill', ['-s', 'KILL', String(nspawnPid)])
}

async function bootOver(node: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!nodeLaunched(node)) throw new PghaError('internal', `lab: ${node} stopped while booting:\n${logTail(node)}`)
    const pid = runningPid(node)
    if (pid && leaderOf(pid)) {
      const r = await labExec(node, 'systemctl is-system-running --wait', { timeoutMs: Math.max(1_000, deadline - Date.now()) }).catch(() => undefined)
      const state = r?.stdout.trim()
      if (state === 'running' || state === 'degraded') return state
    }
    await sleep(250)
  }
  throw new PghaError('timeout', `lab: ${node} did not finish booting within ${Math.round(timeoutMs / 1000)} s:\n${logTail(node)}`)
}
