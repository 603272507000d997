// Runs the file modules against this machine through the real LocalTransport (atomic writes, owner/mode,
// validate, backup), with files/ and templates/ resolved in a temp project dir, so the shell snippets of
// the file facts and modules are proven on a real host.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Plan, TaskResult } from '../../src/modules/index.js'
import { LocalTransport } from '../../src/transport/index.js'
import { runModule } from './harness.js'

export interface HostRun {
  plan: Plan
  result: Partial<TaskResult>
  roundTrips: number
}

/** A temp dir that acts as the project (files/, templates/) and the host's filesystem. */
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pgha-file-'))

/** Plans `module` here and applies it unless `check`; each run starts with an empty fact cache. */
export async function onHost(module: string, args: Record<string, unknown>, o: { check?: boolean; project?: string; vars?: Record<string, unknown> } = {}): Promise<HostRun> {
  const transport = new LocalTransport({ host: 'localhost' })
  const { plan, result } = await runModule(module, args, transport, { check: o.check, vars: o.vars, project: o.project ?? '/nonexistent' })
  return { plan, result, roundTrips: transport.roundTrips }
}

/** The planned change descriptions of a run. */
export const planned = (r: HostRun): string[] => r.plan.changes.map((c) => c.description)
