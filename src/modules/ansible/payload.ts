// AnsiballZ payloads, built by Ansible's own module_common.modify_module in one helper process on the
// controller (scripts/ansible-modules.py serve), started the first time a task runs one of Ansible's
// modules and kept for the run: JSON lines over its stdin and stdout, never a file (the arguments, and
// so any password, stay in memory). The process holds the event loop only while a request is open, and
// each request has a deadline (deadline.ts): a helper that hangs, dies or writes nonsense fails the open
// tasks with an error naming it, and the next task starts a new one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { MIN_GUESSED_LENGTH } from '../../secrets/names.js'
import { scrub } from '../../secrets/index.js'
import { onNewRun } from '../../run-state.js'
import { ansibleSettings, controllerPython, describePython, helperScript, type ControllerPython } from './controller.js'
import { ansibleTimeoutMs, killGroup, lastWords, seconds, timeoutAdvice } from './deadline.js'

/** The task's settings that become Ansible's internal `_ansible_*` arguments. */
export interface InternalSettings {
  check: boolean
  no_log: boolean
  diff: boolean
  verbosity: number
  python?: string
  syslog_facility?: string
  remote_tmp?: string
}

export interface PayloadRequest {
  /** The module's FQCN and its file on the controller, as resolution found them. */
  name: string
  path: string
  args: Record<string, unknown>
  internal: InternalSettings
}

interface Waiter {
  request: PayloadRequest
  resolve: (payload: Buffer) => void
  reject: (err: Error) => void
}

interface Helper {
  child: ChildProcessWithoutNullStreams
  /** Open requests, oldest (the one the helper is building) first. */
  waiting: Map<number, Waiter>
  next: number
  /** Each request's deadline, from when the helper could start on it (the previous reply, or its sending). */
  timer?: NodeJS.Timeout
  ms: number
  python: ControllerPython
  /** ansibleSettings when it was started, as JSON. */
  settings: string
  fail: (why: string) => void
  /** Its stderr so far, the open requests' arguments masked. */
  stderr: () => string
}

let helper: Helper | undefined
/**
 * Whether this run compared the helper's settings with its own. A process serving many runs keeps the
 * helper (its python start and Ansible's imports are the dear part) for as long as the next run would
 * start it the same: another PATH, cwd, ansible.cfg or ANSIBLE_* variable starts a new one.
 */
let checked = false
onNewRun(() => (checked = false))

function currentHelper(ms: number): Helper {
  if (!checked && helper) {
    const now = settingsOf(controllerPython())
    if (helper.settings !== now) helper.fail('was stopped: this run has other Ansible settings')
  }
  checked = true
  helper ??= start(ms)
  return helper
}

const settingsOf = (python: ControllerPython): string => JSON.stringify(ansibleSettings(python))

/** Every string in a request's arguments: an error quoting what the helper wrote masks them (passwords). */
const argStrings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v !== null && typeof v === 'object' ? Object.values(v).flatMap(argStrings) : []

function start(ms: number): Helper {
  const python = controllerPython()
  // A group of its own: the deadline ends the helper with whatever it started (deadline.ts).
  const child = spawn(python.command, [...python.args, helperScript(), 'serve'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  // What it wrote last on stderr, its requests' arguments masked (stderr is quoted in errors).
  let stderr = ''
  const masked = (text: string): string => scrub(text, [...state.waiting.values()].flatMap((w) => argStrings(w.request.args)).filter((v) => v.length >= MIN_GUESSED_LENGTH))
  // At exit, a helper still building (pgha stopped by a second Ctrl-C) would be left: an idle one reads end of file.
  const atExit = (): void => {
    if (state.waiting.size > 0) killGroup(child)
  }
  const state: Helper = {
    child, waiting: new Map(), next: 1, ms, python, settings: settingsOf(python),
    stderr: () => masked(stderr),
    // Ends the helper and every open request, with `why` (what it quotes of the helper masked by the caller).
    fail: (why) => {
      if (helper === state) helper = undefined
      clearTimeout(state.timer)
      process.off('exit', atExit)
      killGroup(child)
      const message = `the controller's Ansible helper (${describePython(python)} running ${helperScript()} serve) ${why}`
      for (const w of state.waiting.values()) w.reject(new Error(message))
      state.waiting.clear()
    },
  }
  process.on('exit', atExit)
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)))
  createInterface({ input: child.stdout }).on('line', (line) => {
    let reply: { id?: unknown; payload?: string; error?: string }
    try {
      reply = JSON.parse(line) as typeof reply
      if (reply === null || typeof reply !== 'object') throw new Error('not an object')
    } catch {
      return state.fail(`wrote what is not a reply and was stopped: '${masked(line).slice(0, 120)}'`)
    }
    const w = state.waiting.get(reply.id as number)
    if (!w) return
    state.waiting.delete(reply.id as number)
    clearTimeout(state.timer)
    if (state.waiting.size === 0) idle(child)
    else watch(state)
    if (reply.payload !== undefined) w.resolve(Buffer.from(reply.payload, 'base64'))
    else w.reject(new Error(reply.error ?? 'no payload'))
  })
  child.on('error', (err) => state.fail(`could not start (${err.message})`))
  // Whatever it started goes with it; its last words are read once its pipes are closed.
  child.on('exit', () => killGroup(child))
  child.on('close', (code, signal) => state.fail(lastWords(masked(stderr), signal ? `was killed by ${signal}` : `exited with ${code}`)))
  child.stdin.on('error', () => {}) // reported by 'close'
  return state
}

/** Starts the deadline of the oldest open request. */
function watch(h: Helper): void {
  const oldest = h.waiting.values().next().value as Waiter
  h.timer = setTimeout(() => h.fail(`took over ${seconds(h.ms)} to build ${oldest.request.name}'s payload and was stopped: ${timeoutAdvice(h.python, h.stderr())}`), h.ms)
}

/** The pipes are sockets, which can let the event loop end without them (`unref`) or not. */
type Refable = { ref?: () => void; unref?: () => void }
const pipes = (child: ChildProcessWithoutNullStreams): Refable[] => [child, child.stdin, child.stdout, child.stderr] as unknown as Refable[]

/** Lets pgha exit while the helper waits for work: it reads end of file on its stdin then, and exits. */
function idle(child: ChildProcessWithoutNullStreams): void {
  for (const p of pipes(child)) p.unref?.()
}

function busy(child: ChildProcessWithoutNullStreams): void {
  for (const p of pipes(child)) p.ref?.()
}

/** The payload Ansible would pipe to the host's python for this task (rejects with the helper's error). */
export function buildPayload(request: PayloadRequest): Promise<Buffer> {
  let ms: number
  try {
    ms = ansibleTimeoutMs()
  } catch (err) {
    return Promise.reject(err as Error)
  }
  const h = currentHelper(ms)
  h.ms = ms
  const id = h.next++
  busy(h.child)
  return new Promise((resolve, reject) => {
    h.waiting.set(id, { request, resolve, reject })
    if (h.waiting.size === 1) watch(h)
    h.child.stdin.write(JSON.stringify({ id, ...request }) + '\n')
  })
}
