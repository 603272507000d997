// The authorized_keys fact: a user's home and primary group, their .ssh directory and key file, in one command.
import type { FactDef } from './types.js'
import { fileSnippet, parseFileInfo, type FileInfo } from './file.js'
import { shq } from '../shell/index.js'

export interface AuthorizedKeysArgs {
  user: string
  /** Key file path; `~` or `~/...` is the user's home. Default ~/.ssh/authorized_keys. */
  path?: string
}

export interface AuthorizedKeysInfo {
  /** False when the user does not exist. */
  userExists: boolean
  home: string
  group: string
  /** Resolved key file path and the directory that holds it. */
  path: string
  dir: FileInfo
  file: FileInfo
}

const MAX_KEYS_FILE = 1 << 20

export const authorizedKeysFact: FactDef<AuthorizedKeysArgs, AuthorizedKeysInfo> = {
  name: 'authorized_keys',
  batch: 'joined',
  command({ user, path }) {
    const u = shq(user)
    const p = path ?? '~/.ssh/authorized_keys'
    const file = p.startsWith('~') ? `"$h"${shq(p.slice(1))}` : shq(p)
    return [
      `h=$(getent passwd -- ${u} | cut -d: -f6); [ -n "$h" ] || { echo nouser; exit 0; }`,
      `echo "home=$h"; echo "group=$(id -gn -- ${u})"`,
      `k=${file}; echo "path=$k"`,
      fileSnippet('"${k%/*}"', {}, 'd'),
      fileSnippet('"$k"', { content: MAX_KEYS_FILE }, 'k'),
    ].join('; ')
  },
  parse(stdout) {
    const line = (key: string): string => stdout.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1) ?? ''
    if (stdout.startsWith('nouser')) {
      const none: FileInfo = { path: '', exists: false, type: 'absent' }
      return { userExists: false, home: '', group: '', path: '', dir: none, file: none }
    }
    const path = line('path')
    const dir = path.slice(0, path.lastIndexOf('/')) || '/'
    return {
      userExists: true,
      home: line('home'),
      group: line('group'),
      path,
      dir: parseFileInfo(stdout, dir, {}, 'd'),
      file: parseFileInfo(stdout, path, { content: MAX_KEYS_FILE }, 'k'),
    }
  },
}
