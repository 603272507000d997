// What pgha derives from its input files and keeps across runs, like Python's __pycache__: the parse of a
// playbook or task file, the compiled code of a Handlebars template. An entry is found by a hash of the
// build of pgha that made it, what kind of entry it is and everything it was derived from (the file's text,
// never its mtime), so an edited file or a new build is simply a miss and a stale entry is never served.
// Where: $XDG_CACHE_HOME/pgha/parsed/<build>/ (else ~/.cache/pgha/parsed/<build>/), directories of the
// user's own, mode 0700, entries 0600, each written whole then renamed into place. The cache only ever saves time: a
// directory that cannot be made or is not the user's alone, an entry that cannot be read or written, is a
// miss and pgha derives the value again. PGHA_NO_CACHE=1 turns it off. What may be cached, and why that is
// safe, is the callers' decision (docs/design.md, "Parse cache").
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onNewRun } from './run-state.js'

/** The bundle's last line, written by scripts/bundle.js: `// pgha build <hash of the rest>`. */
const BUILD_LINE = /\/\/ pgha build ([0-9a-f]+)\n$/
/** Entries of another build not written to for this long go when a new build makes its directory. */
const STALE_BUILD_MS = 7 * 24 * 3600 * 1000
/** Larger entries are not read: a cache entry is a few hundred kilobytes at most. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024

interface Where {
  root: string
  build: string
}

/** undefined until first asked; null when the cache is off or unusable for this process. */
let where: Where | null | undefined
// Found from PGHA_NO_CACHE, XDG_CACHE_HOME and HOME, which a later command of the process may set otherwise.
onNewRun(() => (where = undefined))

/** The build this code belongs to: the id on the last line of dist/pgha.cjs, none when run from src/. */
function ownBuild(): string | undefined {
  const self = fileURLToPath(import.meta.url)
  if (!self.endsWith('.cjs')) return undefined
  const fd = openSync(self, 'r')
  try {
    const size = fstatSync(fd).size
    const tail = Buffer.alloc(Math.min(64, size))
    readSync(fd, tail, 0, tail.length, size - tail.length)
    return BUILD_LINE.exec(tail.toString('latin1'))?.[1]
  } finally {
    closeSync(fd)
  }
}

/** $XDG_CACHE_HOME/pgha/parsed, else ~/.cache/pgha/parsed; none when that directory or home does not exist. */
function defaultRoot(): string | undefined {
  const xdg = process.env.XDG_CACHE_HOME
  // pgha/ itself is shared (repmgr.yml keeps repmgr builds there, repmgr_build_cache): parsed/ is this cache's alone.
  const base = xdg && xdg.startsWith('/') ? xdg : homedir()
  if (!statSync(base, { throwIfNoEntry: false })?.isDirectory()) return undefined
  return join(base === xdg ? xdg : join(base, '.cache'), 'pgha', 'parsed')
}

/**
 * A directory pgha may keep entries in: its own and not a link; made private when it is not (mkdirSync's
 * mode is reduced by the umask and leaves an existing directory as it was).
 */
function ownDir(dir: string): boolean {
  const st = lstatSync(dir)
  if (!st.isDirectory() || st.uid !== process.getuid?.()) return false
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700)
  return true
}

function locate(): Where | null {
  if (process.env.PGHA_NO_CACHE === '1' || typeof process.getuid !== 'function') return null
  try {
    const build = ownBuild()
    const root = build && defaultRoot()
    return build && root ? open(root, build) : null
  } catch {
    return null // the bundle unreadable, no home directory: no cache
  }
}

/** The build's directory under `root`, made (and older builds' cleared) when missing; null when unusable. */
function open(root: string, build: string): Where | null {
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 })
    if (!ownDir(root)) return null
    const dir = join(root, build)
    let made = false
    try {
      mkdirSync(dir, { mode: 0o700 })
      made = true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    if (!ownDir(dir)) return null
    if (made) clearStaleBuilds(root, build)
    return { root, build }
  } catch {
    return null
  }
}

function clearStaleBuilds(root: string, build: string): void {
  const now = Date.now()
  for (const name of readdirSync(root)) {
    if (name === build || !/^[0-9a-f]{16}$/.test(name)) continue
    const dir = join(root, name)
    if (now - statSync(dir).mtimeMs > STALE_BUILD_MS) rmSync(dir, { recursive: true, force: true })
  }
}

/** Tests point the cache at a directory of their own with a build id of their choosing, or turn it off (null). */
export function useDiskCache(at: Where | null): void {
  where = at && open(at.root, at.build)
}

function entryPath(kind: string, key: string): string | undefined {
  if (where === undefined) where = locate()
  if (where === null) return undefined
  const hash = createHash('sha256').update(where.build).update('\0').update(kind).update('\0').update(key).digest('hex')
  return join(where.root, where.build, `${kind}-${hash}`)
}

/** The entry derived from `key` (the whole of what it was derived from), when one is kept. */
export function readCached(kind: string, key: string): Buffer | undefined {
  const file = entryPath(kind, key)
  if (!file) return undefined
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch {
    return undefined
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0 || st.size > MAX_ENTRY_BYTES) return undefined
    const data = Buffer.alloc(st.size)
    let got = 0
    while (got < data.length) {
      const n = readSync(fd, data, got, data.length - got, got)
      if (n === 0) return undefined
      got += n
    }
    return data
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Keeps `data` as the entry derived from `key`; silently nothing when the cache cannot be written. */
export function writeCached(kind: string, key: string, data: Uint8Array): void {
  const file = entryPath(kind, key)
  if (!file) return
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' })
    renameSync(tmp, file)
  } catch {
    try {
      unlinkSync(tmp)
    } catch {
      // never made
    }
  }
}

/**
 * A sealed entry: encrypted (AES-256-GCM) with a key derived from what it was derived from, so that only
 * a reader of the source file can read it, and the cache never holds in clear a value a file holds, a
 * password in a vars file say. The entry's name, a hash of the same, tells nothing of it either.
 */
const sealKey = (kind: string, key: string): Buffer =>
  createHash('sha256').update('pgha sealed entry\0').update(kind).update('\0').update(key).digest()

const IV_BYTES = 12
const TAG_BYTES = 16

export function readSealed(kind: string, key: string): Buffer | undefined {
  const data = readCached(kind, key)
  if (!data || data.length < IV_BYTES + TAG_BYTES) return undefined
  try {
    const d = createDecipheriv('aes-256-gcm', sealKey(kind, key), data.subarray(0, IV_BYTES))
    d.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([d.update(data.subarray(IV_BYTES + TAG_BYTES)), d.final()])
  } catch {
    return undefined // not ours, or damaged: a miss
  }
}

export function writeSealed(kind: string, key: string, data: Uint8Array): void {
  const iv = randomBytes(IV_BYTES)
  const c = createCipheriv('aes-256-gcm', sealKey(kind, key), iv)
  const body = Buffer.concat([c.update(data), c.final()])
  writeCached(kind, key, Buffer.concat([iv, c.getAuthTag(), body]))
}
