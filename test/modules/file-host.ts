// Runs the file modules against this machine through the real LocalTransport (atomic writes, owner/mode,
// validate, backup), with files/ and templates/ resolved in a temp project dir, so the shell snippets of
// the file facts and modules are proven on a real host.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FactCache } from '../../src/facts/index.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { getModule, normalizePlan, type Plan, type TaskResult } from '../../src/modules/index.js'
import { LocalTransport } from '../../src/transport/index.js'
import { renderString } from '../../src/vars/index.js'

export interface HostRun {
  plan: Plan
  result: Partial<TaskResult>
  roundTrips: number
}

/** A temp dir that acts as the project (files/, templates/) and the host's filesystem. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pgha-file-'))

/** Plans `module` here and applies it unless `check`; each run starts with an empty fact cache. */
export async function onHost(module: string, args: Record<string, unknown>, o: { check?: boolean; project?: string; vars?: Record<string, unknown> } = {}): Promise<HostRun> {
  const mod = getModule(module)
  if (!mod) throw new Error(`no module ${module}`)
  const transport = new LocalTransport({ host: 'localhost' })
  const vars = o.vars ?? {}
  const ctx = createModuleContext({
    host: 'localhost', transport, facts: new FactCache(), vars, check: !!o.check, become: { become: false },
    signal: new AbortController().signal,
    render: (text, source) => renderString(text, vars, source),
    resolveLocal: (kind, p) => join(o.project ?? '/nonexistent', kind, p),
  })
  const params = mod.params.parse(args)
  const plan = normalizePlan(await mod.plan(ctx, params))
  let result: Partial<TaskResult> = { ...plan.result }
  if (!o.check && plan.changes.length > 0 && mod.apply) result = { ...result, ...(await mod.apply(ctx, params, plan)) }
  return { plan, result, roundTrips: transport.roundTrips }
}

/** The planned change descriptions of a run. */
export const planned = (r: HostRun): string[] => r.plan.changes.map((c) => c.description)
