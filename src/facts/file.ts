// The file fact: in one command, whether a path exists, its type, owner, group, mode, size, link target,
// and on request a checksum and the content (base64 on the wire, decoded here).
import type { FactDef } from './types.js'
import { readFiles } from './file-batch.js'
import { checksumOf, setContent, statInfo, STAT_FORMAT, type FileArgs, type FileInfo } from './file-info.js'
import { shq } from '../shell/index.js'

export type { ChecksumAlgorithm, FileArgs, FileInfo, FileType } from './file-info.js'

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
  // A checksum is computed here from the content when that is read: one process less on the host.
  const sum = args.checksum ? `[ -f "$p" ] && echo "${prefix}.sum=$(${args.checksum}sum < "$p")"` : ''
  if (args.content !== undefined) {
    const read = `c=$(base64 -w0 < "$p") && echo "${prefix}.content=$c"`
    parts.push(`set -- $s; if [ -f "$p" ] && [ "$5" -le ${Math.floor(args.content)} ]; then ${read}${sum ? `; else ${sum}` : ''}; fi`)
  } else if (sum) {
    parts.push(sum)
  }
  parts.push(`else echo "${prefix}.stat=absent"; fi`)
  return parts.join('; ')
}

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
  const info = statInfo(path, stat)
  if (kv.has('target')) info.target = kv.get('target')
  if (kv.has('real')) info.realpath = kv.get('real')
  const b64 = kv.get('content')
  const bytes = b64 === undefined ? undefined : Buffer.from(b64, 'base64')
  const sum = /^[0-9a-f]+/.exec(kv.get('sum') ?? '')?.[0]
  if (sum) info.checksum = sum
  else if (args.checksum && bytes) info.checksum = checksumOf(bytes, args.checksum)
  if (args.content !== undefined && info.type === 'file' && info.size! <= args.content) {
    if (bytes === undefined) info.unreadable = true
    else setContent(info, bytes)
  }
  return info
}

export const fileFact: FactDef<FileArgs, FileInfo> = {
  name: 'file',
  command: ({ path, ...args }) => fileSnippet(shq(path), args),
  parse: (stdout, { path, ...args }) => parseFileInfo(stdout, path, args),
  batch: readFiles,
  // A checksum without content (stat's, get_url's) hashes the whole file, whatever its size. A template or
  // copy reads the content, bounded by the size it compares, and its checksum only of a file larger.
  costly: (args) => args.checksum !== undefined && args.content === undefined,
}

export interface SlurpInfo {
  exists: boolean
  /** The whole file, base64. */
  base64?: string
}

/** A whole file of any size and kind, base64 (slurp). */
export const slurpFact: FactDef<{ path: string }, SlurpInfo> = {
  name: 'slurp',
  batch: 'joined',
  command: ({ path }) => `p=${shq(path)}; if [ -f "$p" ]; then c=$(base64 -w0 < "$p") && echo "content=$c"; else echo missing; fi`,
  parse(stdout, { path }) {
    if (stdout.startsWith('missing')) return { exists: false }
    if (!stdout.startsWith('content=')) throw new Error(`cannot read ${path}`)
    return { exists: true, base64: stdout.slice(8).trim() }
  },
}
