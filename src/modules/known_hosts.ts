// known_hosts: adds or removes a host's key in a known_hosts file, as Ansible's module does: the host's
// entries are found as `ssh-keygen -F` finds them (plain names, patterns, [host]:port, hashed |1| names), an
// entry of the same key type is replaced, `state: absent` without a key removes every entry of the host
// (ssh-keygen -R), and hash_host writes the name hashed. The file is created when missing.
import { createHmac, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { homeFact, inHome } from '../facts/index.js'
import { knownHostsLine, knownHostsName } from '../shell/line-formats.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { editRead, planEdit, splitLines } from './lib/text-edit.js'
import { applyFileOps } from './lib/file-ops.js'
import { hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    name: z.string().min(1).describe('The host to add or remove, lower-cased as Ansible does; [host]:port for another port (alias: host).'),
    key: z.string().optional().describe('The host key line, "<host[,ip]> <keytype> <key>", whose host matches name; required with state=present.'),
    path: hostPathParam().default('~/.ssh/known_hosts').describe('The known_hosts file to edit (its directory must exist).'),
    hash_host: bool(false, 'Hash the host name in the line written.'),
    state: z.enum(['present', 'absent']).default('present').describe('present adds or replaces the key; absent removes it (all keys of the host without key).'),
  })
  .strict()
  .refine((p) => p.state === 'absent' || p.key !== undefined, { message: 'No key specified when adding a host', path: ['key'] })

type Params = z.output<typeof params>

interface Entry {
  options?: string
  host: string
  type: string
  key: string
}

/** A line's fields as Ansible's normalize_known_hosts_key reads them (marker, host, type, key; the rest dropped). */
function entryOf(line: string): Entry {
  const k = line.trim().split(/\s+/)
  return k[0].startsWith('@') ? { options: k[0], host: k[1], type: k[2], key: k[3] } : { host: k[0], type: k[1], key: k[2] }
}

const sameEntry = (a: Entry, b: Entry): boolean => a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key

/** OpenSSH's match_pattern: `*` and `?` wildcards, the whole name. */
function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's')
  return re.test(name)
}

/** Whether a known_hosts host field names `host`: a hashed |1|salt|hash, or a comma list of patterns where a `!` pattern vetoes. */
export function hostMatches(field: string, host: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|')
    if (!salt || !hash) return false
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(host).digest('base64') === hash
  }
  let matched = false
  for (const p of field.toLowerCase().split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), host)) return false
    } else if (globMatch(p, host)) matched = true
  }
  return matched
}

/** The key line with its host hashed (a fresh salt each time, as ssh-keygen -H and Ansible do). */
export function hashHost(host: string, key: string): string {
  const salt = randomBytes(20)
  const parts = key.trim().split(/\s+/)
  const i = parts[0].startsWith('@') ? 1 : 0
  parts[i] = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(host).digest('base64')}`
  return parts.join(' ')
}

/** Lines of the file that hold an entry of `host` (1-based), in order, as ssh-keygen -F lists them. */
function findHost(lines: string[], host: string): { line: number; entry: Entry }[] {
  const out: { line: number; entry: Entry }[] = []
  lines.forEach((l, i) => {
    const t = l.trim()
    if (t === '' || t.startsWith('#')) return
    const entry = entryOf(t)
    if (entry.host !== undefined && entry.type !== undefined && hostMatches(entry.host, host)) out.push({ line: i + 1, entry })
  })
  return out
}

/** The file's text after the change, as Ansible's enforce_state computes it; `key` already hashed when asked. */
export function editKnownHosts(text: string, host: string, key: string | undefined, state: Params['state']): string {
  const lines = splitLines(text)
  const found = findHost(lines, host)
  if (key === undefined) return state === 'absent' ? lines.filter((_, i) => !found.some((f) => f.line === i + 1)).join('') : text
  const wanted = entryOf(key)
  let foundLine: number | undefined
  let replace = found.length > 0
  for (const f of found) {
    if (wanted.host.startsWith('|1|') && f.entry.host.startsWith('|1|')) wanted.host = f.entry.host // keep the existing hash
    if (sameEntry(wanted, f.entry)) {
      foundLine = f.line
      replace = false
      break
    }
    if (wanted.type === f.entry.type) {
      foundLine = f.line
      break
    }
  }
  if (state === 'absent' && foundLine === undefined) return text
  const exists = found.length > 0
  if (!replace && exists === (state === 'present')) return text
  const kept = lines.filter((_, i) => !(foundLine === i + 1 && (replace || state === 'absent')))
  if (state === 'present') {
    if (kept.length > 0 && !kept[kept.length - 1].endsWith('\n')) kept[kept.length - 1] += '\n'
    kept.push(`${key}\n`)
  }
  return kept.join('')
}

export default defineModule({
  name: 'known_hosts',
  description: 'Add or remove a host key in a known_hosts file.',
  params,
  aliases: { host: 'name' },
  // A path in the home directory needs the home first: then only the home is read ahead.
  reads: (p) => (p.path.startsWith('~') ? [{ def: homeFact, args: {} }] : [editRead(p.path)]),
  async plan(ctx, p) {
    const host = knownHostsName(p.name.toLowerCase())
    let key = p.key === undefined ? undefined : knownHostsLine(p.key)
    if (key !== undefined) {
      if (!hostMatches(entryOf(key).host, host)) throw new PghaError('task', 'Host parameter does not match hashed host field in supplied key')
      if (p.hash_host) key = hashHost(host, key)
    }
    const path = p.path.startsWith('~') ? inHome(p.path, await ctx.fact(homeFact, {})) : p.path
    return planEdit(ctx, { path, create: true, present: p.state === 'present' }, (text) => editKnownHosts(text, host, key, p.state))
  },
  apply: applyFileOps,
})
