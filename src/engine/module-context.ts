// Builds the ModuleContext a module's plan/apply sees for one task on one host: the task's become user,
// environment and timeout applied to every command, facts through the host's cache.
import type { CheckCreations, HostLink, ModuleContext } from '../modules/types.js'
import type { Become, ExecOptions, Transport, WriteFileOptions } from '../transport/types.js'
import type { FactCache, PlanKey } from '../facts/cache.js'
import { becomeUserOf } from '../transport/become-user.js'

export interface ModuleContextOptions {
  host: string
  transport: Transport
  facts: FactCache
  /** The task planning: a volatile fact read ahead serves it once (facts/cache.ts). */
  plan?: PlanKey
  vars: Record<string, unknown>
  check: boolean
  toCreate?: CheckCreations
  verbosity?: number
  noLog?: boolean
  diff?: boolean
  become: Become
  timeoutMs?: number
  environment?: Record<string, string>
  signal: AbortSignal
  render: (text: string, source: string) => string
  resolveLocal: (kind: 'files' | 'templates', path: string) => string
  log?: (message: string) => void
  async?: ModuleContext['async']
  /** The host's connection (ModuleContext.link), reconnect giving the new transport commands then use. */
  link?: Omit<HostLink, 'reconnect'> & { reconnect(connectTimeoutMs?: number): Promise<Transport> }
}

/** Whom a task's commands and facts run as: '' for the login user, else the become user. */
export function factUser(become: Become): string {
  return becomeUserOf(become)
}

export function createModuleContext(o: ModuleContextOptions): ModuleContext {
  const becomeUser = factUser(o.become)
  // Replaced when the module reconnects (link.reconnect): every use below reads it at call time.
  let transport = o.transport
  const withTask = <T extends ExecOptions | WriteFileOptions>(opts?: T): T =>
    ({ ...o.become, timeoutMs: o.timeoutMs, ...opts }) as T
  const exec: ModuleContext['exec'] = (command, opts) =>
    transport.exec(command, {
      ...withTask(opts),
      env: o.environment || opts?.env ? { ...o.environment, ...opts?.env } : undefined,
    })
  return {
    host: o.host,
    vars: o.vars,
    check: o.check,
    ...(o.toCreate ? { toCreate: o.toCreate } : {}),
    verbosity: o.verbosity ?? 0,
    noLog: o.noLog ?? false,
    diff: o.diff ?? false,
    signal: o.signal,
    exec,
    openStream: o.transport.openStream ? (target) => transport.openStream!(target) : undefined,
    fact: (def, args) => o.facts.get(def, args, exec, becomeUser, o.plan),
    invalidate: (def, args) => o.facts.invalidate(def, args),
    writeFile: (path, content, opts) => transport.writeFile(path, content, withTask(opts)),
    putFile: (local, path, opts) => transport.putFile(local, path, withTask(opts)),
    readFile: (path) => transport.readFile(path, o.become),
    resolveLocal: o.resolveLocal,
    render: o.render,
    log: o.log ?? (() => {}),
    sleep: (ms) => sleep(o.signal, ms),
    ...(o.async ? { async: o.async } : {}),
    ...(o.link ? { link: relinking(o.link, (t) => { transport = t }) } : {}),
  }
}

/** Sleeps `ms`, waking early when the run is interrupted. */
export function sleep(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(() => {
      signal.removeEventListener('abort', done)
      resolve()
    }, ms)
    function done(): void {
      clearTimeout(t)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

function relinking(link: NonNullable<ModuleContextOptions['link']>, use: (t: Transport) => void): HostLink {
  return {
    get connection() {
      return link.connection
    },
    get connectTimeoutMs() {
      return link.connectTimeoutMs
    },
    reconnect: async (ms) => use(await link.reconnect(ms)),
  }
}
