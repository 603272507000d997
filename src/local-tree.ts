// Writes a file below a directory on the controller (pgha render's review tree, fetch's destination)
// without ever leaving it: every directory on the way is checked with lstat (a symbolic link is refused,
// not followed), the file is written to a temporary name created with O_EXCL and O_NOFOLLOW and given its
// final mode before its first byte, and the rename replaces a name without following it. Paths are given
// as names below the directory, and `..` cannot be one of them.
import { randomBytes } from 'node:crypto'
import { closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import { join, posix } from 'node:path'

export interface LocalTree {
  /** The directory, links resolved (the user's choice of directory may be a link; nothing below it is followed). */
  real: string
  /** The directory as the user wrote it, for messages. */
  shown: string
  /** The error for a refused write: `file` would be written, `at` is `what` (a symbolic link, not a directory). */
  refuse(file: string, at: string, what: string): Error
}

export function lstatOf(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** A path as names below a directory: `.` and empty names dropped; undefined when a name is `..` or it holds a NUL. */
export function namesBelow(path: string): string[] | undefined {
  if (path.includes('\0')) return undefined
  const parts = posix.normalize(`/${path}`).split('/').filter((p) => p !== '' && p !== '.')
  return parts.includes('..') ? undefined : parts
}

/** Writes `tree/parts...` atomically with `mode`, creating missing directories, refusing any link or non-directory on the way. */
export function writeInside(tree: LocalTree, parts: string[], content: string | Buffer, mode: number): void {
  let dir = tree.real
  const shown = (upTo: number): string => join(tree.shown, ...parts.slice(0, upTo))
  const refuse = (upTo: number, what: string): never => {
    throw tree.refuse(shown(parts.length), shown(upTo), what)
  }
  parts.slice(0, -1).forEach((name, i) => {
    dir = join(dir, name)
    let st = lstatOf(dir)
    if (!st) {
      try {
        mkdirSync(dir, { mode: 0o755 })
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      st = lstatOf(dir)
    }
    if (!st || st.isSymbolicLink()) refuse(i + 1, 'a symbolic link')
    if (!st!.isDirectory()) refuse(i + 1, 'not a directory')
  })
  const path = join(dir, parts[parts.length - 1])
  const existing = lstatOf(path)
  if (existing?.isSymbolicLink()) refuse(parts.length, 'a symbolic link')
  if (existing?.isDirectory()) refuse(parts.length, 'a directory')
  const tmp = join(dir, `.pgha-${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  try {
    fchmodSync(fd, mode) // the open's mode is filtered by the umask; the final mode is exact, and set before any byte
    const data = typeof content === 'string' ? Buffer.from(content) : content
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off)
    closeSync(fd)
    renameSync(tmp, path)
  } catch (err) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    try {
      unlinkSync(tmp)
    } catch {
      // not created, or already renamed
    }
    throw err
  }
}
