// Plans and applies a module on this machine through LocalTransport as a become user, as the engine does
// for `become_user: postgres`, counting what each phase cost.
import type { Plan, TaskResult } from '../../src/modules/index.js'
import { runModule } from '../modules/harness.js'
import { LocalHost } from '../modules/local-host.js'

export interface PgRun {
  plan: Plan
  result: Partial<TaskResult>
  /** Commands run (psql route) and streams opened (stream route), plan and apply together. */
  commands: number
  streams: number
}

export async function runAs(user: string, moduleName: string, args: Record<string, unknown>, check = false): Promise<PgRun> {
  const host = new LocalHost()
  let streams = 0
  const open = host.openStream.bind(host)
  host.openStream = (t) => (streams++, open(t))
  const { plan, applied } = await runModule(moduleName, args, host, { check, become: { become: true, user } })
  const result: Partial<TaskResult> = { changed: false, ...plan.result, ...(applied && { changed: true, ...applied }) }
  return { plan, result, commands: host.commands.length, streams }
}

/** The descriptions a plan would print. */
export const described = (r: PgRun): string[] => r.plan.changes.map((c) => c.description)
