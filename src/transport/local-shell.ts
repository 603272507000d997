// A long-lived local `sh`, or `sudo -u USER sh` to become someone else, driven as a ShellSession over the
// child's pipes, as the SSH transport drives its remote shells: every command reaches the shell on its
// stdin, never on a command line (which every local user can read in ps: here-documents with SQL, file
// contents), and no sh or sudo is started per command.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { PghaError } from '../errors.js'
import { awaitBecome, becomeTokens } from './become.js'
import { ShellSession, type ShellChannel } from './shell-session.js'

/** How long sudo may take to prompt or start the shell. */
const BECOME_TIMEOUT_MS = 10_000

export interface LocalShell {
  readonly session: ShellSession
  /** The process group of the shell (of sudo and the shell for a become user): signalled to end its command. */
  readonly pgid: number
  /** Keeps pgha running while a command runs; lets it exit while the shell waits idle. */
  hold(on: boolean): void
  /** Lets the shell exit once its current command is done: the end of its stdin. */
  end(): void
}

/**
 * Starts the shell of `user` ('' for whoever runs pgha). The shell ignores TERM for itself (a trap, which
 * its commands do not inherit), so signalling its process group ends the command it runs, which then
 * reports the signal as its exit code, as a command started on its own would.
 */
export async function openLocalShell(host: string, user: string, password: string | undefined, killGraceMs: number): Promise<LocalShell> {
  const tokens = becomeTokens()
  const auth = password === undefined ? ['-n'] : ['-S', '-p', tokens.prompt]
  // Its own process group (detached), so that a signal to the group reaches its commands and not pgha.
  const child: ChildProcessWithoutNullStreams = user
    ? spawn('sudo', [...auth, '-u', user, '--', 'sh', '-c', `${tokens.printReady}; exec sh`], { detached: true })
    : spawn('sh', [], { detached: true })
  child.stdin.on('error', () => undefined) // a shell that exited: the session reports it lost
  // sh or sudo that cannot be started: as a shell that exited at once (no 'close' may follow).
  child.once('error', () => child.emit('close'))
  const channel: ShellChannel = {
    write: (data) => child.stdin.write(data),
    on: (event: 'data' | 'close', listener: (chunk: Buffer) => void) => (event === 'data' ? child.stdout.on('data', listener) : child.on('close', listener)),
    stderr: child.stderr,
    end: () => {
      child.stdin.end()
      killGroup(child.pid, 'SIGKILL') // the session gave it up (a command that outlived its timeout)
    },
  }
  if (user) {
    // sudo's prompt and the ready line, whichever stream they come on; the password only when prompted.
    const both: ShellChannel = { ...channel, on: (event: 'data' | 'close', listener: (chunk: Buffer) => void) => (event === 'data' ? (child.stdout.on('data', listener), child.stderr.on('data', listener)) : child.on('close', listener)) }
    await awaitBecome(both, tokens, { host, user, password, timeoutMs: BECOME_TIMEOUT_MS })
  }
  const who = user ? ` of ${user}` : ''
  const session = new ShellSession(channel, {
    mode: 'split',
    lost: () => new PghaError('task', `the local shell${who} on ${host} exited unexpectedly`),
    init: `trap : TERM\n`,
    killGraceMs,
  })
  // A first command, so that whatever sudo said on stderr before the shell ran is not a command's.
  const r = await session.run('echo $$')
  if (r.rc !== 0) throw new PghaError('task', `cannot start a local shell${who} on ${host}: ${r.stderr.trim()}`)
  const streams = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[]
  return {
    session,
    pgid: child.pid!,
    hold: (on) => streams.forEach((s) => (on ? s.ref() : s.unref())),
    end: () => child.stdin.end(),
  }
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
