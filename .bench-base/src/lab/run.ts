// Every process the lab starts goes through here (execa lives in lab/ and transport/local.ts only).
import { execa, execaSync } from 'execa'
import { PghaError } from '../errors.js'

export interface RunResult {
  rc: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string>
  input?: string
  timeoutMs?: number
}

/** Runs a program without a shell; a nonzero exit is returned, not thrown. */
export async function tryRun(file: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await execa(file, args, {
    reject: false,
    env: opts.env,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : undefined,
    timeout: opts.timeoutMs,
    stripFinalNewline: true,
  })
  if (r.failed && r.exitCode === undefined) {
    return { rc: 127, stdout: String(r.stdout ?? ''), stderr: String(r.shortMessage ?? r.message ?? '') }
  }
  return { rc: r.exitCode ?? 1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') }
}

/** Runs a program and throws with its stderr when it fails. */
export async function run(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await tryRun(file, args, opts)
  if (r.rc !== 0) {
    const out = (r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n')
    throw new PghaError('internal', `lab: \`${file} ${args.join(' ')}\` failed (rc ${r.rc}):\n${out}`)
  }
  return r.stdout
}

/** Synchronous variant for the capability probe, which must answer before any test file is collected. */
export function tryRunSync(file: string, args: string[]): RunResult {
  const r = execaSync(file, args, { reject: false, stdin: 'ignore', stripFinalNewline: true })
  return { rc: r.exitCode ?? 127, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? r.shortMessage ?? '') }
}
