// The run server: pgha's ControlPersist. The first `pgha run` starts it (bin/pgha.js); it then runs the
// `pgha run` commands that come within its idle time itself, one at a time, in this one warm process: the
// code compiled and optimised, the content-keyed memos of earlier runs, and above all the SSH logins of the
// last run (src/transport/login-pool.ts). A command runs exactly as in a process of its own
// (request-process.ts), with every per-run state reset first (src/run-state.ts). After `idleSeconds`
// without a command it ends its logins and exits, as ssh's ControlPersist master does.
import { rmSync, writeSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { main, report } from '../cli/index.js'
import { noUserTerminal, TerminalWanted } from '../cli/terminal-wanted.js'
import { startNewRun } from '../run-state.js'
import { endKeptLogins, keepLogins } from '../transport/login-pool.js'
import { FRAME, FrameReader, messageFrame, type ClientMessage } from './protocol.js'
import { openFilesLimit } from './open-files.js'
import { startingLock } from './socket-path.js'
import { enterRequest, type RequestProcess } from './request-process.js'

/** A server that has grown this large, or served this many runs, retires after the current one. */
const RETIRE_RSS_BYTES = 768 * 1024 * 1024
const RETIRE_RUNS = 1000
const SIGNAL_NUMBER = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const

export function serveRuns(socket: string, idleSeconds: number): Promise<void> {
  keepLogins()
  noUserTerminal()
  let busy = false
  let runs = 0
  let idle: NodeJS.Timeout | undefined
  const server = createServer((conn) => {
    // A client gone before its answer is written (a probe, a killed client) is no error of the server.
    conn.on('error', () => undefined)
    if (busy) return void conn.end(messageFrame({ t: 'decline', why: 'busy' }))
    busy = true
    conn.write(messageFrame({ t: 'ready' }))
    clearTimeout(idle)
    serveOne(conn).then((ran) => {
      busy = false
      // A probe (a server starting, a client's check) runs nothing: only runs count toward retiring.
      if (ran) runs++
      if (runs >= RETIRE_RUNS || process.memoryUsage.rss() > RETIRE_RSS_BYTES) shutDown()
      else armIdle()
    })
  })
  const armIdle = (): void => {
    clearTimeout(idle)
    idle = setTimeout(shutDown, idleSeconds * 1000)
  }
  const shutDown = (): void => {
    server.close()
    rmSync(socket, { force: true })
    endKeptLogins()
    // The process ends once the logins' sockets are closed; a handle some run left open does not keep it.
    setTimeout(() => realExit(0), 5000).unref()
  }
  return new Promise((resolve, reject) => {
    server.on('close', resolve)
    listen(server, socket)
      .finally(() => rmSync(startingLock(socket), { force: true }))
      .then(armIdle, (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve() : reject(err)))
  })
}

/**
 * Listens on the socket. A socket file no server answers on (one killed) is removed first; one that
 * answers belongs to a server started at the same time: this one then leaves (EADDRINUSE).
 */
async function listen(server: Server, socket: string): Promise<void> {
  const attempt = (): Promise<void> => new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(socket, () => {
      server.off('error', reject)
      resolve()
    })
  })
  try {
    return await attempt()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(socket))) throw err
    rmSync(socket, { force: true })
    return attempt()
  }
}

function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socket)
    probe.on('connect', () => { probe.destroy(); resolve(true) })
    probe.on('error', () => resolve(false))
  })
}

/**
 * Reads one request from the connection and runs it; resolves when the client has its exit code, with
 * whether a command ran (a peer may connect and go without asking for one).
 */
function serveOne(conn: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    let running: RequestProcess | undefined
    let started = false
    let gone = false
    const reader = new FrameReader((type, payload) => {
      if (type !== FRAME.message) throw new Error('unexpected frame')
      const m = JSON.parse(payload.toString('utf8')) as ClientMessage
      if (m.t === 'run' && !started) {
        started = true
        void runRequest(m, conn, (r) => (running = r)).finally(() => {
          running = undefined
          resolve(true)
        })
      } else if (m.t === 'signal' && running) deliver(m.name)
      else if (m.t === 'resize') running?.resize(m.columns, m.rows)
    })
    conn.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk)
      } catch {
        conn.destroy()
      }
    })
    conn.on('close', () => {
      if (gone) return
      gone = true
      // The client is gone (killed, or its terminal closed): the run stops as on a hangup.
      if (running) deliver('SIGHUP')
      if (!started) resolve(false)
    })
    // A peer that connects and says nothing does not hold the server.
    setTimeout(() => { if (!started) conn.destroy() }, 5000).unref()
  })
}

async function runRequest(m: Extract<ClientMessage, { t: 'run' }>, conn: Socket, entered: (r: RequestProcess) => void): Promise<void> {
  const limit = openFilesLimit()
  if (m.openFiles > limit) {
    return void conn.end(messageFrame({ t: 'decline', why: `the command may open ${m.openFiles} files, the server ${limit}` }))
  }
  let request: RequestProcess
  try {
    request = enterRequest(m, conn, (code) => exitInRequest(conn, code))
  } catch (err) {
    return void conn.end(messageFrame({ t: 'decline', why: (err as Error).message }))
  }
  entered(request)
  // Before anything runs: a run with no output yet (--output json writes at the end) that the server does
  // not finish must not look to the client like no server at all, which it would run again.
  conn.write(messageFrame({ t: 'started' }))
  let code: number
  try {
    startNewRun()
    code = await main(m.argv)
  } catch (err) {
    if (err instanceof TerminalWanted && request.wrote === 0) {
      request.restore()
      return void conn.end(messageFrame({ t: 'decline', why: 'it asks on the terminal' }))
    }
    code = err instanceof TerminalWanted ? 1 : report(err)
  }
  request.restore()
  // Not awaited: a client that has its code closes at once, and a destroyed socket may never say 'finish'.
  conn.end(messageFrame({ t: 'exit', code }))
}

/** The process's own exit: a request replaces process.exit for its length. */
const realExit = process.exit.bind(process)
let exiting = false

/**
 * process.exit in a command (a second Ctrl-C): the server ends for real, dropping whatever that run still
 * had running, as the command's own process would. The client hears the code last: after the output
 * already written has left, and from the last 'exit' listener, so the run's exit hooks (src/transport/
 * local.ts removes its temporary files there) have run when the client exits.
 */
function exitInRequest(conn: Socket, code: number): void {
  if (exiting) return
  exiting = true
  const exit = (): never => {
    process.on('exit', () => writeNow(conn, messageFrame({ t: 'exit', code })))
    return realExit(code)
  }
  conn.uncork()
  if (conn.writableLength === 0) exit()
  conn.write(Buffer.alloc(0), exit)
  setTimeout(exit, 2000)
}

/** Writes to the socket at once, in an 'exit' listener where nothing asynchronous runs any more. */
function writeNow(conn: Socket, bytes: Buffer): void {
  const fd = (conn as unknown as { _handle?: { fd?: number } })._handle?.fd
  if (fd === undefined || fd < 0) return
  try {
    writeSync(fd, bytes)
  } catch {
    // the client is gone, or its socket full: it reports a server that ended before the run did
  }
}

/** A signal the client received, as the command's own process would have: its handler, or death. */
function deliver(name: keyof typeof SIGNAL_NUMBER): void {
  if (process.listenerCount(name) > 0) process.emit(name, name)
  else process.exit(128 + SIGNAL_NUMBER[name])
}
