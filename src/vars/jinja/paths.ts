// Python's os.path on the controller, as Ansible's path filters and tests use it, and glob.glob.
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, posix } from 'node:path'

export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1)

export function dirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1)
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head
}

export function splitext(p: string): [string, string] {
  const base = basename(p)
  const dot = base.lastIndexOf('.')
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, '']
  const cut = p.length - (base.length - dot)
  return [p.slice(0, cut), p.slice(cut)]
}

export const expanduser = (p: string): string => (p === '~' || p.startsWith('~/') ? (process.env.HOME ?? homedir()) + p.slice(1) : p)

export const expandvars = (p: string): string =>
  p.replace(/\$(\w+)|\$\{([^}]*)\}/g, (m, a: string | undefined, b: string | undefined) => process.env[(a ?? b) as string] ?? m)

/** os.path.join */
export function join(parts: string[]): string {
  let out = parts[0] ?? ''
  for (const p of parts.slice(1)) {
    if (p.startsWith('/')) out = p
    else if (out === '' || out.endsWith('/')) out += p
    else out += '/' + p
  }
  return out
}

/** os.path.realpath: symlinks resolved as far as the path exists. */
export function realpath(p: string): string {
  const abs = posix.resolve(p)
  let head = abs
  const tail: string[] = []
  while (head !== '/' && !existsSync(head)) {
    tail.unshift(posix.basename(head))
    head = posix.dirname(head)
  }
  return posix.join(realpathSync(head), ...tail)
}

export const relpath = (p: string, start = '.'): string => posix.relative(posix.resolve(start), posix.resolve(p)) || '.'

const kind = (p: string, follow: boolean): 'file' | 'dir' | 'link' | 'other' | undefined => {
  try {
    const s = follow ? statSync(p) : lstatSync(p)
    return s.isSymbolicLink() ? 'link' : s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other'
  } catch {
    return undefined
  }
}

export const isFile = (p: string): boolean => kind(p, true) === 'file'
export const isDir = (p: string): boolean => kind(p, true) === 'dir'
export const isLink = (p: string): boolean => kind(p, false) === 'link'
export const exists = (p: string): boolean => kind(p, true) !== undefined
export const isAbs = (p: string): boolean => isAbsolute(p)

export function isMount(p: string): boolean {
  try {
    const s = lstatSync(p)
    if (s.isSymbolicLink()) return false
    const parent = statSync(posix.join(p, '..'))
    return s.dev !== parent.dev || s.ino === parent.ino
  } catch {
    return false
  }
}

export function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a)
    const y = statSync(b)
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return false
  }
}

function segmentRegex(seg: string): RegExp {
  let re = ''
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        const body = seg.slice(i + 1, end)
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`, 's')
}

/** glob.glob(pattern), sorted (Python returns directory order). Hidden names need a pattern starting with '.'. */
export function glob(pattern: string): string[] {
  const absolute = pattern.startsWith('/')
  const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0)
  let paths = [absolute ? '/' : '']
  for (const seg of segs.slice(absolute ? 1 : 0)) {
    if (!/[*?[]/.test(seg)) {
      paths = paths.map((p) => (p === '' ? seg : p.endsWith('/') ? p + seg : `${p}/${seg}`)).filter((p) => existsSync(p) || seg === '')
      continue
    }
    const re = segmentRegex(seg)
    paths = paths.flatMap((p) => {
      let names: string[]
      try {
        names = readdirSync(p === '' ? '.' : p)
      } catch {
        return []
      }
      return names.filter((n) => re.test(n) && (!n.startsWith('.') || seg.startsWith('.'))).map((n) => (p === '' ? n : p.endsWith('/') ? p + n : `${p}/${n}`))
    })
  }
  return paths.filter((p) => p !== '' && exists(p)).sort()
}
