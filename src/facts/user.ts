// Account facts: a user from the passwd database with its group names (and its password hash when the
// reader may see /etc/shadow), and a group with its gid. One command each.
import type { FactDef, FactRunner } from './types.js'
import { randomToken } from '../transport/random-token.js'
import { shq } from '../shell/index.js'

export interface UserInfo {
  name: string
  exists: boolean
  uid?: number
  gid?: number
  /** Primary group name. */
  group?: string
  /** Supplementary groups (the primary group left out). */
  groups?: string[]
  comment?: string
  home?: string
  shell?: string
  /** The crypt hash from /etc/shadow; undefined when not readable (not root). Never shown. */
  passwordHash?: string
  /** The account's expiry from /etc/shadow, in days since the epoch; -1 when it never expires, undefined when not readable. */
  expireDays?: number
  /** The password's minimum and maximum age and its warning period in days from /etc/shadow (-1 when not set); undefined when not readable. */
  passwordMinDays?: number
  passwordMaxDays?: number
  passwordWarnDays?: number
}

/**
 * Many users in one command: getent takes every name at once (passwd, then shadow), and one `id -Gn` per
 * user gives the groups, the primary first (what `id -gn` says: coreutils prints the passwd gid first).
 * Each user's part is put back in the single read's shape and parsed by it. 5 processes per user before.
 */
export async function readUsers(list: { name: string }[], run: FactRunner): Promise<(UserInfo | undefined)[]> {
  const names = [...new Set(list.map((a) => a.name))]
  const q = names.map(shq).join(' ')
  const token = randomToken()
  const r = await run(`getent passwd -- ${q}; echo ${token}; getent shadow -- ${q} 2>/dev/null; echo ${token}; for u in ${q}; do id -Gn -- "$u" 2>/dev/null || echo; done; echo ${token}`)
  const [passwd, shadow, groups, rest] = r.stdout.split(`${token}\n`)
  const groupLines = groups?.split('\n') ?? []
  if (rest === undefined || groupLines.length !== names.length + 1) return list.map(() => undefined)
  const entry = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}:`))
  const byName = new Map(names.map((name, i) => {
    const pw = entry(passwd, name)
    if (pw === undefined) return [name, { name, exists: false }] as const
    const all = groupLines[i].trim()
    if (all === '') return [name, undefined] as const
    const sh = entry(shadow, name)?.split(':')
    const lines = [pw, `group=${all.split(/\s+/)[0]}`, `groups=${all}`, `hash=${sh?.[1] ?? ''}`]
    if (sh) lines.push(`expire=${sh[7] ?? ''}`, `age=${sh.slice(3, 6).join(':')}`)
    return [name, userFact.parse(lines.join('\n'), { name }, 0)] as const
  }))
  return list.map((a) => byName.get(a.name))
}

export const userFact: FactDef<{ name: string }, UserInfo> = {
  name: 'user',
  batch: readUsers,
  command: ({ name }) => {
    const n = shq(name)
    // The shadow entry's fields split by the shell (globbing off: a hash may hold `*`), not by a `cut`
    // per field: a process each cost ~1 ms, 11 ms a user on the lab against 5 now. The command runs in
    // a subshell of its own (shell-command.ts, joined-batch.ts), so IFS and set -f go no further.
    return `getent passwd -- ${n} && { echo "group=$(id -gn -- ${n})"; echo "groups=$(id -Gn -- ${n})"; s=$(getent shadow -- ${n} 2>/dev/null); set -f; IFS=:; set -- $s; IFS=' '; echo "hash=$2"; [ -n "$s" ] && echo "expire=$8" && echo "age=$4:$5:$6"; }; true`
  },
  parse(stdout, { name }) {
    const lines = stdout.split('\n')
    const entry = lines.find((l) => l.startsWith(`${name}:`))
    if (!entry) return { name, exists: false }
    const [, , uid, gid, comment, home, shell] = entry.split(':')
    const kv = (k: string) => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1)
    const group = kv('group')
    const hash = kv('hash')
    const expire = kv('expire')
    const [min, max, warn] = kv('age')?.split(':') ?? []
    const days = (v: string | undefined) => (v === undefined ? undefined : v === '' ? -1 : Number(v))
    return {
      name,
      exists: true,
      uid: Number(uid),
      gid: Number(gid),
      group,
      groups: (kv('groups') ?? '').split(/\s+/).filter((g) => g !== '' && g !== group),
      comment,
      home,
      shell,
      passwordHash: hash ? hash : undefined,
      expireDays: days(expire),
      passwordMinDays: days(min),
      passwordMaxDays: days(max),
      passwordWarnDays: days(warn),
    }
  },
}

export interface GroupInfo {
  name: string
  exists: boolean
  gid?: number
  members?: string[]
}

export const groupFact: FactDef<{ name: string }, GroupInfo> = {
  name: 'group',
  batch: 'joined',
  command: ({ name }) => `getent group -- ${shq(name)}; true`,
  parse(stdout, { name }) {
    const entry = stdout.split('\n').find((l) => l.startsWith(`${name}:`))
    if (!entry) return { name, exists: false }
    const [, , gid, members] = entry.split(':')
    return { name, exists: true, gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) }
  },
}
