// Planning helpers shared by the file modules: compare a file's wanted content and attributes with the file
// fact and return the changes, with before/after text for --diff.
import { createHash } from 'node:crypto'
import { PghaError } from '../../errors.js'
import type { FileInfo } from '../../facts/index.js'
import { shq } from '../../shell/index.js'
import type { Change } from '../types.js'
import type { FileOp } from './file-ops.js'
import { resolveMode } from './mode.js'

/** Files larger than this get a one-line note in --diff instead of their text. */
export const DIFF_MAX = 256 * 1024

export interface Attrs {
  owner?: string
  group?: string
  mode?: string
}

export const sha1 = (data: string | Buffer): string => createHash('sha1').update(data).digest('hex')

/**
 * A controller file a module sends (copy's src), known by size and checksum: it is streamed to the host,
 * never held whole in memory; its bytes are kept only when it is small enough to show in --diff. With
 * `onHost`, `path` is a file on the host itself (copy's remote_src), copied there rather than sent.
 */
export interface LocalFile {
  path: string
  size: number
  sha1: string
  bytes?: Buffer
  onHost?: boolean
}

export const isLocalFile = (v: unknown): v is LocalFile => typeof v === 'object' && v !== null && !Buffer.isBuffer(v) && typeof (v as LocalFile).sha1 === 'string'

/** Text for --diff: the content itself when it is small text, else a note naming size and checksum. */
export function diffText(data: string | Buffer | LocalFile | undefined): string {
  if (data === undefined) return ''
  if (isLocalFile(data)) return data.bytes ? diffText(data.bytes) : `(${data.size} bytes, sha1 ${data.sha1}: not shown)\n`
  const buf = typeof data === 'string' ? Buffer.from(data) : data
  if (buf.length > DIFF_MAX || buf.includes(0)) return `(${buf.length} bytes, sha1 ${sha1(buf)}: not shown)\n`
  const text = buf.toString('utf8')
  if (Buffer.from(text).equals(buf)) return text
  return `(${buf.length} bytes, sha1 ${sha1(buf)}: not shown)\n`
}

const sameId = (want: string, name?: string, id?: number): boolean => (/^\d+$/.test(want) ? Number(want) === id : want === name)

/**
 * The change that brings owner, group and mode of an existing path to `want`, or undefined when they match.
 * `recurse` (the caller found differences below) sets all of them with -R; links get chown -h and no chmod.
 */
export function planAttrs(info: FileInfo, want: Attrs, opts: { recurse?: boolean } = {}): Change<FileOp> | undefined {
  if (opts.recurse) return attrChange(info.path, { owner: want.owner, group: want.group, mode: want.mode }, { recurse: true })
  const isLink = info.type === 'link'
  const owner = want.owner !== undefined && !sameId(want.owner, info.owner, info.uid) ? want.owner : undefined
  const group = want.group !== undefined && !sameId(want.group, info.group, info.gid) ? want.group : undefined
  const mode = want.mode !== undefined && !isLink ? resolveMode(want.mode, info.mode, info.type === 'directory') : undefined
  const chmod = mode !== undefined && mode !== info.mode ? mode : undefined
  if (owner === undefined && group === undefined && chmod === undefined) return undefined
  // GNU chmod keeps a directory's set-user-ID and set-group-ID bits that a 4-digit mode leaves out; only a
  // 5-digit one (02775) sets them exactly, as Ansible's os.chmod does.
  const keptIds = chmod !== undefined && info.type === 'directory' && /^[0-7]{4}$/.test(chmod) && (parseInt(info.mode ?? '0', 8) & ~parseInt(chmod, 8) & 0o6000) !== 0
  return attrChange(info.path, { owner, group, mode: chmod }, { link: isLink, exactIds: keptIds })
}

/** chown's quoted `owner:group` argument, or undefined when neither is wanted. */
export function chownSpec(a: Attrs): string | undefined {
  if (a.owner === undefined && a.group === undefined) return undefined
  return shq(`${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`)
}

/**
 * A command that makes a file in a temporary file "$t" beside `path` ("$d") with the `fill` lines, gives it
 * the mode (else a replaced file's own, a new one 0644, as Ansible's atomic move does) and owner, and moves
 * it over the path. A fill line may end the command early (`exit 0`): the temporary file is always removed.
 */
export function replaceFromTemp(path: string, a: Attrs, mode: string | undefined, fill: string[]): string {
  const lines = [
    `d=${shq(path)}; t=$(mktemp "$d.XXXXXX") || exit 1; trap 'rm -f "$t"' EXIT`,
    ...fill,
    mode ? `chmod -- ${mode} "$t"` : `if [ -e "$d" ]; then chmod --reference="$d" -- "$t"; else chmod 0644 -- "$t"; fi`,
  ]
  const owner = chownSpec(a)
  if (owner) lines.push(`chown -- ${owner} "$t"`)
  lines.push(`mv -f -- "$t" "$d"`)
  return lines.join('\n')
}

/** A change that sets the given attributes (all of them, unconditionally). */
export function attrChange(path: string, a: Attrs, opts: { recurse?: boolean; link?: boolean; exactIds?: boolean } = {}): Change<FileOp> {
  const { command, what } = attrCommand(path, a, opts)
  return { description: `set ${what.join(', ')} on ${path}${opts.recurse ? ' (recursively)' : ''}`, data: { op: 'sh', command } }
}

/** The chown/chmod command that sets the given attributes, and the words that say what it sets; the owner and the mode are operands too (after `--`), since `--reference=F` or `-w` would be options. */
function attrCommand(path: string, a: Attrs, opts: { recurse?: boolean; link?: boolean; exactIds?: boolean }): { command: string; what: string[] } {
  const flags = `${opts.recurse ? '-R ' : ''}${opts.link ? '-h ' : ''}`
  const cmds: string[] = []
  const what: string[] = []
  const spec = chownSpec(a)
  if (spec !== undefined) {
    cmds.push(`chown ${flags}-- ${spec} ${shq(path)}`)
    if (a.owner !== undefined) what.push(`owner ${a.owner}`)
    if (a.group !== undefined) what.push(`group ${a.group}`)
  }
  if (a.mode !== undefined) {
    cmds.push(`chmod ${opts.recurse ? '-R ' : ''}-- ${shq(opts.exactIds ? `0${a.mode}` : a.mode)} ${shq(path)}`)
    what.push(`mode ${a.mode}`)
  }
  return { command: cmds.join(' && '), what }
}

/** One change that runs `command` and then sets the given attributes, in the same round trip. */
export function commandChange(description: string, command: string, path: string, a: Attrs, link = false): Change<FileOp> {
  const parts = [command]
  const what: string[] = []
  if (a.owner !== undefined || a.group !== undefined || a.mode !== undefined) {
    parts.push(attrCommand(path, a, { link }).command)
    for (const k of ['owner', 'group', 'mode'] as const) if (a[k] !== undefined) what.push(`${k} ${a[k]}`)
  }
  const op: FileOp = { op: 'sh', command: parts.join(' && ') }
  return { description: what.length ? `${description} (${what.join(', ')})` : description, data: op }
}

export interface ContentWant extends Attrs {
  /** The content to write; a LocalFile (with `local`, its path) is uploaded with putFile. */
  content: string | Buffer | LocalFile
  local?: string
  backup?: boolean
  validate?: string
}

/** Whether the file holds `content`: by its bytes when the fact read them, else by checksum. */
function sameContent(content: string | Buffer | LocalFile, current: string | undefined, checksum: string | undefined): boolean {
  if (isLocalFile(content)) {
    if (current !== undefined && content.bytes) return Buffer.from(current).equals(content.bytes)
    return checksum !== undefined ? checksum === content.sha1 : false
  }
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content)
  return current !== undefined ? Buffer.from(current).equals(bytes) : checksum !== undefined && checksum === sha1(bytes)
}

/**
 * Changes that make `info.path` hold `want.content` with `want`'s attributes: one atomic write when the
 * content differs (attributes ride along), else at most one chown/chmod. `info` must carry content or a sha1.
 */
export function planContent(info: FileInfo, want: ContentWant): Change<FileOp>[] {
  const path = info.path
  if (info.type === 'directory') throw new PghaError('task', `${path} is a directory`)
  const current = info.type === 'file' ? info.content : undefined
  const same = info.type === 'file' && sameContent(want.content, current, info.checksum)
  if (same) {
    const attrs = planAttrs(info, want)
    return attrs ? [attrs] : []
  }
  const exists = info.type === 'file'
  const mode = want.mode !== undefined ? resolveMode(want.mode, exists ? info.mode : undefined, false) : undefined
  const options = { owner: want.owner, group: want.group, mode, validate: want.validate, backup: want.backup }
  for (const k of Object.keys(options) as (keyof typeof options)[]) if (options[k] === undefined || options[k] === false) delete options[k]
  const op: FileOp = isLocalFile(want.content) ? { op: want.content.onHost ? 'cp' : 'put', local: want.content.path, path, options } : want.local ? { op: 'put', local: want.local, path, options } : { op: 'write', path, content: want.content, options }
  const before = exists ? (current ?? `(${info.size} bytes, sha1 ${info.checksum ?? 'unknown'}: not shown)\n`) : ''
  return [{ description: `${exists ? 'update' : 'create'} ${path}`, path, before, after: diffText(want.content), data: op }]
}

/** The file fact arguments copy and template use: a sha1 always, the text when small enough to diff. */
export const contentArgs = (path: string) => ({ path, checksum: 'sha1' as const, content: DIFF_MAX })
