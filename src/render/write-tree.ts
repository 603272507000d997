// Writes DIR/<host>/<absolute path> for every rendered file, each atomically (temporary name, then
// rename) with the task's mode. DIR carries a marker listing the host directories render wrote, so a new
// render replaces exactly those and never deletes anything else; a non-empty DIR without the marker is
// refused unless forced. Nothing inside DIR is followed (src/local-tree.ts, which fetch shares): every
// directory on the way to a file is checked with lstat (a symbolic link is refused, not followed),
// temporary files are created with O_EXCL and O_NOFOLLOW and given their mode before their first byte,
// and the rename replaces a name without following it, so no file is ever written outside DIR whatever
// DIR already holds.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../errors.js'
import { namesBelow, writeInside, type LocalTree } from '../local-tree.js'
import { maskSecretAssignments, scrub } from '../secrets/index.js'
import { listing, LISTING } from './listing.js'
import type { RenderResult } from './types.js'

export const MARKER = '.pgha-render'

export interface WriteOptions {
  /** Write into a non-empty directory render did not create (nothing in it is deleted). */
  force?: boolean
}

export function writeTree(result: RenderResult, outDir: string, options: WriteOptions = {}): void {
  for (const h of result.hosts) hostDir(outDir, h.host)
  clearPrevious(outDir, !!options.force)
  mkdirSync(outDir, { recursive: true })
  // DIR itself is the user's choice, link or not; below it nothing is followed.
  const root: LocalTree = {
    real: realpathSync(outDir),
    shown: outDir,
    refuse: (file, at, what) => new ConfigError(`refusing to write ${file}: ${at} is ${what} inside --out ${outDir}, and render never follows one out of it`),
  }
  for (const h of result.hosts) {
    hostDir(outDir, h.host)
    for (const f of h.files) writeInside(root, [h.host, ...pathParts(f.path)], f.content, fileMode(f.mode))
    // The listing quotes the notes, which may quote a task's values: the host's secrets are masked there.
    writeInside(root, [h.host, LISTING], scrub(maskSecretAssignments(listing(result, h)), h.secrets ?? []), 0o644)
  }
  writeInside(root, [MARKER], `# written by pgha render; the host directories it owns:\n${result.hosts.map((h) => `${h.host}\n`).join('')}`, 0o644)
}

/** The host's directory; an inventory name that is not a plain file name cannot be one. */
function hostDir(outDir: string, host: string): string {
  if (host === '' || host === '.' || host === '..' || host.includes('/') || host.includes('\0') || host === MARKER) {
    throw new ConfigError(`host '${host}' cannot be a directory name under ${outDir}`)
  }
  return join(outDir, host)
}

/** A file's absolute path on the host as names below its host directory: `..` cannot climb out of it. */
function pathParts(path: string): string[] {
  if (path.includes('\0')) throw new ConfigError(`the path ${JSON.stringify(path)} holds a NUL byte`)
  const parts = namesBelow(path)
  if (!parts?.length) throw new ConfigError(`'${path}' is not a file path`)
  return parts
}

/** The task's mode for the review copy: permission bits only (no setuid file in a review tree), 0644 when none or symbolic. */
function fileMode(mode: string | undefined): number {
  const n = mode && /^[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) & 0o777 : 0o644
  return n
}

function clearPrevious(outDir: string, force: boolean): void {
  if (!existsSync(outDir)) return
  if (!statSync(outDir).isDirectory()) throw new ConfigError(`--out ${outDir} is not a directory`)
  const marker = join(outDir, MARKER)
  if (!existsSync(marker)) {
    if (readdirSync(outDir).length > 0 && !force) {
      throw new ConfigError(`${outDir} is not empty and was not written by pgha render; choose another --out, or pass --force to write into it anyway`)
    }
    return
  }
  const owned = readFileSync(marker, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  for (const name of owned) {
    if (name === '.' || name === '..' || name.includes('/') || name.includes('\0')) continue
    // rmSync removes a link itself, never what it points to.
    rmSync(join(outDir, name), { recursive: true, force: true })
  }
}
