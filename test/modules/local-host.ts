// Runs module plans and applies against this machine through the real LocalTransport, so the sh snippets
// of facts and modules are proven on a real Debian box, not only their parsers.
import { type Plan, type TaskResult } from '../../src/modules/index.js'
import { LocalTransport } from '../../src/transport/index.js'
import type { ExecOptions, ExecResult } from '../../src/transport/types.js'
import { runModule, type ModuleRunOptions } from './harness.js'

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
export async function runLocal(moduleName: string, args: Record<string, unknown>, opts: Pick<ModuleRunOptions, 'check' | 'vars' | 'signal' | 'sleep'> = {}): Promise<LocalRun> {
  const host = new LocalHost()
  const { plan, result } = await runModule(moduleName, args, host, opts)
  return { plan, result, host }
}

/** Runs a fact's real command here and parses it. */
export async function localFact<A, T>(def: { command(a: A): string; parse(s: string, a: A, rc: number): T }, args: A): Promise<T> {
  const r = await new LocalHost().exec(def.command(args))
  return def.parse(r.stdout, args, r.rc)
}
