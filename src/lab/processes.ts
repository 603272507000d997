// The nspawn processes behind the nodes: found through /proc, so ones a crashed run left behind (pid file
// lost, state gone) are found too.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { instanceOfMark, labInstance, netnsOf, nodeOfNetns } from './paths.js'
import { tryRun } from './run.js'

const NETNS_FLAG = '--network-namespace-path=/run/netns/'
/** Set in every node's init environment (value: markOf(node)), so an orphaned one is recognisable. */
export const MARK = 'PGHA_LAB_NODE'

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return []
  }
}

/** The launcher shell's $0 (node.ts), which tells it from the nspawn it runs: both carry the netns flag. */
export const LAUNCHER = 'pgha-lab-node'

/** The launcher of `node` (instance-specific through its netns), found through /proc. */
export function launcherOf(node: string): number | undefined {
  const flag = `${NETNS_FLAG}${netnsOf(node)}`
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const args = cmdline(Number(entry))
    if (args[3] === LAUNCHER && args.includes(flag)) return Number(entry)
  }
  return undefined
}

/** Every running nspawn of any lab instance, with the netns it was given. */
function allNspawns(): Array<{ pid: number; netns: string }> {
  const found: Array<{ pid: number; netns: string }> = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const args = cmdline(Number(entry))
    if (!(args[0] ?? '').endsWith('systemd-nspawn')) continue
    const flag = args.find((a) => a.startsWith(NETNS_FLAG))
    if (flag) found.push({ pid: Number(entry), netns: flag.slice(NETNS_FLAG.length) })
  }
  return found
}

/** Every running nspawn of the instance's nodes, keyed by node name (other instances' are not listed). */
export function labNspawns(instance = labInstance()): Map<string, number> {
  const found = new Map<string, number>()
  for (const { pid, netns } of allNspawns()) {
    const node = nodeOfNetns(netns, instance)
    if (node) found.set(node, pid)
  }
  return found
}

/** How many nodes run in instances other than this one (they share the host's limits). */
export function otherInstancesNodes(instance = labInstance()): number {
  return allNspawns().filter((n) => !nodeOfNetns(n.netns, instance)).length
}

/**
 * Container inits of the instance's nodes whose nspawn is gone (killed with SIGKILL, the run crashed): they
 * keep running, reparented to the host's init, and hold their overlay and netns. nspawn marks them with
 * PGHA_LAB_NODE in their environment (see bootNode); its value names the instance.
 */
export function orphanInits(instance = labInstance()): number[] {
  const nspawns = new Set(allNspawns().map((n) => n.pid))
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]?.trim().split(/\s+/)
      if (nspid?.length !== 2 || nspid[1] !== '1') continue
      const mark = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').find((e) => e.startsWith(`${MARK}=`))
      if (mark === undefined || instanceOfMark(mark.slice(MARK.length + 1)) !== instance) continue
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1])
      if (!nspawns.has(ppid)) found.push(Number(entry))
    } catch {
      // the process exited while we looked
    }
  }
  return found
}

export async function killOrphans(): Promise<void> {
  const pids = orphanInits()
  for (const pid of pids) await tryRun('kill', ['-s', 'KILL', String(pid)])
  const deadline = Date.now() + 10_000
  while (pids.some(alive) && Date.now() < deadline) await sleep(100)
}

/** True when `pid` is the nspawn of `node` (not a recycled pid). */
export function isNodeNspawn(pid: number, node: string): boolean {
  return cmdline(pid).includes(`--network-namespace-path=/run/netns/${netnsOf(node)}`)
}

/** The container's init: the child of the nspawn process. */
export function leaderOf(nspawnPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${nspawnPid}/task/${nspawnPid}/children`, 'utf8').trim().split(/\s+/)
    return children[0] ? Number(children[0]) : undefined
  } catch {
    return undefined
  }
}

export const alive = (pid: number): boolean => existsSync(`/proc/${pid}`)

/** Asks the container's systemd to power off, then kills what is left after `graceMs`. */
export async function stopNspawn(pid: number, graceMs = 10_000): Promise<void> {
  const leader = leaderOf(pid)
  if (leader) await tryRun('kill', ['-s', 'RTMIN+4', String(leader)])
  else await tryRun('kill', ['-s', 'TERM', String(pid)])
  const deadline = Date.now() + graceMs
  while (alive(pid) && Date.now() < deadline) await sleep(100)
  if (alive(pid)) {
    if (leader) await tryRun('kill', ['-s', 'KILL', String(leader)])
    await tryRun('kill', ['-s', 'KILL', String(pid)])
    while (alive(pid) && Date.now() < deadline + 5_000) await sleep(100)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
