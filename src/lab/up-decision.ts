// What `lab up` (and `demo`) may do with what is already there: reuse a running lab that is the one asked
// for, clear leftovers where nothing runs, and otherwise leave a running lab alone unless told (--force):
// its nodes may hold someone's cluster. Pure, so every case is unit-tested without root.
import { pghaCommand } from '../command-hint.js'
import { MAX_INSTANCE } from './paths.js'
import type { LabState } from './state.js'

/** A node of the instance as found on the machine. */
export interface FoundNode {
  name: string
  running: boolean
  /** sshd answered (only asked of running nodes). */
  sshd: boolean
}

export type UpDecision =
  | { action: 'reuse' }
  /** Nothing runs: clear whatever a crashed or stopped lab left, then boot. */
  | { action: 'boot' }
  /** --force: stop the running lab, then boot the one asked for. */
  | { action: 'replace'; why: string }
  | { action: 'refuse'; message: string }

export interface UpRequest {
  current: LabState | undefined
  wanted: LabState
  /** Every node of the instance found on the machine: those of the state and any other running one. */
  found: FoundNode[]
  force: boolean
  instance: number
  /** The command that was run, for the hint (`lab up`, `demo`). */
  command: string[]
}

export function decideUp(r: UpRequest): UpDecision {
  const running = r.found.filter((n) => n.running)
  if (running.length === 0) return { action: 'boot' }
  const why = differences(r.current, r.wanted, r.found)
  if (why.length === 0) return { action: 'reuse' }
  const reason = `lab instance ${r.instance} is running (${running.map((n) => n.name).join(', ')}) but ${why.join('; ')}`
  if (r.force) return { action: 'replace', why: reason }
  const other = r.instance === MAX_INSTANCE ? r.instance - 1 : r.instance + 1
  return {
    action: 'refuse',
    message: `${reason}. It was left as it is, since its nodes may hold a cluster someone uses. To replace it: ${pghaCommand(...r.command, ...instanceArgs(r.instance), '--force')}; `
      + `to remove it: ${pghaCommand('lab', 'down', ...instanceArgs(r.instance))}; or use another lab beside it: ${pghaCommand(...r.command, '--instance', String(other))}`,
  }
}

const instanceArgs = (instance: number): string[] => (instance === 0 ? [] : ['--instance', String(instance)])

/** Why the running lab is not the one asked for; [] when it is, whole and answering. */
function differences(current: LabState | undefined, wanted: LabState, found: FoundNode[]): string[] {
  if (!current) return ['it has no state file, so pgha cannot tell which lab it is']
  const out: string[] = []
  const names = (s: LabState): string => s.nodes.map((n) => `${n.name} ${n.address}`).join(', ')
  if (JSON.stringify(current.nodes) !== JSON.stringify(wanted.nodes)) out.push(`it has the nodes ${names(current)}, not ${names(wanted)}`)
  if (current.image !== wanted.image) out.push(`its image (${current.image}) is not the current recipe's (${wanted.image})`)
  const down = current.nodes.filter((n) => !found.find((f) => f.name === n.name)?.running).map((n) => n.name)
  const silent = found.filter((f) => f.running && !f.sshd && current.nodes.some((n) => n.name === f.name)).map((f) => f.name)
  const extra = found.filter((f) => f.running && !current.nodes.some((n) => n.name === f.name)).map((f) => f.name)
  if (down.length) out.push(`${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} not running`)
  if (extra.length) out.push(`${extra.join(', ')} ${extra.length === 1 ? 'runs' : 'run'} without being in its state`)
  if (silent.length) out.push(`sshd does not answer on ${silent.join(', ')}`)
  return out
}
