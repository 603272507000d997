// pg_hba.conf as postgresql_pg_hba reads and edits it, with Ansible's model of a rule: one line per
// database and user, identified by (source, database, user) where the source is the network it denotes
// (10.0.0.1 255.255.255.0 and 10.0.0.0/24 are one source; local lines share the source 'local'), and
// written as Ansible writes it (tab-separated, a bare address as a /32 or /128 network). Unlike Ansible,
// which sorts every rule and moves comments to the top, the file keeps its order and comments: a changed
// rule is rewritten in place, a new one goes where Ansible's order would put it among the rules around.
import { PghaError } from '../../errors.js'
import { hbaField, singleLine } from '../../shell/index.js'

export const HBA_TYPES = ['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'] as const
export const HBA_METHODS = ['trust', 'reject', 'md5', 'password', 'scram-sha-256', 'gss', 'sspi', 'ident', 'peer', 'pam', 'ldap', 'radius', 'cert', 'krb5'] as const

export interface HbaRule {
  type: string
  db: string
  usr: string
  /** Absent for local rules. */
  src?: string
  method: string
  options?: string
  comment?: string
}

/** A line of the file: a rule (with the text it was read from) or anything else, kept as it is. */
export type HbaLine = { text: string; rule?: HbaRule }

const KEYWORDS = new Set(['all', 'sameuser', 'samerole', 'samegroup', 'replication'])

/** Splits a rule line into fields: white space separates, double quotes group, '#' outside quotes starts a comment. */
function fields(line: string): { fields: string[]; comment?: string } {
  const out: string[] = []
  let cur = ''
  let quoted = false
  let i = 0
  for (; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    if (!quoted && c === '#') break
    if (!quoted && /\s/.test(c)) {
      if (cur) out.push(cur)
      cur = ''
    } else cur += c
  }
  if (cur) out.push(cur)
  const comment = i < line.length ? line.slice(i + 1).trim() : undefined
  return { fields: out, comment: comment || undefined }
}

/** The file's lines; a line that is not a rule pgha understands stays text. */
export function parseHba(text: string): HbaLine[] {
  return text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined).map((line) => ({ text: line, rule: parseRule(line) }))
}

function parseRule(line: string): HbaRule | undefined {
  const { fields: f, comment } = fields(line)
  if (f.length < 4 || !(HBA_TYPES as readonly string[]).includes(f[0])) return undefined
  const methods = HBA_METHODS as readonly string[]
  if (f[0] === 'local') return { type: f[0], db: f[1], usr: f[2], method: f[3], options: f.slice(4).join(' ') || undefined, comment }
  // host DB USER ADDRESS [MASK] METHOD [OPTIONS]
  const masked = f.length >= 6 && !methods.includes(f[4]) && methods.includes(f[5])
  const src = masked ? sourceText(f[3], f[4]) : f[3]
  const rest = f.slice(masked ? 5 : 4)
  if (rest.length === 0) return undefined
  return { type: f[0], db: f[1], usr: f[2], src, method: rest[0], options: rest.slice(1).join(' ') || undefined, comment }
}

// --- addresses ---

function ipv4(v: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v)
  const parts = m?.slice(1).map(Number)
  return parts && parts.every((n) => n <= 255) ? parts : undefined
}

/** An IPv6 address in its canonical form, or undefined. */
function ipv6(v: string): string | undefined {
  if (!v.includes(':')) return undefined
  try {
    return new URL(`http://[${v}]/`).hostname.slice(1, -1)
  } catch {
    return undefined
  }
}

function prefixOfMask(mask: string): number {
  const parts = ipv4(mask)
  if (!parts) throw new PghaError('task', `netmask ${mask} is not an IPv4 netmask`)
  const bits = parts.map((n) => n.toString(2).padStart(8, '0')).join('')
  if (bits.includes('01')) throw new PghaError('task', `netmask ${mask} is not a netmask (a 1 after a 0)`)
  return bits.split('1').length - 1
}

/** The source as Ansible writes it: an address with a netmask as ADDRESS/PREFIX, a bare address as a one-host network. */
export function sourceText(address: string, netmask?: string): string {
  if (netmask !== undefined) return `${address}/${prefixOfMask(netmask)}`
  if (address.includes('/')) return address
  if (ipv4(address)) return `${address}/32`
  const v6 = ipv6(address)
  return v6 ? `${v6}/128` : address
}

/** The network a source denotes, host bits cleared (10.0.0.1/24 is 10.0.0.0/24); names and keywords as they are. */
function network(src: string): string {
  const [addr, len] = src.split('/')
  const prefix = Number(len)
  const v4 = ipv4(addr)
  if (v4 && len !== undefined && prefix >= 0 && prefix <= 32) {
    const n = v4.reduce((a, b) => a * 256 + b, 0)
    const masked = prefix === 0 ? 0 : (n - (n % 2 ** (32 - prefix)))
    return `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.')}/${prefix}`
  }
  const v6 = ipv6(addr)
  return v6 && len !== undefined ? `${v6}/${prefix}` : src
}

/** What identifies a rule: (source, database, user). */
export const ruleKey = (r: HbaRule): string => [r.type === 'local' ? 'local' : network(r.src!), r.db, r.usr].join('\0')

// --- Ansible's order of rules: the more specific source first, then database, then user ---

function sourceWeight(r: HbaRule): number {
  if (r.type === 'local') return 130
  const src = r.src!
  const [addr, len] = src.split('/')
  if (ipv4(addr) && len !== undefined) return Number(len) * 4
  if (ipv6(addr) && len !== undefined) return Number(len)
  if (src === 'all') return 0
  if (src === 'samehost') return 129
  if (src === 'samenet') return 96
  return src.startsWith('.') ? 64 : 128
}

const dbWeight = (db: string): number => (db === 'all' ? 100000 : db === 'replication' ? 0 : db === 'samerole' || db === 'samegroup' ? 1 : 1 + db.split(',').length - 1)
const userWeight = (u: string): number => (u === 'all' ? 1000000 : u.startsWith('+') ? 2 : 1 + u.split(',').length - 1)

/** True when Ansible's sort puts `a` before `b`. */
export function sortsBefore(a: HbaRule, b: HbaRule): boolean {
  const [sa, sb] = [sourceWeight(a), sourceWeight(b)]
  if (sa !== sb) return sa > sb
  const [da, db] = [dbWeight(a.db), dbWeight(b.db)]
  if (da !== db) return da < db
  const [ua, ub] = [userWeight(a.usr), userWeight(b.usr)]
  if (ua !== ub) return ua < ub
  return (a.src ?? '') < (b.src ?? '')
}

// --- writing ---

/** A database or user field as given (keywords, +group, @file stay what they mean), a plain name quoted when it must be. */
export function hbaName(v: string): string {
  if (KEYWORDS.has(v) || /^[+@]?[A-Za-z0-9_.$-]+$/.test(v)) return v
  return hbaField(v)
}

/** The rule's line, tab-separated as Ansible writes it. */
export function ruleLine(r: HbaRule): string {
  const cols = [r.type, r.db, r.usr, ...(r.src !== undefined ? [r.src] : []), r.method, ...(r.options ? [r.options] : [])]
  const line = cols.map((c) => singleLine('pg_hba.conf', c)).join('\t')
  return r.comment ? `${line}\t#${singleLine('pg_hba.conf', r.comment)}` : line
}

/** Whether two rules with one key say the same (the comment counts only when the task gives one). */
export const sameRule = (have: HbaRule, want: HbaRule): boolean =>
  have.type === want.type && have.method === want.method && (have.options ?? '') === (want.options ?? '') && have.src === want.src && (want.comment === undefined || have.comment === want.comment)

/** The lines after adding (or replacing) `want`. */
export function withRule(lines: HbaLine[], want: HbaRule): HbaLine[] {
  const key = ruleKey(want)
  const at = lines.findIndex((l) => l.rule && ruleKey(l.rule) === key)
  const line: HbaLine = { text: ruleLine(want), rule: want }
  if (at >= 0) {
    if (sameRule(lines[at].rule!, want)) return lines.filter((l, i) => i <= at || !(l.rule && ruleKey(l.rule) === key))
    return lines.flatMap((l, i) => (i === at ? [line] : l.rule && ruleKey(l.rule) === key ? [] : [l]))
  }
  const before = lines.findIndex((l) => l.rule && sortsBefore(want, l.rule))
  if (before >= 0) return [...lines.slice(0, before), line, ...lines.slice(before)]
  return [...lines, line]
}

/** The lines without any rule with `want`'s key. */
export const withoutRule = (lines: HbaLine[], want: HbaRule): HbaLine[] => lines.filter((l) => !(l.rule && ruleKey(l.rule) === ruleKey(want)))

export const renderHba = (lines: HbaLine[]): string => lines.map((l) => `${l.text}\n`).join('')
