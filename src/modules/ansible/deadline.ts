// Every python pgha starts on the controller has a deadline: an import that hangs (a broken collection, an
// NFS home, a sitecustomize waiting on the network) must end in a clear error, never hang pgha. The python
// runs in a process group of its own, so that the deadline ends it with whatever it started (no orphan
// holding the pipes open, none left behind). PGHA_ANSIBLE_TIMEOUT (seconds) sets the deadline.
import { spawnSync, type ChildProcess } from 'node:child_process'
import type { ControllerPython } from './controller.js'

const DEFAULT_SECONDS = 60
/** Node's timers hold about 24.8 days; a day is plenty. */
const MAX_SECONDS = 86_400

/** The deadline of one call to the controller's Ansible, in ms; a bad PGHA_ANSIBLE_TIMEOUT throws its error. */
export function ansibleTimeoutMs(): number {
  const set = process.env.PGHA_ANSIBLE_TIMEOUT
  if (set === undefined || set === '') return DEFAULT_SECONDS * 1000
  const n = Number(set)
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new Error(`PGHA_ANSIBLE_TIMEOUT is '${set}': expected a number of seconds above 0 and at most ${MAX_SECONDS}`)
  return n * 1000
}

/** '60 s', '0.5 s': a deadline as the errors state it. */
export const seconds = (ms: number): string => `${ms / 1000} s`

/** Ends a process started with `detached: true` and everything in its group. */
export function killGroup(child: Pick<ChildProcess, 'pid'>): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // the group is gone already
  }
}

export type Ended =
  | { timedOut: true; stderr: string }
  /** pgha was told to stop (Ctrl-C) while it waited. */
  | { stopped: string }
  | { error: string }
  | { status: number | null; signal: string | null; stdout: string; stderr: string }

// A synchronous call cannot watch a process group itself, nor hear Ctrl-C while it waits: this small node
// process does, between pgha and the python. It starts the python in a group of its own, ends that group
// at the deadline, on a stop signal and when the python exits, and says how it ended on fd 3.
const GUARD = `
const { spawn } = require('node:child_process')
const { writeSync } = require('node:fs')
const [ms, command, ...args] = process.argv.slice(1)
const child = spawn(command, args, { stdio: 'inherit', detached: true })
const end = (verdict) => {
  try { process.kill(-child.pid, 'SIGKILL') } catch {}
  writeSync(3, JSON.stringify(verdict))
  process.exit(0)
}
child.on('error', (err) => end({ error: err.message }))
child.on('exit', (status, signal) => end({ status, signal }))
setTimeout(() => end({ timedOut: true }), Number(ms))
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => end({ stopped: s }))
`

/** Runs the python with `input` on its stdin, ended with its whole process group after `ms`. */
export function runWithDeadline(python: ControllerPython, args: string[], input: string, ms: number): Ended {
  const r = spawnSync(process.execPath, ['-e', GUARD, String(ms), python.command, ...python.args, ...args], {
    input, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    // The guard's own deadline, should node itself not start: far above the python's.
    timeout: ms + 30_000, killSignal: 'SIGKILL',
  })
  const verdict = (r.output?.[3] as string | null | undefined) ?? ''
  if (r.error || verdict === '') return { error: r.error?.message ?? `the guard process ended without a word (${r.signal ?? `exit ${r.status}`})` }
  const v = JSON.parse(verdict) as { timedOut?: true; stopped?: string; error?: string; status: number | null; signal: string | null }
  if (v.timedOut) return { timedOut: true, stderr: r.stderr }
  if (v.stopped !== undefined) return { stopped: v.stopped }
  if (v.error !== undefined) return { error: v.error }
  return { status: v.status, signal: v.signal, stdout: r.stdout, stderr: r.stderr }
}

/** How a process ended, with the last line it wrote to stderr. */
export function lastWords(stderr: string, ended: string): string {
  const line = stderr.trim().split('\n').at(-1)?.trim()
  return line ? `${ended}: ${line}` : ended
}

/** The end of a timeout's error: what to check, and what the python last said, if anything. */
export function timeoutAdvice(python: ControllerPython, stderr: string): string {
  const line = stderr.trim().split('\n').at(-1)?.trim()
  return `check that \`${[python.command, ...python.args].join(' ')} -c 'import ansible.plugins.loader'\` ends promptly ` +
    `(a broken collection, a network home directory or a sitecustomize can hang it)${line ? ` (its last words on stderr: ${line})` : ''}; ` +
    'PGHA_ANSIBLE_TIMEOUT sets the deadline in seconds'
}
