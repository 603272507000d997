// Writes DIR/<host>/<absolute path> for every rendered file, each atomically (temporary name, then
// rename) with the task's mode. DIR carries a marker listing the host directories render wrote, so a new
// render replaces exactly those and never deletes anything else; a non-empty DIR without the marker is
// refused unless forced.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, posix } from 'node:path'
import { ConfigError } from '../errors.js'
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
  for (const h of result.hosts) {
    const root = hostDir(outDir, h.host)
    for (const f of h.files) writeAtomic(join(root, posix.normalize(`/${f.path}`).slice(1)), f.content, f.mode ? parseInt(f.mode, 8) : 0o644)
    writeAtomic(join(root, LISTING), listing(result, h), 0o644)
  }
  writeAtomic(join(outDir, MARKER), `# written by pgha render; the host directories it owns:\n${result.hosts.map((h) => `${h.host}\n`).join('')}`, 0o644)
}

/** The host's directory; an inventory name that is not a plain file name cannot be one. */
function hostDir(outDir: string, host: string): string {
  if (host === '' || host === '.' || host === '..' || host.includes('/') || host.includes('\0') || host === MARKER) {
    throw new ConfigError(`host '${host}' cannot be a directory name under ${outDir}`)
  }
  return join(outDir, host)
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
    if (name === '.' || name === '..' || name.includes('/')) continue
    rmSync(join(outDir, name), { recursive: true, force: true })
  }
}

function writeAtomic(path: string, content: string | Buffer, mode: number): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = join(dirname(path), `.${process.pid}.tmp`)
  writeFileSync(tmp, content, { mode })
  chmodSync(tmp, mode) // writeFileSync's mode is filtered by the umask
  renameSync(tmp, path)
}
