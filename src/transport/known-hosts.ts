// OpenSSH known_hosts: parsing (plain, hashed `|1|salt|hash`, `[host]:port`, wildcards, negation, markers)
// and key identity. Keys are compared as raw blobs; fingerprints are printed the way OpenSSH prints them.
import { createHash, createHmac } from 'node:crypto'

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority'
  /** The comma-separated host patterns, or one hashed name. */
  patterns: string
  keyType: string
  /** The key blob, base64 as in the file. */
  key: string
  line: number
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined
    if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') return
    const [patterns, keyType, key] = fields
    if (!patterns || !keyType || !key) return
    entries.push({ marker, patterns, keyType, key, line: i + 1 })
  })
  return entries
}

/** The name known_hosts uses for a host: `addr`, or `[addr]:port` off port 22. */
export function hostKeyName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`
}

export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.patterns.startsWith('|1|')) {
    const [, , salt, hash] = entry.patterns.split('|')
    if (!salt || !hash) return false
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
  }
  let matched = false
  for (const pattern of entry.patterns.split(',')) {
    const negated = pattern.startsWith('!')
    if (!globMatch(negated ? pattern.slice(1) : pattern, name)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

/** Compiled patterns: a fleet's known_hosts is matched against once per host connected. Bounded: a process serving many runs reads many files. */
const globs = new Map<string, RegExp>()
const MAX_GLOBS = 10_000

function globMatch(pattern: string, name: string): boolean {
  let re = globs.get(pattern)
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')
    if (globs.size >= MAX_GLOBS) globs.delete(globs.keys().next().value as string)
    globs.set(pattern, re)
  }
  return re.test(name)
}

/**
 * The entries of one file, looked up by host name. Lines naming hosts literally (the usual fleet file:
 * one line per host) are found through a map; only hashed, wildcard and negated lines are matched one by
 * one, so connecting to N hosts listed in an N-line file costs N lookups, not N x N pattern matches.
 */
export class KnownHostsIndex {
  private readonly literal = new Map<string, KnownHostEntry[]>()
  private readonly others: KnownHostEntry[] = []

  constructor(readonly entries: KnownHostEntry[]) {
    for (const e of entries) {
      const names = e.patterns.split(',')
      if (e.patterns.startsWith('|1|') || names.some((p) => /[*?!]/.test(p))) {
        this.others.push(e)
        continue
      }
      for (const n of new Set(names.map((p) => p.toLowerCase()))) {
        const list = this.literal.get(n)
        if (list) list.push(e)
        else this.literal.set(n, [e])
      }
    }
  }

  /** The entries matching `name`, in file order (as `entries.filter(e => entryMatches(e, name))`). */
  matching(name: string): KnownHostEntry[] {
    const found = [...(this.literal.get(name.toLowerCase()) ?? []), ...this.others.filter((e) => entryMatches(e, name))]
    return found.sort((a, b) => a.line - b.line)
  }
}

/** The key type named inside an SSH public key blob. */
export function keyTypeOf(blob: Buffer): string {
  const len = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** `SHA256:...` as `ssh-keygen -l` and ssh print it. */
export function fingerprint(blob: Buffer | string): string {
  const raw = typeof blob === 'string' ? Buffer.from(blob, 'base64') : blob
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`
}

/** One known_hosts line for a key we accepted. */
export function formatEntry(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}`
}

/** Host key algorithms ssh2 should negotiate for keys of this type (RSA keys sign with several). */
export function algorithmsFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType]
}
