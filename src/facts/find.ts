// The find fact: every entry under some directories with its lstat information, from one GNU find per
// directory (NUL-separated, so any file name survives), in the order the directory lists them. The find
// module filters these as Ansible's find does and rebuilds os.walk's order from them.
import type { FactDef } from './types.js'
import { pathOperand, shq } from '../shell/index.js'

export interface FindArgs {
  paths: string[]
  /** How deep below each path to list (1: its entries only); undefined: all the way down. */
  maxdepth?: number
  /** Follow symbolic links to directories (find -L: the entries then carry the stat of what a link names). */
  follow: boolean
}

export interface FoundEntry {
  path: string
  /** The entry's type as lstat sees it (f d l b c p s), and following links (d for a link to a directory). */
  type: string
  followedType: string
  mode: number
  uid: number
  gid: number
  /** The owner's and group's names; '' when they have none. */
  user: string
  group: string
  size: number
  inode: number
  dev: number
  nlink: number
  atime: number
  mtime: number
  ctime: number
}

export interface FoundPath {
  path: string
  /** Why the path was not (fully) listed: not a directory, or find reported an error below it. */
  error?: string
  entries: FoundEntry[]
}

export interface FindInfo {
  /** The host's clock, for age. */
  now: number
  paths: FoundPath[]
}

const FORMAT = ['%y', '%Y', '%m', '%U', '%G', '%u', '%g', '%s', '%i', '%D', '%n', '%A@', '%T@', '%C@', '%p'].join('\\0') + '\\0'
const FIELDS = 15

export const findFact: FactDef<FindArgs, FindInfo> = {
  name: 'find',
  batch: 'joined',
  command: ({ paths, maxdepth, follow }) => {
    const depth = maxdepth === undefined ? '' : ` -maxdepth ${Math.floor(maxdepth)}`
    const each = paths.map((p) => {
      const q = shq(pathOperand(p))
      return `printf '\\0@path\\0'; if [ -d ${q} ]; then find ${follow ? '-L ' : ''}${q} -mindepth 1${depth} -printf '${FORMAT}' 2>/dev/null || printf '\\0@error\\0'; else printf '\\0@notdir\\0'; fi`
    })
    return [`printf 'now=%s' "$(date +%s.%N)"`, ...each].join('; ')
  },
  parse(stdout, { paths }) {
    const [head, ...sections] = stdout.split('\0@path\0')
    const now = Number(/^now=([\d.]+)/.exec(head)?.[1] ?? Date.now() / 1000)
    return {
      now,
      paths: paths.map((path, i) => {
        let text = sections[i] ?? '\0@error\0'
        let error: string | undefined
        if (text.endsWith('\0@notdir\0')) return { path, error: `'${path}' is not a directory`, entries: [] }
        if (text.endsWith('\0@error\0')) {
          error = `find could not list everything under '${path}'`
          text = text.slice(0, -'\0@error\0'.length)
        }
        const f = text.split('\0')
        const entries: FoundEntry[] = []
        for (let k = 0; k + FIELDS <= f.length; k += FIELDS) {
          const [type, followedType, mode, uid, gid, user, group, size, inode, dev, nlink, atime, mtime, ctime, p] = f.slice(k, k + FIELDS)
          entries.push({
            path: p, type, followedType, mode: parseInt(mode, 8), uid: +uid, gid: +gid,
            user: user === uid ? '' : user, group: group === gid ? '' : group,
            size: +size, inode: +inode, dev: +dev, nlink: +nlink, atime: +atime, mtime: +mtime, ctime: +ctime,
          })
        }
        return { path, error, entries }
      }),
    }
  },
}
