// Background jobs on the host, as Ansible's async runs them: the command starts detached from the
// connection (its own session, so the end of an SSH session does not hang it up), writes its status to a
// job file ~/.ansible_async/<jid> of the user it runs as, and is killed after its time limit. async_status
// reads that file. Ansible's job file holds the module's whole JSON result; pgha's host side is plain sh,
// so the job file holds the status (rc, start, end, cmd) and the output sits beside it, in <jid>.stdout
// and <jid>.stderr, which async_status joins back into the command's result.
import { randomInt } from 'node:crypto'
import { shqAlways } from '../../shell/index.js'
import type { ModuleContext, TaskResult } from '../types.js'

/** The directory Ansible keeps job files in (its default async_dir), under the home of the user the job runs as. */
export const ASYNC_DIR = '~/.ansible_async'

/** A job as Ansible's result of a started async task names it. */
export interface StartedJob {
  ansible_job_id: string
  results_file: string
  started: 1
  finished: 0
}

/** A jid: the module wrapper's `j<12 digits>` and, as in Ansible, the launcher's process id after a dot. */
const jidPrefix = (): string => `j${String(randomInt(1e12)).padStart(12, '0')}`

const JID = /^[A-Za-z0-9_.-]+$/

/** A jid that names a file in the job directory and nothing else. */
export function validJid(jid: string): boolean {
  return JID.test(jid) && jid !== '.' && jid !== '..'
}

/**
 * The sh text that runs the job: `timeout` kills it after `limit` seconds (KILL, as Ansible's wrapper
 * does), then the job file is replaced atomically with its final status. Its arguments: $1 the job file,
 * $2 the time limit. The command and its JSON for the status are files beside the job file (<jid>.cmd,
 * <jid>.json), never arguments: a command line is readable by every user of the host (ps).
 */
const RUNNER = [
  'f=$1',
  'now() { date "+%Y-%m-%d %H:%M:%S.%N" | cut -c1-26; }',
  'start=$(now); t0=$(date +%s)',
  'if [ -e "$f.in" ]; then in="$f.in"; else in=/dev/null; fi',
  'timeout -s KILL "$2" sh "$f.cmd" <"$in" >"$f.stdout" 2>"$f.stderr" & child=$!',
  'wait $child; rc=$?; end=$(now)',
  'if [ "$rc" = 137 ] && [ $(( $(date +%s) - t0 )) -ge "$2" ]; then',
  '  printf \'{"failed": true, "msg": "Timeout exceeded", "child_pid": %s}\\n\' "$child" >"$f.tmp"',
  'else',
  '  printf \'{"started": 1, "finished": 1, "rc": %s, "start": "%s", "end": "%s", "cmd": %s}\\n\' "$rc" "$start" "$end" "$(cat "$f.json")" >"$f.tmp"',
  'fi',
  'rm -f "$f.cmd" "$f.json"',
  'mv -f "$f.tmp" "$f"',
].join('\n')

/** Starts `command` (sh text) in the background with the context's user, environment and `cwd`; returns the job at once. */
export async function startJob(
  ctx: ModuleContext, command: string, opts: { cwd?: string; stdin?: string; limit: number; cmd: unknown },
): Promise<StartedJob> {
  const prefix = jidPrefix()
  const script = [
    'set -e',
    `d=${ASYNC_DIR}`,
    'mkdir -p "$d"',
    `jid=${prefix}.$$`,
    'f="$d/$jid"',
    // Written before the job starts, so that a poll at once finds it running.
    'printf \'{"started": 1, "finished": 0, "ansible_job_id": "%s"}\\n\' "$jid" >"$f"',
    // The command and its JSON as files only its user reads; the script reaches the host's shell on
    // stdin, so neither is on a command line.
    `(umask 077 && printf '%s' ${shqAlways(command)} >"$f.cmd" && printf '%s' ${shqAlways(JSON.stringify(opts.cmd))} >"$f.json")`,
    ...(opts.stdin === undefined ? [] : ['cat >"$f.in"']),
    // setsid: a session of its own, so no hangup reaches it when the connection closes; nohup where
    // setsid is missing. Every descriptor points away from the connection's, which thus closes at once.
    `runner=${shqAlways(RUNNER)}`,
    'if command -v setsid >/dev/null 2>&1; then detach=setsid; else detach=nohup; fi',
    `$detach sh -c "$runner" job "$f" ${Math.ceil(opts.limit)} </dev/null >/dev/null 2>&1 &`,
    'printf "%s\\n%s\\n" "$jid" "$f"',
  ].join('\n')
  const r = await ctx.exec(script, { cwd: opts.cwd, stdin: opts.stdin })
  const [jid, file] = r.stdout.trim().split('\n')
  if (r.rc !== 0 || !jid || !file) throw new Error(`could not start the job in ${ASYNC_DIR}: ${r.stderr.trim() || `exit ${r.rc}`}`)
  return { ansible_job_id: jid, results_file: file, started: 1, finished: 0 }
}

/** What the job file holds: the status written at start, the final one, or the time limit's. */
interface JobFile {
  started?: number
  finished?: number
  rc?: number
  start?: string
  end?: string
  cmd?: unknown
  failed?: boolean
  msg?: string
  child_pid?: number
}

const lines = (s: string): string[] => (s === '' ? [] : s.split(/\r?\n/))
const strip = (s: string): string => s.replace(/[\r\n]+$/, '')

/** Ansible's delta of two `YYYY-MM-DD HH:MM:SS.ffffff` times: `H:MM:SS.ffffff`. */
function delta(start: string, end: string): string {
  const micros = (t: string): number => Date.parse(`${t.slice(0, 23).replace(' ', 'T')}Z`) * 1000 + Number(t.slice(23, 26) || 0)
  const d = Math.max(0, micros(end) - micros(start))
  const s = Math.floor(d / 1e6)
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(d % 1e6, 6)}`
}

/**
 * The job's status as Ansible's async_status gives it: running (finished 0), or finished with the
 * command's result (rc, stdout, stderr, start, end, delta; failed on a nonzero rc), or the time limit's
 * failure; failed with 'could not find job' when there is no such job file.
 */
export async function jobStatus(ctx: ModuleContext, jid: string): Promise<TaskResult> {
  const r = await ctx.exec(`f=${ASYNC_DIR}/${jid}; printf '%s\\n' "$f"; [ -f "$f" ] || exit 3; cat "$f"`)
  const [file, ...rest] = r.stdout.split('\n')
  const none = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }
  if (r.rc === 3) return { changed: false, failed: true, msg: 'could not find job', ansible_job_id: jid, results_file: file, started: 1, finished: 1, ...none }
  if (r.rc !== 0) throw new Error(`could not read the job file ${file}: ${r.stderr.trim()}`)
  let data: JobFile
  try {
    data = JSON.parse(rest.join('\n')) as JobFile
  } catch {
    // Being replaced: as Ansible does with a file it cannot parse yet, the job is still running.
    return { changed: false, failed: false, ansible_job_id: jid, results_file: file, started: 1, finished: 0 }
  }
  if (data.finished !== 1 && data.failed === undefined) {
    return { changed: false, failed: false, ansible_job_id: jid, results_file: file, started: 1, finished: 0 }
  }
  const [stdout, stderr] = await Promise.all(['stdout', 'stderr'].map(async (s) => strip((await ctx.readFile(`${file}.${s}`))?.toString('utf8') ?? '')))
  const output = { stdout, stderr, stdout_lines: lines(stdout), stderr_lines: lines(stderr) }
  if (data.failed) return { changed: false, failed: true, msg: data.msg, child_pid: data.child_pid, ansible_job_id: jid, results_file: file, started: 1, finished: 1, ...output }
  const rc = data.rc ?? 0
  return {
    ansible_job_id: jid, changed: true, cmd: data.cmd, delta: delta(data.start ?? '', data.end ?? ''), end: data.end, start: data.start,
    failed: rc !== 0, finished: 1, msg: rc !== 0 ? 'non-zero return code' : '', rc, results_file: file, started: 1, ...output,
  }
}

/** Removes the job's files, as async_status mode=cleanup does; returns the job file's path. */
export async function cleanupJob(ctx: ModuleContext, jid: string): Promise<string> {
  const r = await ctx.exec(`f=${ASYNC_DIR}/${jid}; rm -f "$f" "$f.stdout" "$f.stderr" "$f.in" "$f.tmp" "$f.cmd" "$f.json"; printf '%s' "$f"`)
  if (r.rc !== 0) throw new Error(`could not remove the job file: ${r.stderr.trim()}`)
  return r.stdout
}

/**
 * Polls a started job every `poll` seconds until it finishes or `limit` seconds have passed, as Ansible's
 * task executor does; a finished job's files are removed. Returns the job's result, or Ansible's failure
 * when it did not finish in time.
 */
export async function awaitJob(ctx: ModuleContext, jid: string, limit: number, poll: number): Promise<TaskResult> {
  let status: TaskResult = { changed: false, failed: false, finished: 0 }
  for (let left = limit; left > 0 && !ctx.signal.aborted; left -= poll) {
    await ctx.sleep(poll * 1000)
    status = await jobStatus(ctx, jid)
    if (status.finished === 1) break
  }
  if (status.finished !== 1) {
    return { changed: false, failed: true, msg: `async task did not complete within the requested time - ${limit}s`, async_result: status }
  }
  await cleanupJob(ctx, jid)
  return status
}
