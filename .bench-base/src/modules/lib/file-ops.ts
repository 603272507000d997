// The operations file modules plan (carried in Change.data) and the one apply that performs them, so every
// module writes, uploads and runs commands the same way and invalidates the file facts afterwards.
import { PghaError } from '../../errors.js'
import { fileFact, slurpFact, treeFact, missingFact, authorizedKeysFact } from '../../facts/index.js'
import type { WriteFileOptions } from '../../transport/types.js'
import type { ModuleContext, Plan, TaskResult } from '../types.js'

export type FileOp =
  | { op: 'write'; path: string; content: string | Buffer; options: WriteFileOptions }
  | { op: 'put'; local: string; path: string; options: WriteFileOptions }
  | { op: 'sh'; command: string }

/** The line a planned command prints when it turned out to change nothing. */
export const UNCHANGED = 'pgha:unchanged'

/** Runs a command on the host; a nonzero exit fails the task with its stderr. */
export async function run(ctx: ModuleContext, command: string): Promise<string> {
  const r = await ctx.exec(command)
  if (r.rc !== 0) throw new PghaError('task', `${command.split('\n')[0]}: ${(r.stderr || r.stdout).trim() || `exit ${r.rc}`}`)
  return r.stdout
}

/** Performs the FileOps of every change in order, then forgets the file facts they may have changed. */
export async function applyFileOps(ctx: ModuleContext, _params: unknown, plan: Plan): Promise<Partial<TaskResult>> {
  const result: Partial<TaskResult> = {}
  try {
    for (const change of plan.changes) {
      const op = change.data as FileOp | undefined
      if (!op) continue
      if (op.op === 'sh') {
        // A command that finds nothing to do after all (get_url force=yes with identical content) says so.
        if ((await run(ctx, op.command)).split('\n').includes(UNCHANGED)) result.changed = false
      }
      else {
        const r = op.op === 'write' ? await ctx.writeFile(op.path, op.content, op.options) : await ctx.putFile(op.local, op.path, op.options)
        if (r.backupPath) result.backup_file = r.backupPath
      }
    }
  } finally {
    for (const def of [fileFact, slurpFact, treeFact, missingFact, authorizedKeysFact]) ctx.invalidate(def)
  }
  return result
}
