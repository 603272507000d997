// The plan copy and template share: resolve the destination (a directory gets the source's basename),
// honour force=no, and compare content and attributes.
import { createHash } from 'node:crypto'
import { closeSync, readSync } from 'node:fs'
import { basename } from 'node:path'
import { ConfigError, PghaError } from '../../errors.js'
import { fileFact, type FactRead, type FileArgs, type FileInfo } from '../../facts/index.js'
import { InputFileError, maxInputBytes, openRegularFile, readRegularFile } from '../../input-file.js'
import { isVaultFile, openVaultText, VaultError } from '../../secrets/index.js'
import type { Change, ModuleContext } from '../types.js'
import { contentArgs, DIFF_MAX, planContent, type ContentWant, type LocalFile } from './file-plan.js'
import type { FileOp } from './file-ops.js'

export interface CopyWant extends ContentWant {
  dest: string
  /** Controller-side source name, for dest directories. */
  srcName?: string
  force: boolean
}

/** The fact copy and template read first: dest's content (a dest ending in / is read once the name is known). */
export function destRead(dest: string): FactRead<FileArgs, FileInfo> {
  return { def: fileFact, args: contentArgs(dest) }
}

export async function planCopy(ctx: ModuleContext, want: CopyWant): Promise<Change<FileOp>[]> {
  let dest = want.dest
  if (dest.endsWith('/')) {
    if (!want.srcName) throw new PghaError('task', `dest ${dest} is a directory: give a file name when using content`)
    dest += basename(want.srcName)
  }
  const { def, args } = destRead(dest)
  let info = await ctx.fact(def, args)
  if (info.type === 'directory' && want.srcName) info = await ctx.fact(fileFact, contentArgs(`${dest}/${basename(want.srcName)}`))
  if (!want.force && info.exists) return []
  return planContent(info, want)
}

/** Where a controller-side source cannot be read: an input error naming the module, the file and why. */
function unreadable(module: string, local: string, err: unknown): ConfigError {
  const why = err instanceof InputFileError ? err.message : (err as NodeJS.ErrnoException).code ?? (err as Error).message
  return new ConfigError(`${module}: cannot read src ${local}: ${why}`)
}

/**
 * Reads a controller-side source that is used whole (a template to render): a regular file of at most
 * `max` bytes (the input file bound), refused before anything is read when it is a device, a FIFO or larger.
 */
export function readLocal(module: string, local: string, max = maxInputBytes()): Buffer {
  try {
    return readRegularFile(local, max)
  } catch (err) {
    throw unreadable(module, local, err)
  }
}

const CHUNK = 1024 * 1024
/**
 * The one buffer every read below goes through (they are synchronous, so never two at once): a fresh
 * 1 MiB buffer per copy and host made V8 collect garbage again and again for the memory outside its heap
 * (1,000 hosts x 3 copies: 3 GB allocated to read three small files).
 */
let scratch: Buffer | undefined

/**
 * A controller file encrypted with Ansible Vault, decrypted (its text a secret from then on, so no output
 * shows it), as Ansible's copy, assemble and template actions read their sources through get_real_file; undefined
 * for a file that is not encrypted.
 */
export function decryptedLocal(module: string, local: string): string | undefined {
  if (!isVaultFile(local)) return undefined
  try {
    return openVaultText(readLocal(module, local).toString('utf8'))
  } catch (err) {
    // `; ` as for vars files: a file named like a password must not hide the reason when masked.
    if (err instanceof VaultError) throw new ConfigError(`${module}: cannot decrypt src ${local}; ${err.message}`)
    throw err
  }
}

/** copy's src: decrypted when it is vault-encrypted and `decrypt`, else sent as it is. */
export function copySource(module: string, local: string, decrypt: boolean): string | LocalFile {
  return (decrypt ? decryptedLocal(module, local) : undefined) ?? localFile(module, local)
}

/**
 * A controller-side source that is sent as it is (copy's src): a regular file, of any size, read once in
 * chunks for its checksum; its bytes are kept only when small enough for --diff.
 */
export function localFile(module: string, local: string): LocalFile {
  let opened: { fd: number; size: number }
  try {
    opened = openRegularFile(local)
  } catch (err) {
    throw unreadable(module, local, err)
  }
  const { fd } = opened
  try {
    const hash = createHash('sha1')
    const kept: Buffer[] = []
    const chunk = (scratch ??= Buffer.allocUnsafeSlow(CHUNK))
    let size = 0
    for (let n; (n = readSync(fd, chunk, 0, CHUNK, null)) > 0; ) {
      hash.update(chunk.subarray(0, n))
      if (size + n <= DIFF_MAX) kept.push(Buffer.from(chunk.subarray(0, n)))
      size += n
    }
    return { path: local, size, sha1: hash.digest('hex'), bytes: size <= DIFF_MAX ? Buffer.concat(kept, size) : undefined }
  } catch (err) {
    throw unreadable(module, local, err)
  } finally {
    closeSync(fd)
  }
}
