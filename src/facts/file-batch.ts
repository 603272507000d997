// The file fact of many paths at once (read-ahead, src/engine/read-ahead.ts): one round trip and a few
// processes whatever the number of paths, where reading them one by one costs a round trip and one to four
// processes each. The command stats every path, with and without following links; then, on the host, it
// picks the contents to read as the single read does (a regular file within the size asked for, a link
// only when followed) and reads them all through one `head -v`, and computes on the host the checksums of
// the other regular files asked for. The controller decides from the stat records, exactly as the single
// read does, which contents and checksums it needs, and takes them from the output only where the host
// made the same choice: `head`'s headers and the sizes stat saw frame each content. A result it cannot
// vouch for (a file that changed size in between, one it could not read) is left out, and the single read
// takes over for it.
import type { FactRunner } from './types.js'
import { checksumOf, STAT_FORMAT, setContent, statInfo, type FileArgs, type FileInfo } from './file-info.js'
import { shq } from '../shell/index.js'
import { randomToken } from '../transport/random-token.js'

/** stat records: a tag, the STAT_FORMAT fields, the path as given; NUL-terminated (paths may hold newlines). */
const record = (tag: string): string => `'${tag}${STAT_FORMAT} %n\\0'`

interface Stats {
  /** lstat() of each existing path. */
  own: Map<string, string>
  /** stat() of each path whose target exists. */
  followed: Map<string, string>
  /** readlink and readlink -f of each link. */
  links: Map<string, { target: string; real: string }>
}

export async function readFiles(list: FileArgs[], run: FactRunner): Promise<(FileInfo | undefined)[]> {
  const paths = [...new Set(list.map((a) => a.path))]
  const token = randomToken()
  const out = (await run(`${statCommand(paths)}; printf '\\0%s\\n' ${token}; ${readCommand(list, token)}`)).stdout
  const cut = out.indexOf(`\0${token}\n`)
  const stats = parseStats(cut < 0 ? out : out.slice(0, cut + 1))
  const infos: (FileInfo | undefined)[] = list.map((a) => describe(a, stats))
  const reads = contentReads(list, infos as FileInfo[], stats)
  if (reads.content.length + reads.checksum.length === 0) return infos
  // Sums, the token line, then the contents' base64 on one line; none of it when the command was cut short.
  const rest = cut < 0 ? '' : out.slice(cut + token.length + 2)
  const end = rest.indexOf(`${token}\n`)
  if (end < 0) return infos.map((info, i) => (reads.content.includes(i) || reads.checksum.includes(i) ? undefined : info))
  fillChecksums(infos, rest.slice(0, end), reads.checksum)
  fillContents(list, infos, reads.content, Buffer.from(rest.slice(end + token.length + 1).trim(), 'base64'))
  return infos
}

function statCommand(paths: string[]): string {
  const q = paths.map(shq).join(' ')
  return [
    `stat --printf ${record('l')} -- ${q} 2>/dev/null`,
    `stat -L --printf ${record('L')} -- ${q} 2>/dev/null`,
    `for p in ${q}; do [ -L "$p" ] && printf 'T%s\\0%s\\0%s\\0' "$p" "$(readlink -- "$p")" "$(readlink -f -- "$p")"; done`,
    'true',
  ].join('; ')
}

function parseStats(stdout: string): Stats {
  const stats: Stats = { own: new Map(), followed: new Map(), links: new Map() }
  const fields = stdout.split('\0')
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    if (f[0] === 'T') {
      stats.links.set(f.slice(1), { target: fields[i + 1] ?? '', real: fields[i + 2] ?? '' })
      i += 2
    } else if (f[0] === 'l' || f[0] === 'L') {
      // Ten space-separated fields (user and group names hold no spaces), then the path, which may.
      const at = nthSpace(f, 10)
      if (at < 0) continue
      ;(f[0] === 'l' ? stats.own : stats.followed).set(f.slice(at + 1), f.slice(1, at))
    }
  }
  return stats
}

function nthSpace(s: string, n: number): number {
  let at = -1
  for (let k = 0; k < n; k++) {
    at = s.indexOf(' ', at + 1)
    if (at < 0) return -1
  }
  return at
}

/** What the single read reports before contents: `stat -L || stat` with follow, else lstat; links' targets. */
function describe(a: FileArgs, s: Stats): FileInfo {
  const own = s.own.get(a.path)
  if (own === undefined) return { path: a.path, exists: false, type: 'absent' }
  const info = statInfo(a.path, (a.follow ? s.followed.get(a.path) : undefined) ?? own)
  const link = s.links.get(a.path)
  if (link) {
    info.target = link.target
    info.realpath = link.real
  }
  return info
}

interface Reads {
  /** Indexes into the list whose content is read, in the order `head` prints them. */
  content: number[]
  /** Indexes whose checksum is read on the host (their content is not). */
  checksum: number[]
}

/**
 * As the single read: the content of a regular file within the size asked for; the checksum of whatever is
 * a regular file once links are followed (the single read's `[ -f ]` follows them), which for a content
 * read is computed here from the bytes.
 */
function contentReads(list: FileArgs[], infos: FileInfo[], s: Stats): Reads {
  const reads: Reads = { content: [], checksum: [] }
  list.forEach((a, i) => {
    const info = infos[i]
    if (a.content !== undefined && info.type === 'file' && info.size! <= a.content) reads.content.push(i)
    else if (a.checksum && isRegular(s.followed.get(a.path))) reads.checksum.push(i)
  })
  return reads
}

const isRegular = (stat: string | undefined): boolean => stat !== undefined && (parseInt(stat, 16) & 0o170000) === 0o100000

/**
 * The host's part after the stats: for each content asked for, in the list's order, whether it is a regular
 * file (a link only when followed) within the size asked for, which joins one `head -v` (a header before
 * each file, base64 on one line); for each checksum asked for of a regular file (links followed, as the
 * single read's `[ -f ]`) whose content is not read, one `S<index> <sum>` line. One byte more than the
 * largest size asked for: a file that grew since it was stat'ed shows it, and is left out.
 *
 * The sizes come from one `stat` of all the candidates (`/`-terminated: no size holds one), not one per
 * file: a process per file cost ~1 ms each on the host, 30 ms of a converged 28-file run. A candidate the
 * stat cannot read (gone in between) makes it fail: then no content is picked, the sizes being out of step,
 * and the controller's single read takes over for those files.
 */
function readCommand(list: FileArgs[], token: string): string {
  const candidates: string[] = ['set --; z=']
  const picks: string[] = []
  let max = -1
  list.forEach((a, i) => {
    const p = shq(a.path)
    const sum = a.checksum ? `[ -f "$p" ] && echo "S${i} $(${a.checksum}sum < "$p" 2>/dev/null)"` : ''
    if (a.content === undefined) {
      if (sum) candidates.push(`p=${p}; ${sum}`)
      return
    }
    const limit = Math.floor(a.content)
    max = Math.max(max, limit)
    const own = a.follow ? '' : ' && [ ! -L "$p" ]'
    // c<i> marks a candidate; a regular file that is not one (an unfollowed link) can still have its sum.
    candidates.push(`p=${p}; if [ -f "$p" ]${own}; then set -- "$@" "$p"; c${i}=1${sum ? `; else ${sum}` : ''}; fi`)
    const picked = `s=\${z%%/*}; z=\${z#*/}; [ "$s" -le ${limit} ] 2>/dev/null`
    picks.push(`if [ -n "$c${i}" ]; then p=${p}; if ${picked}; then set -- "$@" "$p"${sum ? `; else ${sum}` : ''}; fi; fi`)
  })
  const parts = candidates
  if (picks.length) parts.push(`if [ $# -gt 0 ]; then z=$(stat -L --printf '%s/' -- "$@" 2>/dev/null) || z=; fi; set --`, ...picks)
  parts.push(`echo ${token}`)
  if (max >= 0) parts.push(`if [ $# -gt 0 ]; then head -v -c ${max + 1} -- "$@" 2>/dev/null | base64 -w0; fi`)
  // A subshell: the positional parameters and variables stay out of the shell that runs it.
  return `(${parts.join('; ')})`
}

/**
 * Cuts `head`'s output into the files by the sizes stat saw: each must begin with its header and the last
 * must end the output. A header out of place means the file before changed size (or this one could not be
 * read), a file cut short or a last one too long that it did: from there on, nothing is vouched for and
 * the entries become undefined.
 */
function fillContents(list: FileArgs[], infos: (FileInfo | undefined)[], order: number[], bytes: Buffer): void {
  let pos = 0
  for (const [k, i] of order.entries()) {
    const header = Buffer.from(`${k === 0 ? '' : '\n'}==> ${list[i].path} <==\n`)
    const size = infos[i]!.size!
    const end = pos + header.length + size
    const last = k === order.length - 1
    const from = !bytes.subarray(pos, pos + header.length).equals(header) ? k - 1
      : end > bytes.length || (last && end !== bytes.length) ? k
      : undefined
    if (from !== undefined) {
      for (const j of order.slice(Math.max(0, from))) infos[j] = undefined
      return
    }
    const content = bytes.subarray(pos + header.length, end)
    const info = infos[i]!
    setContent(info, content)
    const algorithm = list[i].checksum
    if (algorithm) info.checksum = checksumOf(content, algorithm)
    pos = end
  }
}

/** The host's sums; a checksum the controller expected and the host did not give (the file changed) is not vouched for. */
function fillChecksums(infos: (FileInfo | undefined)[], lines: string, expected: number[]): void {
  const given = new Set<number>()
  for (const m of lines.matchAll(/^S(\d+) ([0-9a-f]+)/gm)) {
    const info = infos[Number(m[1])]
    if (info && expected.includes(Number(m[1]))) {
      info.checksum = m[2]
      given.add(Number(m[1]))
    }
  }
  for (const i of expected) if (!given.has(i)) infos[i] = undefined
}
