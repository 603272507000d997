// What the file fact knows of a path, and the pieces of its parsing that the single read (file.ts) and the
// batched read (file-batch.ts) share.
import { createHash } from 'node:crypto'

export type ChecksumAlgorithm = 'sha1' | 'sha256' | 'sha512' | 'md5'
export type FileType = 'file' | 'directory' | 'link' | 'other' | 'absent'

export interface FileArgs {
  path: string
  /** Report on the link's target instead of the link (stat -L). */
  follow?: boolean
  checksum?: ChecksumAlgorithm
  /** Read the content of a regular file up to this many bytes (larger files: `content` stays undefined). */
  content?: number
}

export interface FileInfo {
  path: string
  exists: boolean
  type: FileType
  /** Four octal digits, e.g. '0644'. */
  mode?: string
  uid?: number
  gid?: number
  owner?: string
  group?: string
  size?: number
  mtime?: number
  inode?: number
  dev?: number
  /** Symlink target as written (readlink), and the fully resolved path. */
  target?: string
  realpath?: string
  checksum?: string
  /** UTF-8 text content when asked for and the file is text; see `binary` and `unreadable`. */
  content?: string
  /** The content was read but is not UTF-8 text (contains NUL or invalid sequences). */
  binary?: boolean
  /** The content was asked for and the file is small enough, but could not be read. */
  unreadable?: boolean
}

export const STAT_FORMAT = '%f %a %u %g %s %Y %i %d %U %G'

const TYPES: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'link' }

/** The FileInfo of an existing path from its STAT_FORMAT fields (a stat line, without the name). */
export function statInfo(path: string, stat: string): FileInfo {
  const [rawMode, perm, uid, gid, size, mtime, inode, dev, owner, group] = stat.split(' ')
  return {
    path,
    exists: true,
    type: TYPES[parseInt(rawMode, 16) & 0o170000] ?? 'other',
    mode: perm.padStart(4, '0'),
    uid: Number(uid),
    gid: Number(gid),
    owner,
    group,
    size: Number(size),
    mtime: Number(mtime),
    inode: Number(inode),
    dev: Number(dev),
  }
}

/** Sets `content` from the bytes read, or `binary` when they are not UTF-8 text. */
export function setContent(info: FileInfo, bytes: Buffer): void {
  const text = bytes.toString('utf8')
  if (bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) info.binary = true
  else info.content = text
}

/** The checksum of bytes read for their content: the host need not compute it too. */
export const checksumOf = (bytes: Buffer, algorithm: ChecksumAlgorithm): string => createHash(algorithm).update(bytes).digest('hex')
