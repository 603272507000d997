// AnsiballZ payloads, built by Ansible's own module_common.modify_module in one helper process on the
// controller (scripts/ansible-modules.py serve), started the first time a task runs one of Ansible's
// modules and kept for the run: JSON lines over its stdin and stdout, never a file (the arguments, and
// so any password, stay in memory). The process holds the event loop only while a request is open.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { controllerPython, helperScript } from './controller.js'

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
  resolve: (payload: Buffer) => void
  reject: (err: Error) => void
}

let helper: { child: ChildProcessWithoutNullStreams; waiting: Map<number, Waiter>; next: number } | undefined

function start(): NonNullable<typeof helper> {
  const python = controllerPython()
  const child = spawn(python.command, [...python.args, helperScript(), 'serve'], { stdio: ['pipe', 'pipe', 'pipe'] })
  const state = { child, waiting: new Map<number, Waiter>(), next: 1 }
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)))
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as { id: number; payload?: string; error?: string; missing?: string }
    const w = state.waiting.get(reply.id)
    if (!w) return
    state.waiting.delete(reply.id)
    if (state.waiting.size === 0) idle(child)
    if (reply.payload !== undefined) w.resolve(Buffer.from(reply.payload, 'base64'))
    else w.reject(new Error(reply.error ?? 'no payload'))
  })
  const gone = (why: string): void => {
    if (helper === state) helper = undefined
    for (const w of state.waiting.values()) w.reject(new Error(`the controller's Ansible helper (${python.command} ${helperScript()}) ${why}${stderr ? `: ${stderr.trim()}` : ''}`))
    state.waiting.clear()
  }
  child.on('error', (err) => gone(`could not start (${err.message})`))
  child.on('exit', (code) => gone(`exited (${code})`))
  child.stdin.on('error', () => {}) // reported by 'exit'
  return state
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
  helper ??= start()
  const h = helper
  const id = h.next++
  busy(h.child)
  return new Promise((resolve, reject) => {
    h.waiting.set(id, { resolve, reject })
    h.child.stdin.write(JSON.stringify({ id, ...request }) + '\n')
  })
}
