// Plans and applies a module on this machine through LocalTransport as a become user, as the engine does
// for `become_user: postgres`, counting what each phase cost.
import { FactCache } from '../../src/facts/index.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { getModule, normalizePlan, type Plan, type TaskResult } from '../../src/modules/index.js'
import { LocalHost } from '../modules/local-host.js'

export interface PgRun {
  plan: Plan
  result: Partial<TaskResult>
  /** Commands run (psql route) and streams opened (stream route), plan and apply together. */
  commands: number
  streams: number
}

export async function runAs(user: string, moduleName: string, args: Record<string, unknown>, check = false): Promise<PgRun> {
  const mod = getModule(moduleName)
  if (!mod) throw new Error(`no module ${moduleName}`)
  const host = new LocalHost()
  let streams = 0
  const open = host.openStream.bind(host)
  host.openStream = (t) => (streams++, open(t))
  const ctx = createModuleContext({
    host: 'localhost', transport: host, facts: new FactCache(), vars: {}, check, become: { become: true, user },
    signal: new AbortController().signal, render: (t) => t, resolveLocal: (_k, p) => p,
  })
  const params = mod.params.parse(args)
  const plan = normalizePlan(await mod.plan(ctx, params))
  let result: Partial<TaskResult> = { changed: false, ...plan.result }
  if (!check && plan.changes.length > 0 && mod.apply) result = { ...result, changed: true, ...(await mod.apply(ctx, params, plan)) }
  return { plan, result, commands: host.commands.length, streams }
}

/** The descriptions a plan would print. */
export const described = (r: PgRun): string[] => r.plan.changes.map((c) => c.description)
