// `pgha run` as a user types it, each test with a run server of its own: a private XDG_RUNTIME_DIR per
// test (the server's socket lives there, test/persist and test/e2e/persist.test.ts), and the servers it
// left found by that directory in their command line and killed, so no test meets another's server and
// none outlives the tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { BIN } from '../built.js'
import { isRunning } from '../processes.js'

export interface PghaResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The client's pid. */
  pid: number
  ms: number
}

export interface PghaOptions {
  /** The private XDG_RUNTIME_DIR (from privateRuntime). */
  runtime: string
  cwd: string
  env?: Record<string, string>
  /** The umask the command starts with (octal, as the shell's umask takes it). */
  umask?: string
  /** Runs it on a terminal of this size (script(1) makes one; the pid is then script's). */
  tty?: { columns: number; rows: number }
  /** Sees stdout and stderr as they grow (to time a signal or a kill). */
  onOutput?: (out: string, child: ChildProcess) => void
}

/** A fresh XDG_RUNTIME_DIR of mode 0700, as systemd makes one. */
export function privateRuntime(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-persist-xdg-'))
  chmodSync(dir, 0o700)
  return dir
}

/** Runs `node bin/pgha.js ARGS` with NO_COLOR and the private runtime dir; PGHA_PERSIST as the caller's env says. */
export function pgha(args: string[], o: PghaOptions): Promise<PghaResult> {
  const started = Date.now()
  return new Promise((done, fail) => {
    // The test runner's node flags would make every command run in-process (serverPlan), and a CI runner's
    // CI would make pgha draw plain lines on a terminal: neither is what a user at a terminal has.
    const { NODE_OPTIONS: _flags, PGHA_PERSIST: _persist, CI: _ci, ...inherited } = process.env as Record<string, string>
    const env = { ...inherited, NO_COLOR: '1', XDG_RUNTIME_DIR: o.runtime, ...o.env }
    // With a umask, through sh, which sets it and becomes node (exec: the pid stays the client's).
    const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
    const child = o.tty
      ? spawn('script', ['-qec', `stty cols ${o.tty.columns} rows ${o.tty.rows}; exec ${command}`, '/dev/null'], { cwd: o.cwd, env })
      : o.umask
        ? spawn('/bin/sh', ['-c', `umask ${o.umask}; exec ${command}`], { cwd: o.cwd, env })
        : spawn(process.execPath, [BIN, ...args], { cwd: o.cwd, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      o.onOutput?.(stdout + stderr, child)
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      o.onOutput?.(stdout + stderr, child)
    })
    child.on('error', fail)
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, pid: child.pid!, ms: Date.now() - started }))
  })
}

/** The socket files in the runtime dir (one per build that has a server, or had one killed). */
export function sockets(runtime: string): string[] {
  const dir = join(runtime, `pgha-${process.getuid!()}`)
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sock')).map((f) => join(dir, f)) : []
}

/** The pids of the run servers listening in this runtime dir (their command line names the socket). */
export function serverPids(runtime: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `__persist ${runtime}/`], { encoding: 'utf8' })
    return out.split('\n').filter(Boolean).map(Number).filter(isRunning)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

/** Waits until `ready` holds, polling; throws with `what` after `ms`. */
export async function waitFor(what: string, ready: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * The pids listening on a socket of the runtime dir, from the kernel's table (ss): a socket file may be a
 * killed server's, and a probe connection would keep the server busy, declining the next run.
 */
export function listeners(runtime: string): number[] {
  const out = execFileSync('ss', ['-xlpH'], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line.includes(` ${runtime}/`)).flatMap((line) => [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))
}

/** Waits for the server a first run leaves (spawned as that run exits) to listen, and returns its pid. */
export async function serverOf(runtime: string): Promise<number> {
  await waitFor('the run server to listen', () => serverPids(runtime).length === 1 && listeners(runtime).length === 1)
  const [pid] = listeners(runtime)
  expect(serverPids(runtime)).toEqual([pid])
  return pid
}

/** Kills every server of the runtime dir and removes the dir. */
export function dropRuntime(runtime: string): void {
  for (const pid of serverPids(runtime)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  rmSync(runtime, { recursive: true, force: true })
}
