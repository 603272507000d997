// find: lists the files under some directories that match every filter given (name patterns or regular
// expressions, excludes, type, age, size, content), in result.files with Ansible's stat keys, matched and
// examined, as Ansible's find does: the same os.walk order, hidden entries skipped but hidden directories
// still walked, depth counted from the search path. Reads only; check mode is exact.
import { posix } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, findFact, slurpFact, type FindArgs, type FoundEntry, type FoundPath } from '../facts/index.js'
import { globRegex } from '../inventory/patterns.js'
import { defineModule, type ModuleContext } from './types.js'
import { stringList } from './lib/list-param.js'
import { bool } from './lib/params.js'
import { pyRegExp } from './lib/py-regex.js'
import { isHostPath } from './lib/value-kinds.js'

const pathItems = (list: string[], ctx: z.RefinementCtx): void => {
  list.forEach((v, i) => {
    const why = isHostPath(v)
    if (why !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `${JSON.stringify(v)} is not a usable path: ${why}` })
  })
}

const params = z
  .object({
    paths: stringList().superRefine(pathItems).describe('Directories to search.'),
    patterns: stringList().default([]).describe('Shell globs (or Python regular expressions with use_regex) the base name must match one of (alias pattern).'),
    excludes: stringList().optional().describe('Globs or regular expressions of base names to leave out (alias exclude).'),
    contains: z.string().optional().describe('A Python regular expression a line of the file must match from its start (file_type=file only).'),
    read_whole_file: bool(false, 'Search contains anywhere in the whole file instead of matching it line by line.'),
    file_type: z.enum(['any', 'directory', 'file', 'link']).default('file').describe('The type of entries to return.'),
    age: z.string().regex(/^-?\d+[smhdwSMHDW]?$/, 'age is a number of seconds, or with a unit s, m, h, d or w, negative for newer than').optional().describe('Entries at least this old (or at most, when negative): 10d, -2h.'),
    age_stamp: z.enum(['atime', 'ctime', 'mtime']).default('mtime').describe('Which time age compares.'),
    size: z.string().regex(/^-?\d+[bkmgtBKMGT]?$/, 'size is a number of bytes, or with a unit b, k, m, g or t, negative for smaller than').optional().describe('Files at least this large (or at most, when negative): 1m, -10k.'),
    recurse: bool(false, 'Search the directories below too.'),
    hidden: bool(false, "Include entries whose names start with '.'."),
    follow: bool(false, 'Follow symbolic links to directories.'),
    get_checksum: bool(false, 'Add the sha1 checksum of each regular file.'),
    use_regex: bool(false, 'patterns and excludes are Python regular expressions matched from the start of the name.'),
    depth: z.number().int().min(0).optional().describe('How many levels deep to look (1: the directory itself); 0 or unset: no limit.'),
  })
  .strict()

type Params = z.output<typeof params>

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, b: 1, k: 1024, g: 1024 ** 3, t: 1024 ** 4 }

/** `10d` in seconds, `1m` in bytes (m is minutes for age, MiB for size). */
function amount(v: string | undefined, size: boolean): number | undefined {
  if (v === undefined) return undefined
  const m = /^(-?\d+)([a-z])?$/.exec(v.toLowerCase())!
  const unit = m[2] === undefined ? 1 : size && m[2] === 'm' ? 1024 ** 2 : UNITS[m[2]]
  return Number(m[1]) * unit
}

/** Ansible's pfilter: the base name matches a pattern and no exclude. */
function nameFilter(p: Params): (name: string) => boolean {
  const patterns = p.patterns.length > 0 ? p.patterns : [p.use_regex ? '.*' : '*']
  const compile = (pat: string): ((name: string) => boolean) => {
    if (!p.use_regex) return globRegex(pat)
    const re = pyRegExp(pat, 'y')
    return (name) => {
      re.lastIndex = 0
      return re.test(name)
    }
  }
  const include = patterns.map(compile)
  const exclude = (p.excludes ?? []).map(compile)
  return (name) => include.some((f) => f(name)) && !exclude.some((f) => f(name))
}

const MODE_BITS = { wusr: 0o200, rusr: 0o400, xusr: 0o100, wgrp: 0o020, rgrp: 0o040, xgrp: 0o010, woth: 0o002, roth: 0o004, xoth: 0o001, isuid: 0o4000, isgid: 0o2000 }

/** Ansible find's statinfo of an entry. */
export function statInfo(e: FoundEntry): Record<string, unknown> {
  return {
    path: e.path,
    mode: (e.mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: e.type === 'd', ischr: e.type === 'c', isblk: e.type === 'b', isreg: e.type === 'f', isfifo: e.type === 'p', islnk: e.type === 'l', issock: e.type === 's',
    uid: e.uid, gid: e.gid, size: e.size, inode: e.inode, dev: e.dev, nlink: e.nlink, atime: e.atime, mtime: e.mtime, ctime: e.ctime,
    gr_name: e.group, pw_name: e.user,
    ...Object.fromEntries(Object.entries(MODE_BITS).map(([k, bit]) => [k, (e.mode & bit) !== 0])),
  }
}

/** The entries of one search path in os.walk's order (each directory's non-directories, then its directories, then into each), with how many were looked at. */
export function walk(found: FoundPath, p: Pick<Params, 'recurse' | 'follow' | 'depth'>): { entries: (FoundEntry & { depth: number })[]; looked: number } {
  const top = posix.normalize(found.path).replace(/(.)\/+$/, '$1')
  const children = new Map<string, FoundEntry[]>()
  for (const e of found.entries) {
    const dir = posix.dirname(posix.normalize(e.path))
    children.set(dir, [...(children.get(dir) ?? []), { ...e, path: posix.normalize(e.path) }])
  }
  const out: (FoundEntry & { depth: number })[] = []
  let looked = 0
  const visit = (root: string, depth: number): void => {
    const here = children.get(root) ?? []
    looked += here.length
    const dirs = here.filter((e) => e.followedType === 'd')
    const ordered = [...here.filter((e) => e.followedType !== 'd'), ...dirs]
    if (p.depth && depth > p.depth) return
    for (const e of ordered) out.push({ ...e, depth })
    if (!p.recurse) return
    for (const d of dirs) if (d.type === 'd' || p.follow) visit(d.path, depth + 1)
  }
  visit(top, 1)
  return { entries: out, looked }
}

/** Ansible's contentfilter: a line matches from its start (or the whole file contains a match). */
async function contains(ctx: ModuleContext, path: string, p: Params): Promise<boolean> {
  const f = await ctx.fact(slurpFact, { path })
  if (!f.exists || f.base64 === undefined) return false
  const bytes = Buffer.from(f.base64, 'base64')
  const text = bytes.toString('utf8')
  if (!Buffer.from(text).equals(bytes)) return false
  if (p.read_whole_file) return pyRegExp(p.contains!).test(text)
  const re = pyRegExp(p.contains!, 'y')
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((line) => {
    re.lastIndex = 0
    return re.test(line)
  })
}

const findArgs = (p: Params): FindArgs => ({
  paths: p.paths,
  follow: p.follow,
  // One level more than depth is listed: Ansible's walk looks at it (examined counts it) before it stops.
  maxdepth: !p.recurse ? 1 : p.depth ? p.depth + 1 : undefined,
})

export default defineModule({
  name: 'find',
  description: 'List the files under directories that match patterns, type, age, size or content (result.files)',
  params,
  aliases: { name: 'paths', path: 'paths', pattern: 'patterns', exclude: 'excludes' },
  reads: (p) => [{ def: findFact, args: findArgs(p) }],
  async plan(ctx, p) {
    const info = await ctx.fact(findFact, findArgs(p))
    const age = amount(p.age, false)
    const size = amount(p.size, true)
    const named = nameFilter(p)
    const ageOk = (e: FoundEntry): boolean => {
      if (age === undefined) return true
      const elapsed = info.now - e[p.age_stamp]
      return age >= 0 ? elapsed >= Math.abs(age) : elapsed <= Math.abs(age)
    }
    const sizeOk = (e: FoundEntry): boolean => size === undefined || (size >= 0 ? e.size >= Math.abs(size) : e.size <= Math.abs(size))
    const files: Record<string, unknown>[] = []
    const skipped: Record<string, string> = {}
    let examined = 0
    for (const found of info.paths) {
      if (found.error !== undefined && found.entries.length === 0) {
        skipped[found.path] = found.error
        continue
      }
      if (found.error !== undefined) skipped[found.path] = found.error
      const { entries, looked } = walk(found, p)
      examined += looked
      for (const e of entries) {
        if (posix.basename(e.path).startsWith('.') && !p.hidden) continue
        if (!named(posix.basename(e.path)) || !ageOk(e)) continue
        const isReg = e.type === 'f'
        let take: boolean
        if (p.file_type === 'any') take = !isReg || sizeOk(e)
        else if (p.file_type === 'directory') take = e.type === 'd'
        else if (p.file_type === 'link') take = e.type === 'l'
        else take = isReg && sizeOk(e) && (p.contains === undefined || (await contains(ctx, e.path, p)))
        if (!take) continue
        const r = statInfo(e)
        if (isReg && p.get_checksum && p.file_type !== 'directory') {
          const sum = (await ctx.fact(fileFact, { path: e.path, checksum: 'sha1' })).checksum
          if (sum === undefined) throw new PghaError('task', `cannot read ${e.path} for its checksum`)
          r.checksum = sum
        }
        files.push(r)
      }
    }
    const msg = Object.keys(skipped).length > 0 ? 'Not all paths examined, check warnings for details' : 'All paths examined'
    return { changes: [], result: { files, matched: files.length, examined, skipped_paths: skipped, msg } }
  },
})
