// Where the run server listens: a socket in a directory only its user can enter, named for the build, so a
// client only ever talks to a server of its own code (an upgrade leaves the old server to time out).
import { lstatSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** $XDG_RUNTIME_DIR/pgha, else /tmp/pgha-UID: one per user. */
export function serverDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, `pgha-${uid}`) : join(tmpdir(), `pgha-${uid}`)
}

export function socketPath(dir: string, build: string): string {
  return join(dir, `run-${build}.sock`)
}

/** Held (created exclusively) by the client starting a server, until the server listens. */
export function startingLock(socket: string): string {
  return `${socket}.starting`
}

/**
 * True when `dir` is a directory (not a link) of this user that no one else may enter, as OpenSSH asks of
 * a ControlPath's directory. With `create`, makes it first (mode 0700). Anything else: no server is used.
 */
export function privateDir(dir: string, create: boolean): boolean {
  if (create) {
    try {
      mkdirSync(dir, { mode: 0o700 })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false
    }
  }
  try {
    const s = lstatSync(dir)
    return s.isDirectory() && s.uid === (process.getuid?.() ?? s.uid) && (s.mode & 0o077) === 0
  } catch {
    return false
  }
}
