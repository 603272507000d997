// What command and shell share: the creates/removes guard (planned from the file fact, so check mode is
// exact when they are given) and running the command into Ansible's result shape.
import { posix } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../../errors.js'
import { facts as factDefs, hostFacts, fileFact, type FactRead } from '../../facts/index.js'
import type { ModuleContext, Plan, TaskResult } from '../types.js'
import { bool } from './params.js'
import { startJob } from './async-job.js'
import { hostPathParam } from './value-kinds.js'

/** Params common to command and shell. */
export const runParams = {
  chdir: hostPathParam().optional().describe('Change into this directory before running the command.'),
  creates: hostPathParam().optional().describe('A path; when it already exists, the command is not run.'),
  removes: hostPathParam().optional().describe('A path; when it does not exist, the command is not run.'),
  stdin: z.string().optional().describe('Text fed to the command on its standard input.'),
  stdin_add_newline: bool(true, 'Append a newline to stdin.'),
  strip_empty_ends: bool(true, 'Strip trailing newlines from stdout and stderr.'),
  warn: z.unknown().optional().describe('Removed in ansible-core 2.14: a playbook that gives it loads, and the task fails when it runs, as in Ansible.'),
}

export interface RunParams {
  chdir?: string
  creates?: string
  removes?: string
  stdin?: string
  stdin_add_newline: boolean
  strip_empty_ends: boolean
  warn?: unknown
}

/** ansible-core 2.14's answer to the `warn` it removed, for command and shell alike, when the task runs. */
const WARN_REMOVED = 'Unsupported parameters for (ansible.legacy.command) module: warn. Supported parameters include: _raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends.'

/** A guard path as the command sees it: relative to chdir. */
const guardPath = (p: RunParams, path: string): string => (p.chdir ? posix.resolve(p.chdir, path) : path)

/** What planRun reads: the guards' paths; undefined without a guard, since the command then always runs. */
export function guardReads(p: RunParams): FactRead[] | undefined {
  if (p.warn !== undefined) return [] // the task fails before it reads anything
  const guards = [p.creates, p.removes].filter((g) => g !== undefined)
  return guards.length === 0 ? undefined : guards.map((g) => ({ def: fileFact, args: { path: guardPath(p, g) } }))
}

/** Plans one run of `display`: [] when the creates/removes guard says it is done, else one unpredictable change. */
export async function planRun(ctx: ModuleContext, p: RunParams, display: string): Promise<Plan<undefined>> {
  if (p.warn !== undefined) throw new PghaError('task', WARN_REMOVED)
  const at = (path: string) => guardPath(p, path)
  if (p.creates !== undefined && (await ctx.fact(fileFact, { path: at(p.creates) })).exists) {
    return skipped(`skipped, since ${p.creates} exists`)
  }
  if (p.removes !== undefined && !(await ctx.fact(fileFact, { path: at(p.removes) })).exists) {
    return skipped(`skipped, since ${p.removes} does not exist`)
  }
  // With a guard the run is certain; without one only running it can tell whether it changes anything.
  const guarded = p.creates !== undefined || p.removes !== undefined
  return { changes: [{ description: `run: ${display}` }], unpredictable: !guarded }
}

function skipped(msg: string): Plan<undefined> {
  return { changes: [], result: { msg, stdout: msg, stdout_lines: [msg], stderr: '', stderr_lines: [], rc: 0 } }
}

/** A command may have changed anything on the host: every cached fact but the host's identity is forgotten. */
export function forgetFacts(ctx: ModuleContext): void {
  for (const def of factDefs.values()) if (def !== hostFacts) ctx.invalidate(def)
}

/** Runs the composed sh command and returns Ansible's command result; a nonzero rc fails the task. */
export async function runCommand(ctx: ModuleContext, command: string, p: RunParams, cmd: unknown): Promise<Partial<TaskResult>> {
  const started = Date.now()
  const stdin = p.stdin === undefined ? undefined : p.stdin + (p.stdin_add_newline ? '\n' : '')
  const forget = (): void => forgetFacts(ctx)
  if (ctx.async) {
    // async: the job runs on in the background; the engine polls it (or not, with poll: 0).
    const job = await startJob(ctx, command, { cwd: p.chdir, stdin, limit: ctx.async.limit, cmd })
    forget()
    return { ...job, changed: true }
  }
  const r = await ctx.exec(command, { cwd: p.chdir, stdin })
  forget()
  const strip = (s: string) => (p.strip_empty_ends ? s.replace(/[\r\n]+$/, '') : s)
  const stdout = strip(r.stdout)
  const stderr = strip(r.stderr)
  const result: Partial<TaskResult> = {
    cmd,
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    delta_ms: Date.now() - started,
  }
  if (r.rc !== 0) Object.assign(result, { failed: true, msg: 'non-zero return code' })
  return result
}

const lines = (s: string): string[] => (s === '' ? [] : s.split(/\r?\n/))
