// The operations file modules plan (carried in Change.data) and the one apply that performs them, so every
// module writes, uploads and runs commands the same way and invalidates the file facts afterwards.
import { PghaError } from '../../errors.js'
import { fileFact, slurpFact, treeFact, missingFact, authorizedKeysFact } from '../../facts/index.js'
import { hostCopyScript, runInstall } from '../../transport/file-ops.js'
import type { WriteFileOptions } from '../../transport/types.js'
import type { ModuleContext, Plan, TaskResult } from '../types.js'

export type FileOp =
  | { op: 'write'; path: string; content: string | Buffer; options: WriteFileOptions }
  | { op: 'put'; local: string; path: string; options: WriteFileOptions }
  /** `local` is a file on the host (copy's remote_src), installed at path as put installs an upload. */
  | { op: 'cp'; local: string; path: string; options: WriteFileOptions }
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
export async function applyFileOps(ctx: ModuleContext, _params: unknown, plan: Plan<FileOp>): Promise<Partial<TaskResult>> {
  const result: Partial<TaskResult> = {}
  try {
    for (const { data: op } of plan.changes) {
      if (op.op === 'sh') {
        // A command that finds nothing to do after all (get_url force=yes with identical content) says so.
        if ((await run(ctx, op.command)).split('\n').includes(UNCHANGED)) result.changed = false
      }
      else {
        const r = op.op === 'write' ? await ctx.writeFile(op.path, op.content, op.options)
          : op.op === 'put' ? await ctx.putFile(op.local, op.path, op.options)
          // The task's become is the context's: the runner passes only what the script reads on stdin.
          : await runInstall((command, o) => ctx.exec(command, { stdin: o?.stdin }), ctx.host, op.path, hostCopyScript(op.path, op.local, op.options), op.options)
        if (r.backupPath) result.backup_file = r.backupPath
      }
    }
  } finally {
    for (const def of [fileFact, slurpFact, treeFact, missingFact, authorizedKeysFact]) ctx.invalidate(def)
  }
  return result
}
