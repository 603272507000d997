// The user module's planning: which useradd/usermod/chpasswd commands bring an account to the asked state.
import { shq, type UserInfo } from '../../facts/index.js'
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
  ssh_key_file: string
  ssh_key_type: string
  ssh_key_bits?: number
  ssh_key_comment?: string
}

/** useradd's default home, which the key path needs before the account exists. */
const homeOf = (u: UserInfo, p: UserParams) => u.home ?? p.home ?? `/home/${p.name}`

export const keyPath = (u: UserInfo, p: UserParams): string =>
  p.ssh_key_file.startsWith('/') ? p.ssh_key_file : `${homeOf(u, p).replace(/\/$/, '')}/${p.ssh_key_file}`

export function accountChanges(u: UserInfo, p: UserParams): Change[] {
  const changes: Change[] = []
  const name = shq(p.name)
  // The hash travels on stdin to chpasswd -e, so it is in no command line (ps, logs) and no description.
  const setPassword: Change = { description: `set password of user ${p.name}`, data: { command: 'chpasswd -e', stdin: `${p.name}:${p.password}\n` } }
  if (!u.exists) {
    const f: string[] = []
    if (p.uid !== undefined) f.push(`-u ${p.uid}`)
    if (p.group !== undefined) f.push(`-g ${shq(p.group)}`)
    if (p.groups?.length) f.push(`-G ${shq(p.groups.join(','))}`)
    if (p.home !== undefined) f.push(`-d ${shq(p.home)}`)
    if (p.shell !== undefined) f.push(`-s ${shq(p.shell)}`)
    if (p.comment !== undefined) f.push(`-c ${shq(p.comment)}`)
    if (p.system) f.push('-r')
    f.push(p.create_home ? '-m' : '-M')
    const details = [p.uid !== undefined && `uid ${p.uid}`, p.group && `group ${p.group}`, p.groups?.length && `groups ${p.groups.join(',')}`, p.home && `home ${p.home}`, p.shell && `shell ${p.shell}`].filter(Boolean)
    changes.push({ description: `create user ${p.name}${details.length ? ` (${details.join(', ')})` : ''}`, data: { command: `useradd ${f.join(' ')} ${name}` } })
    if (p.password !== undefined) changes.push(setPassword)
    return changes
  }
  const f: string[] = []
  const what: string[] = []
  const differs = (label: string, flag: string, want: string | number | undefined, have: string | number | undefined) => {
    if (want === undefined || String(want) === String(have)) return
    f.push(`${flag} ${shq(String(want))}`)
    what.push(`${label} ${have ?? ''} -> ${want}`)
  }
  differs('uid', '-u', p.uid, u.uid)
  if (p.group !== undefined) differs('group', '-g', p.group, /^\d+$/.test(p.group) ? u.gid : u.group)
  if (p.groups !== undefined) {
    const have = u.groups ?? []
    const missing = p.groups.filter((g) => g !== u.group && !have.includes(g))
    const extra = p.append ? [] : have.filter((g) => !p.groups!.includes(g))
    if (missing.length || extra.length) {
      f.push(p.append ? `-a -G ${shq(missing.join(','))}` : `-G ${shq(p.groups.filter((g) => g !== u.group).join(','))}`)
      what.push(`groups ${[...missing.map((g) => `+${g}`), ...extra.map((g) => `-${g}`)].join(' ')}`)
    }
  }
  differs('home', p.move_home ? '-m -d' : '-d', p.home, u.home)
  differs('shell', '-s', p.shell, u.shell)
  differs('comment', '-c', p.comment, u.comment)
  if (f.length) changes.push({ description: `update user ${p.name}: ${what.join(', ')}`, data: { command: `usermod ${f.join(' ')} ${name}` } })
  if (p.password !== undefined && p.update_password === 'always' && u.passwordHash !== p.password) changes.push(setPassword)
  return changes
}
