// The user module's planning: which useradd/usermod/chpasswd commands bring an account to the asked state.
import { type UserInfo } from '../../facts/index.js'
import { chpasswdLine, commandLine, type Flag } from '../../shell/index.js'
import type { Change } from '../types.js'

export interface UserParams {
  name: string
  uid?: number
  group?: string
  groups?: string[]
  append: boolean
  home?: string
  move_home: boolean
  shell?: string
  comment?: string
  system: boolean
  create_home: boolean
  password?: string
  update_password: 'always' | 'on_create'
  password_lock?: boolean
  expires?: number
  password_expire_min?: number
  password_expire_max?: number
  password_expire_warn?: number
  ssh_key_file: string
  ssh_key_type: string
  ssh_key_bits?: number
  ssh_key_comment?: string
}

/** useradd's default home, which the key path needs before the account exists. */
const homeOf = (u: UserInfo, p: UserParams) => u.home ?? p.home ?? `/home/${p.name}`

export const keyPath = (u: UserInfo, p: UserParams): string =>
  p.ssh_key_file.startsWith('/') ? p.ssh_key_file : `${homeOf(u, p).replace(/\/$/, '')}/${p.ssh_key_file}`

/** A useradd/usermod/chpasswd command apply runs, with what it reads on stdin (the password hash). */
export interface AccountStep {
  command: string
  stdin?: string
}

/** useradd/usermod -e's value for `expires` (seconds since the epoch): its UTC day, or '' (never) when negative. */
export function expiryDate(expires: number): string {
  return expires < 0 ? '' : new Date(Math.floor(expires) * 1000).toISOString().slice(0, 10)
}

/** Whether the stored expiry (days since the epoch, -1 none) already is what `expires` asks, as Ansible compares: by day. */
function sameExpiry(have: number | undefined, expires: number): boolean {
  if (expires < 0) return have === undefined || have < 0
  return have !== undefined && have >= 0 && have === Math.floor(Math.floor(expires) / 86400)
}

export function accountChanges(u: UserInfo, p: UserParams): Change<AccountStep>[] {
  const changes: Change<AccountStep>[] = []
  // A locked hash is the hash behind a '!', as usermod -L writes it (Ansible's password_lock with password).
  const wanted = p.password_lock && p.password !== undefined && !p.password.startsWith('!') ? `!${p.password}` : p.password
  // The hash travels on stdin to chpasswd -e, so it is in no command line (ps, logs) and no description;
  // chpasswdLine refuses a ':' or line break that would set another field or another user's password.
  const setPassword = (): Change<AccountStep> => ({ description: `set password of user ${p.name}`, data: { command: 'chpasswd -e', stdin: chpasswdLine(p.name, wanted!) } })
  if (!u.exists) {
    const f: Flag[] = []
    if (p.uid !== undefined) f.push(['-u', String(p.uid)])
    if (p.group !== undefined) f.push(['-g', p.group])
    if (p.groups?.length) f.push(['-G', p.groups.join(',')])
    if (p.home !== undefined) f.push(['-d', p.home])
    if (p.shell !== undefined) f.push(['-s', p.shell])
    if (p.comment !== undefined) f.push(['-c', p.comment])
    if (p.expires !== undefined) f.push(['-e', expiryDate(p.expires)])
    if (p.system) f.push('-r')
    f.push(p.create_home ? '-m' : '-M')
    const details = [p.uid !== undefined && `uid ${p.uid}`, p.group && `group ${p.group}`, p.groups?.length && `groups ${p.groups.join(',')}`, p.home && `home ${p.home}`, p.shell && `shell ${p.shell}`].filter(Boolean)
    changes.push({ description: `create user ${p.name}${details.length ? ` (${details.join(', ')})` : ''}`, data: { command: commandLine('useradd', f, [p.name]) } })
    if (p.password !== undefined) changes.push(setPassword())
    return [...changes, ...passwordAge(u, p)]
  }
  const f: Flag[] = []
  const what: string[] = []
  const differs = (label: string, flag: string, want: string | number | undefined, have: string | number | undefined, also?: string) => {
    if (want === undefined || String(want) === String(have)) return
    if (also) f.push(also)
    f.push([flag, String(want)])
    what.push(`${label} ${have ?? ''} -> ${want}`)
  }
  differs('uid', '-u', p.uid, u.uid)
  if (p.group !== undefined) differs('group', '-g', p.group, /^\d+$/.test(p.group) ? u.gid : u.group)
  if (p.groups !== undefined) {
    const have = u.groups ?? []
    const missing = p.groups.filter((g) => g !== u.group && !have.includes(g))
    const extra = p.append ? [] : have.filter((g) => !p.groups!.includes(g))
    if (missing.length || extra.length) {
      if (p.append) f.push('-a')
      f.push(['-G', p.append ? missing.join(',') : p.groups.filter((g) => g !== u.group).join(',')])
      what.push(`groups ${[...missing.map((g) => `+${g}`), ...extra.map((g) => `-${g}`)].join(' ')}`)
    }
  }
  differs('home', '-d', p.home, u.home, p.move_home ? '-m' : undefined)
  differs('shell', '-s', p.shell, u.shell)
  differs('comment', '-c', p.comment, u.comment)
  if (p.expires !== undefined && !sameExpiry(u.expireDays, p.expires)) {
    f.push(['-e', expiryDate(p.expires)])
    what.push(`expires ${expiryDate(p.expires) || 'never'}`)
  }
  // As Ansible: the hash is compared without the lock's '!'; a new hash is set locked or not in one step.
  const newHash = p.password !== undefined && p.update_password === 'always' && u.passwordHash?.replace(/^!+/, '') !== p.password.replace(/^!+/, '')
  const locked = u.passwordHash?.startsWith('!') ?? false
  if (!newHash && p.password_lock === true && !locked) {
    f.push('-L')
    what.push('lock password')
  } else if (!newHash && p.password_lock === false && locked) {
    f.push('-U')
    what.push('unlock password')
  }
  if (f.length) changes.push({ description: `update user ${p.name}: ${what.join(', ')}`, data: { command: commandLine('usermod', f, [p.name]) } })
  if (newHash) changes.push(setPassword())
  return [...changes, ...passwordAge(u, p)]
}

/**
 * password_expire_min, _max and _warn, as Ansible sets them after the account: chage with the values that
 * differ from /etc/shadow's (all when it cannot be read, or the user is new).
 */
function passwordAge(u: UserInfo, p: UserParams): Change<AccountStep>[] {
  const differs = (want: number | undefined, have: number | undefined): number | undefined => (want !== undefined && (!u.exists || want !== have) ? want : undefined)
  const min = differs(p.password_expire_min, u.passwordMinDays)
  const max = differs(p.password_expire_max, u.passwordMaxDays)
  const warn = differs(p.password_expire_warn, u.passwordWarnDays)
  if (min === undefined && max === undefined && warn === undefined) return []
  const what = [min !== undefined && `minimum ${min} days`, max !== undefined && `maximum ${max} days`, warn !== undefined && `warning ${warn} days`].filter(Boolean).join(', ')
  const flags: (Flag | false)[] = [min !== undefined && ['-m', String(min)], max !== undefined && ['-M', String(max)], warn !== undefined && ['-W', String(warn)]]
  return [{ description: `set password age of user ${p.name}: ${what}`, data: { command: commandLine('chage', flags, [p.name]) } }]
}
