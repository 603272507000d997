// Path filters on the controller: basename, dirname, expanduser, expandvars, realpath, relpath, splitext,
// path_join, fileglob, and their Windows forms.
import { basename, dirname, expanduser, expandvars, glob, isFile, join, realpath, relpath, splitext } from '../paths.js'
import { arg, type Callable } from '../types.js'
import { isTuple, pyStr, tuple, typeName, ValueError } from '../values.js'

type Filters = Record<string, Callable>

const path = (fn: (p: string) => unknown): Callable => ({ params: [], fn: (_c, v) => fn(pyStr(v)) })
const winSep = (p: string): number => Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'))
const winDrive = (p: string): [string, string] => (/^[A-Za-z]:/.test(p) ? [p.slice(0, 2), p.slice(2)] : ['', p])

export const PATH_FILTERS: Filters = {
  basename: path(basename),
  dirname: path(dirname),
  expanduser: path(expanduser),
  expandvars: path(expandvars),
  realpath: path(realpath),
  relpath: { params: ['start'], fn: (_c, v, [start]) => relpath(pyStr(v), pyStr(arg(start, '.'))) },
  splitext: path((p) => tuple(splitext(p))),
  path_join: {
    params: [],
    fn: (_c, v) => {
      if (typeof v === 'string') return v
      if (Array.isArray(v) || isTuple(v)) return join(v.map(pyStr))
      throw new ValueError(`|path_join expects string or sequence, got <class '${typeName(v)}'> instead.`)
    },
  },
  fileglob: path((p) => glob(p).filter(isFile)),
  win_basename: path((p) => winDrive(p)[1].slice(winSep(winDrive(p)[1]) + 1)),
  win_dirname: path((p) => {
    const [drive, rest] = winDrive(p)
    const head = rest.slice(0, winSep(rest) + 1)
    return drive + (head && !/^[\\/]+$/.test(head) ? head.replace(/[\\/]+$/, '') : head)
  }),
  win_splitdrive: path((p) => tuple(winDrive(p))),
}
