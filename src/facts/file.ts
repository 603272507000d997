// The file fact: in one command, whether a path exists, its type, owner, group, mode, size, link target,
// and on request a checksum and the content (base64 on the wire, decoded here).
import type { FactDef } from './types.js'
import { shq } from './shell-quote.js'

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

const STAT_FORMAT = '%f %a %u %g %s %Y %i %d %U %G'

/**
 * The sh snippet behind the fact, for path expression `p` (already quoted or a "$var"); every output line is
 * `PREFIX.key=value`. Exported so other facts (authorized_keys) can read several files in one command.
 */
export function fileSnippet(p: string, args: Omit<FileArgs, 'path'>, prefix = 'f'): string {
  const L = args.follow ? '-L ' : ''
  const parts = [
    `p=${p}`,
    `if [ -e "$p" ] || [ -L "$p" ]; then s=$(stat ${L}-c '${STAT_FORMAT}' -- "$p" 2>/dev/null || stat -c '${STAT_FORMAT}' -- "$p") && echo "${prefix}.stat=$s"`,
    `[ -L "$p" ] && echo "${prefix}.target=$(readlink -- "$p")" && echo "${prefix}.real=$(readlink -f -- "$p")"`,
  ]
  if (args.checksum) parts.push(`[ -f "$p" ] && ${args.checksum}sum < "$p" | sed 's/ .*//;s/^/${prefix}.sum=/'`)
  if (args.content !== undefined) {
    parts.push(
      `set -- $s; if [ -f "$p" ] && [ "$5" -le ${Math.floor(args.content)} ]; then c=$(base64 -w0 < "$p") && echo "${prefix}.content=$c"; fi`,
    )
  }
  parts.push(`else echo "${prefix}.stat=absent"; fi`)
  return parts.join('; ')
}

const TYPES: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'link' }

/** Pure: turns the `PREFIX.key=value` lines of fileSnippet into a FileInfo. */
export function parseFileInfo(stdout: string, path: string, args: Omit<FileArgs, 'path'>, prefix = 'f'): FileInfo {
  const kv = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=')
    if (line.startsWith(`${prefix}.`) && eq > 0) kv.set(line.slice(prefix.length + 1, eq), line.slice(eq + 1))
  }
  const stat = kv.get('stat')
  if (stat === undefined) throw new Error(`cannot stat ${path}: no output`)
  if (stat === 'absent') return { path, exists: false, type: 'absent' }
  const [rawMode, perm, uid, gid, size, mtime, inode, dev, owner, group] = stat.split(' ')
  const info: FileInfo = {
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
  if (kv.has('target')) info.target = kv.get('target')
  if (kv.has('real')) info.realpath = kv.get('real')
  if (kv.has('sum')) info.checksum = kv.get('sum')
  if (args.content !== undefined && info.type === 'file' && info.size! <= args.content) {
    const b64 = kv.get('content')
    if (b64 === undefined) info.unreadable = true
    else setContent(info, Buffer.from(b64, 'base64'))
  }
  return info
}

function setContent(info: FileInfo, bytes: Buffer): void {
  const text = bytes.toString('utf8')
  if (bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) info.binary = true
  else info.content = text
}

export const fileFact: FactDef<FileArgs, FileInfo> = {
  name: 'file',
  command: ({ path, ...args }) => fileSnippet(shq(path), args),
  parse: (stdout, { path, ...args }) => parseFileInfo(stdout, path, args),
}

export interface SlurpInfo {
  exists: boolean
  /** The whole file, base64. */
  base64?: string
}

/** A whole file of any size and kind, base64 (slurp). */
export const slurpFact: FactDef<{ path: string }, SlurpInfo> = {
  name: 'slurp',
  command: ({ path }) => `p=${shq(path)}; if [ -f "$p" ]; then c=$(base64 -w0 < "$p") && echo "content=$c"; else echo missing; fi`,
  parse(stdout, { path }) {
    if (stdout.startsWith('missing')) return { exists: false }
    if (!stdout.startsWith('content=')) throw new Error(`cannot read ${path}`)
    return { exists: true, base64: stdout.slice(8).trim() }
  },
}
