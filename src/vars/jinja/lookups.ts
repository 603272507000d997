// Lookups run on the controller: env, file, template, vars, first_found, fileglob, lines, password.
// Relative paths are searched as Ansible does, in each search path's files/ (templates/ for template)
// and then the search path itself. A lookup's result is data: it is never rendered again.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import { dirname as dirOf, isAbsolute, join as joinPath } from 'node:path'
import { InputFileError, readRegularFile } from '../../input-file.js'
import { Undefined } from './errors.js'
import { LOOP_LOOKUPS, lookupKey } from './loop-lookups.js'
import { basename, dirname, glob, isFile } from './paths.js'
import type { CallContext, ControllerHost } from './types.js'
import { isMapping, num, pyStr, truthy, ValueError } from './values.js'

type Lookup = (ctx: CallContext, terms: unknown[], kw: Record<string, unknown>) => unknown[]

/** Where Ansible's find_file_in_search_path would find `term`, or undefined. */
export function findFile(ctx: CallContext, subdir: string, term: string): string | undefined {
  if (isAbsolute(term)) return existsSync(term) ? term : undefined
  for (const base of ctx.host.searchPaths()) {
    for (const candidate of [joinPath(base, subdir, term), joinPath(base, term)]) if (existsSync(candidate)) return candidate
  }
  return undefined
}

/** A file a lookup reads: a regular file within the input file bound (opened by `host` when given), else an error saying why. */
export function readBounded(path: string, lookup: string, host?: ControllerHost): string {
  try {
    const text = readRegularFile(path).toString('utf8')
    return host?.openText ? host.openText(text, path) : text
  } catch (err) {
    if (err instanceof InputFileError) throw new ValueError(`lookup '${lookup}' cannot read ${path}: ${err.message}`)
    throw err
  }
}

function options(kw: Record<string, unknown>, known: string[], lookup: string): void {
  const unknown = Object.keys(kw).find((k) => !known.includes(k))
  if (unknown) throw new ValueError(`lookup '${lookup}' has no option '${unknown}' (options: ${known.join(', ') || 'none'})`)
}

const CHARSETS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
}

/** `path length=20 chars=ascii_letters,digits` as the password lookup reads its term. */
function passwordParams(term: string, kw: Record<string, unknown>): { path: string; length: number; chars: string } {
  const [path, ...rest] = term.split(/\s+(?=\w+=)/)
  const params: Record<string, unknown> = { ...kw }
  for (const p of rest) {
    const [k, ...v] = p.split('=')
    params[k] = v.join('=')
  }
  options(Object.fromEntries(Object.keys(params).map((k) => [k, 1])), ['length', 'chars'], 'password')
  const chars = params.chars === undefined ? ['ascii_letters', 'digits', '.,:-_'] : Array.isArray(params.chars) ? params.chars.map(pyStr) : pyStr(params.chars).split(/,(?!,)/)
  return { path, length: num(params.length === undefined ? 20 : Number(params.length)), chars: chars.map((c) => CHARSETS[c] ?? c).join('') }
}

export const LOOKUPS: Record<string, Lookup> = {
  // An unset variable is an error naming it (Ansible gives ''): a missing setting must not become an empty
  // value in a file or command; `default=''` asks for the empty value.
  env: (_c, terms, kw) => {
    options(kw, ['default'], 'env')
    return terms.map((t) => {
      const name = pyStr(t).split(/\s+/)[0]
      if (Object.hasOwn(process.env, name)) return process.env[name]
      if (kw.default !== undefined) return kw.default
      throw new ValueError(`the environment variable '${name}' is not set (lookup 'env'; give default='' to allow it)`)
    })
  },
  file: (ctx, terms, kw) => {
    options(kw, ['lstrip', 'rstrip'], 'file')
    return terms.map((t) => {
      const path = findFile(ctx, 'files', pyStr(t))
      if (!path) throw new ValueError(`could not locate file in lookup: ${pyStr(t)}`)
      let content = readBounded(path, 'file', ctx.host)
      if (truthy(kw.lstrip)) content = content.trimStart()
      if (kw.rstrip === undefined || truthy(kw.rstrip)) content = content.trimEnd()
      return content
    })
  },
  template: (ctx, terms, kw) => {
    options(kw, [], 'template')
    return terms.map((t) => {
      const path = findFile(ctx, 'templates', pyStr(t))
      if (!path) throw new ValueError(`the template file ${pyStr(t)} could not be found for the lookup`)
      return ctx.host.renderFile(readBounded(path, 'template', ctx.host), path)
    })
  },
  vars: (ctx, terms, kw) => {
    options(kw, ['default'], 'vars')
    return terms.map((t) => {
      if (typeof t !== 'string') throw new ValueError(`Invalid setting identifier, "${pyStr(t)}" is not a string`)
      const v = ctx.variable(t)
      if (!(v instanceof Undefined)) return v
      if (kw.default !== undefined && kw.default !== null) return kw.default
      throw new ValueError(`No variable found with this name: ${t}`)
    })
  },
  first_found: (ctx, terms, kw) => {
    let skip = truthy(kw.skip)
    const candidates: string[] = []
    const add = (term: unknown, opts: Record<string, unknown>): void => {
      if (isMapping(term)) return add(undefined, term)
      if (Array.isArray(term)) return term.forEach((x) => add(x, opts))
      const split = (v: unknown, seps: RegExp): string[] => (v === undefined || v === null ? [] : (Array.isArray(v) ? v.map(pyStr) : [pyStr(v)]).flatMap((x) => x.split(seps)).filter(Boolean))
      const files = split(opts.files, /[,;]/)
      const paths = split(opts.paths, /[,:;]/)
      if (opts.skip !== undefined) skip = truthy(opts.skip)
      if (paths.length > 0) for (const p of paths) for (const f of files) candidates.push(joinPath(p, f))
      else if (files.length > 0) candidates.push(...files)
      else if (term !== undefined) candidates.push(pyStr(term))
    }
    for (const t of terms) add(t, kw)
    for (const c of candidates) {
      const path = findFile(ctx, ctx.host.subdir ?? 'files', c)
      if (path) return [path]
    }
    if (skip) return []
    throw new ValueError('No file was found when using first_found.')
  },
  fileglob: (ctx, terms, kw) => {
    options(kw, [], 'fileglob')
    return terms.flatMap((t) => {
      const term = pyStr(t)
      const file = basename(term)
      const dirs = file !== term ? [findFile(ctx, 'files', dirname(term))] : ctx.host.searchPaths().flatMap((p) => [joinPath(p, 'files'), p])
      for (const d of dirs) {
        if (!d) continue
        const found = glob(joinPath(d, file)).filter(isFile)
        if (found.length > 0) return found
      }
      return []
    })
  },
  lines: (ctx, terms, kw) => {
    options(kw, [], 'lines')
    return terms.flatMap((t) => {
      try {
        const out = execFileSync('/bin/sh', ['-c', pyStr(t)], { cwd: ctx.host.searchPaths()[0], encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 })
        return out.split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '')
      } catch (err) {
        throw new ValueError(`lookup_plugin.lines(${pyStr(t)}) returned ${(err as { status?: number }).status ?? 'an error'}`)
      }
    })
  },
  password: (ctx, terms, kw) =>
    terms.map((t) => {
      const p = passwordParams(pyStr(t), kw)
      const path = isAbsolute(p.path) || p.path === '/dev/null' ? p.path : joinPath(ctx.host.searchPaths()[0], p.path)
      if (path !== '/dev/null' && existsSync(path)) return readFileSync(path, 'utf8').replace(/\n$/, '').split(' salt=')[0]
      const password = Array.from({ length: p.length }, () => p.chars[randomInt(p.chars.length)]).join('')
      if (path === '/dev/null') return password
      mkdirSync(dirOf(path), { recursive: true, mode: 0o700 })
      writeFileSync(path, password + '\n', { mode: 0o600 })
      chmodSync(path, 0o600)
      return password
    }),
  ...LOOP_LOOKUPS,
}

/** lookup(name, *terms) / query(name, *terms): the lookup's list, or for lookup() its items joined by ','. */
export function runLookup(ctx: CallContext, written: string, terms: unknown[], kw: Record<string, unknown>, wantList: boolean): unknown {
  const name = lookupKey(written)
  const lookup = Object.hasOwn(LOOKUPS, name) ? LOOKUPS[name] : undefined
  if (!lookup) throw new ValueError(`unknown lookup '${name}' (lookups: ${Object.keys(LOOKUPS).join(', ')})`)
  const { wantlist, errors, ...rest } = kw
  let ran: unknown[]
  try {
    ran = lookup(ctx, terms, rest)
  } catch (err) {
    if (errors === 'ignore' || errors === 'warn') return wantList || truthy(wantlist) ? [] : null
    throw err
  }
  if (ran.length === 0 || wantList || truthy(wantlist)) return ran
  if (ran.every((x) => typeof x === 'string')) return ran.join(',')
  return ran.length === 1 ? ran[0] : ran
}
