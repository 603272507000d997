// Runs module plans and applies against this machine through the real LocalTransport, so the sh snippets
// of facts and modules are proven on a real Debian box, not only their parsers.
import { FactCache } from '../../src/facts/index.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { getModule, normalizePlan, type ModuleContext, type Plan, type TaskResult } from '../../src/modules/index.js'
import { LocalTransport } from '../../src/transport/index.js'
import type { ExecOptions, ExecResult } from '../../src/transport/types.js'

/** LocalTransport that also records the commands it ran, for round-trip assertions. */
export class LocalHost extends LocalTransport {
  readonly commands: string[] = []
  constructor() {
    super({ host: 'localhost' })
  }
  override async exec(command: string, o?: ExecOptions): Promise<ExecResult> {
    this.commands.push(command)
    return super.exec(command, o)
  }
}

export interface LocalRun {
  plan: Plan
  result: Partial<TaskResult>
  host: LocalHost
}

/** Plans a module against this machine and applies it unless `check`, as the engine does. */
export async function runLocal(moduleName: string, args: Record<string, unknown>, opts: { check?: boolean; vars?: Record<string, unknown>; signal?: AbortSignal } = {}): Promise<LocalRun> {
  const mod = getModule(moduleName)
  if (!mod) throw new Error(`no module ${moduleName}`)
  const host = new LocalHost()
  const ctx: ModuleContext = createModuleContext({
    host: 'localhost', transport: host, facts: new FactCache(), vars: opts.vars ?? {}, check: !!opts.check, become: { become: false },
    signal: opts.signal ?? new AbortController().signal, render: (t) => t, resolveLocal: (_k, p) => p,
  })
  const params = mod.params.parse(args)
  const plan = normalizePlan(await mod.plan(ctx, params))
  let result: Partial<TaskResult> = { ...plan.result }
  if (!opts.check && plan.changes.length > 0 && mod.apply) result = { ...result, ...(await mod.apply(ctx, params, plan)) }
  return { plan, result, host }
}

/** Runs a fact's real command here and parses it. */
export async function localFact<A, T>(def: { command(a: A): string; parse(s: string, a: A, rc: number): T }, args: A): Promise<T> {
  const r = await new LocalHost().exec(def.command(args))
  return def.parse(r.stdout, args, r.rc)
}
