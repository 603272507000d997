// Runs module plans and applies against this machine, so the sh snippets of facts and modules are proven
// on a real Debian box, not only their parsers. A stand-in until src/transport/local.ts exists.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { FactCache } from '../../src/facts/index.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { getModule, normalizePlan, type ModuleContext, type Plan, type TaskResult } from '../../src/modules/index.js'
import type { ExecOptions, ExecResult, Transport } from '../../src/transport/types.js'

export class LocalHost implements Transport {
  readonly host = 'localhost'
  readonly commands: string[] = []
  roundTrips = 0
  async connect(): Promise<void> {}
  async close(): Promise<void> {}
  async exec(command: string, o: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++
    this.commands.push(command)
    const r = spawnSync('sh', ['-c', command], {
      cwd: o.cwd,
      input: o.stdin ?? '',
      env: { ...process.env, ...o.env },
      encoding: 'utf8',
      timeout: o.timeoutMs,
    })
    return { rc: r.status ?? 1, stdout: r.stdout, stderr: r.stderr }
  }
  async writeFile(path: string, content: string | Buffer) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(`${path}.tmp`, content)
    renameSync(`${path}.tmp`, path)
    return {}
  }
  async putFile(local: string, path: string) {
    return this.writeFile(path, readFileSync(local))
  }
  async readFile(path: string) {
    try {
      return readFileSync(path)
    } catch {
      return undefined
    }
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
