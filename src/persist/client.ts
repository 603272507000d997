// The run server's client: what bin/pgha.js runs before it loads the 4 MB bundle. When a server of this
// build is listening (socket-path.ts), `pgha run` is sent there and this process only relays: the output
// to its own stdout and stderr, its signals and terminal size to the server. Anything else (no server, a
// busy one, a command that will ask on the terminal) runs in this process, as if there were no server.
import { spawn } from 'node:child_process'
import { closeSync, fstatSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { openFilesLimit } from './open-files.js'
import { FRAME, FrameReader, messageFrame, type ServerMessage, type StreamInfo } from './protocol.js'
import { privateDir, serverDir, socketPath, startingLock } from './socket-path.js'

/** How long an idle server waits for the next run, as ssh's ControlPersist (Ansible's default is 60 s too). */
export const DEFAULT_PERSIST_SECONDS = 60

export interface ServerPlan {
  socket: string
  idleSeconds: number
}

/**
 * Whether this command line may use a run server, and which: `pgha run` only, PGHA_PERSIST not 0, node
 * started without flags of its own (a server has its own), and no question to ask on the terminal.
 */
export function serverPlan(argv: string[], env: NodeJS.ProcessEnv, execArgv: string[], bundle: string): ServerPlan | undefined {
  if (argv[2] !== 'run' || execArgv.length > 0 || env.NODE_OPTIONS) return undefined
  const idleSeconds = persistSeconds(env.PGHA_PERSIST)
  if (!idleSeconds) return undefined
  if (argv.slice(3).some(asksOnTerminal)) return undefined
  const build = buildOf(bundle)
  return build ? { socket: socketPath(serverDir(env), build), idleSeconds } : undefined
}

/** The longest idle time a timer holds (2^31-1 ms, 24.8 days): a longer one fires at once, ending the server. */
export const MAX_PERSIST_SECONDS = Math.floor((2 ** 31 - 1) / 1000)

/** PGHA_PERSIST: seconds a server waits for the next run (at most MAX_PERSIST_SECONDS); 0, no, off or false: no server. */
export function persistSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_PERSIST_SECONDS
  if (/^(0+|no|off|false)$/i.test(value)) return undefined
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_PERSIST_SECONDS)
  process.stderr.write(`pgha: PGHA_PERSIST=${JSON.stringify(value)} is not a number of seconds (or 0 for none): this run keeps no logins\n`)
  return undefined
}

/** -K, --ask-become-pass, --ask-vault-pass, --vault-id LABEL@prompt: questions the client's terminal answers. */
function asksOnTerminal(arg: string): boolean {
  return arg.startsWith('--ask-') || /^-[A-Za-z]*K/.test(arg) || arg.endsWith('@prompt')
}

/** The build named on the bundle's last line (scripts/bundle.js), read without reading the bundle. */
function buildOf(bundle: string): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(bundle, 'r')
    const size = fstatSync(fd).size
    const tail = Buffer.alloc(Math.min(64, size))
    readSync(fd, tail, 0, tail.length, size - tail.length)
    return /\/\/ pgha build ([0-9a-f]+)\n$/.exec(tail.toString('latin1'))?.[1]
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** How long a server that accepted the connection has to say it is ready for the command. */
const READY_MS = 2000

/**
 * Runs the command on the server. Resolves with its exit code, or says why this process must run it: no
 * server answered ('absent': the caller starts one), or it declined (or was not ready) before running anything.
 */
export function runOnServer(plan: ServerPlan, argv: string[]): Promise<number | 'absent' | 'declined'> {
  return new Promise((resolve) => {
    const conn = connect(plan.socket)
    // Once the server says `started`, the command is its: never run again here.
    let started = false
    let done = false
    // A server that accepts and does not say `ready` in time (stopped, or its process starved) never got
    // the command: this process runs it, as it would for a busy server.
    const waiting = setTimeout(() => finish('declined'), READY_MS)
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    const onSignal = (name: (typeof signals)[number]): void => void conn.write(messageFrame({ t: 'signal', name }))
    const onResize = (): void => void conn.write(messageFrame({ t: 'resize', columns: process.stdout.columns, rows: process.stdout.rows }))
    const finish = (code: number | 'absent' | 'declined'): void => {
      if (done) return
      done = true
      clearTimeout(waiting)
      for (const s of signals) process.off(s, onSignal)
      process.stdout.off('resize', onResize)
      conn.destroy()
      resolve(code)
    }
    const reader = new FrameReader((type, payload) => {
      if (type === FRAME.stdout) process.stdout.write(payload)
      else if (type === FRAME.stderr) process.stderr.write(payload)
      else {
        const m = JSON.parse(payload.toString('utf8')) as ServerMessage
        if (m.t === 'ready') send()
        else if (m.t === 'started') started = true
        else finish(m.t === 'exit' ? m.code : 'declined')
      }
    })
    const send = (): void => {
      clearTimeout(waiting)
      for (const s of signals) process.on(s, onSignal)
      if (process.stdout.isTTY) process.stdout.on('resize', onResize)
      conn.write(messageFrame({
        t: 'run', argv, cwd: process.cwd(), env: process.env as Record<string, string>, umask: process.umask(),
        stdout: streamInfo(process.stdout), stderr: streamInfo(process.stderr), stdinTTY: process.stdin.isTTY === true,
        openFiles: openFilesLimit(),
      }))
    }
    conn.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk)
      } catch {
        conn.destroy()
      }
    })
    // No server (ENOENT), a dead one's socket (ECONNREFUSED): this process runs the command.
    conn.on('error', () => undefined)
    conn.on('close', () => {
      if (done) return
      // Gone before it started the command (none, a dead one's socket, one that died): it runs here.
      if (!started) return finish('absent')
      // The server ended in the middle of the run: what it did on the hosts is unknown, so it is not run
      // again here; a re-run converges what it left.
      process.stderr.write('\nERROR: the pgha run server ended before the run did; run the command again to converge what it left (PGHA_PERSIST=0 runs without a server)\n')
      finish(1)
    })
    // `pgha run ... | head`: the reader is gone; the run stops as on a hangup, and this process ends.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') finish(0)
    })
  })
}

function streamInfo(stream: NodeJS.WriteStream): StreamInfo {
  if (!stream.isTTY) return { isTTY: false }
  return { isTTY: true, columns: stream.columns, rows: stream.rows, colorDepth: stream.getColorDepth() }
}

/** A start that has not listened after this long failed: the next client may try again. */
const START_STALE_MS = 10_000

/**
 * Starts a server for the next runs, detached from this process and its terminal, unless another client is
 * starting one: many runs at once (a test suite, a loop in a script) start one server, not one each.
 */
export function startServer(plan: ServerPlan, bin: string): void {
  const dir = plan.socket.slice(0, plan.socket.lastIndexOf('/'))
  if (!privateDir(dir, true) || !takeStartingLock(startingLock(plan.socket))) return
  // Its own environment is used by nothing (each run brings the client's): it gets none of the client's
  // variables, which may hold a password (PGHA_BECOME_PASSWORD), to keep in /proc/PID/environ for its life.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' }
  spawn(process.execPath, [bin, '__persist', plan.socket, String(plan.idleSeconds)], { detached: true, stdio: 'ignore', cwd: '/', env }).unref()
}

function takeStartingLock(lock: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 })
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false
      try {
        if (Date.now() - statSync(lock).mtimeMs < START_STALE_MS) return false
        rmSync(lock, { force: true })
      } catch {
        return false
      }
    }
  }
  return false
}
