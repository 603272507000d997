// fetch: copies a file from the host to the controller, into DEST/<inventory host>/<src path> (or to DEST
// itself with flat), as Ansible's fetch does, and only when the controller's copy differs (sha1). It
// writes on the controller under the rules of `pgha render --out` (src/local-tree.ts): nothing inside the
// destination tree is followed if it is a symbolic link, a host name or src path with `..` cannot leave
// it, and the file is written to a temporary name with its final mode, then renamed.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, slurpFact } from '../facts/index.js'
import { lstatOf, namesBelow, writeInside, type LocalTree } from '../local-tree.js'
import { defineModule, type ModuleContext } from './types.js'
import { bool } from './lib/params.js'
import { diffText, sha1 } from './lib/file-plan.js'
import { hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    src: hostPathParam().describe('The file on the host to fetch (a file, not a directory).'),
    dest: z.string().min(1).describe('The directory on the controller to fetch into (DEST/<host>/<src>), or with flat the file (or a directory ending in /).'),
    flat: bool(false, 'Write to dest itself (dest ending in / : dest/<base name of src>) instead of dest/<host>/<src>.'),
    fail_on_missing: bool(true, 'Fail when src does not exist on the host (else: ok, with a message).'),
    validate_checksum: bool(true, "Check that the written file's sha1 is the host's."),
  })
  .strict()

type Params = z.output<typeof params>

/** Where on the controller, as a tree the write may not leave and the names below it. */
interface Target {
  dir: string
  names: string[]
  /** The file's full path, as result.dest shows it. */
  dest: string
}

interface FetchData {
  target: Target
  content: Buffer
  mode: number
  remoteChecksum: string
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex')

/** Where a relative dest is: the playbook's directory when the run names it, else the current directory. */
function baseDir(ctx: ModuleContext): string {
  return typeof ctx.vars.playbook_dir === 'string' ? ctx.vars.playbook_dir : process.cwd()
}

/** The destination tree and the names below it; refuses what would leave it. */
export function fetchTarget(p: Params, host: string, base: string): Target {
  const refuse = (why: string): never => {
    throw new PghaError('task', `fetch refuses to write ${JSON.stringify(p.src)} from ${host} under ${p.dest}: ${why}`)
  }
  const dest = isAbsolute(p.dest) ? p.dest : resolve(base, p.dest)
  if (p.flat) {
    const intoDir = p.dest.endsWith('/')
    const dir = intoDir ? dest : dirname(dest)
    const name = intoDir ? basename(p.src) : basename(dest)
    if (!intoDir && lstatOf(dest)?.isDirectory()) refuse('dest is an existing directory, use a trailing slash if you want to fetch src into that directory')
    if (name === '' || name === '.' || name === '..') refuse(`'${name}' is not a file name`)
    return { dir, names: [name], dest: join(dir, name) }
  }
  if (host === '' || host === '.' || host === '..' || host.includes('/') || host.includes('\0')) refuse(`the host name '${host}' cannot be a directory name`)
  // A `..` in src is refused outright: Ansible would climb out of DEST/<host> with it.
  const names = p.src.split('/').includes('..') ? undefined : namesBelow(p.src)
  if (!names?.length) refuse(`src '${p.src}' is not a file path below the host's directory ('..' would leave it)`)
  return { dir: dest, names: [host, ...names!], dest: join(dest, host, ...names!) }
}

/** The controller's copy, when it is a regular file (a link there is refused when written). */
function localCopy(path: string): { content: Buffer; mode: number } | undefined {
  const st = lstatOf(path)
  if (!st?.isFile()) return undefined
  return { content: readFileSync(path), mode: st.mode & 0o777 }
}

export default defineModule({
  name: 'fetch',
  description: "Copy a file from the host to the controller (DEST/<host>/<src>), when the controller's copy differs",
  params,
  reads: (p) => [{ def: fileFact, args: { path: p.src, follow: true } }],
  async plan(ctx, p) {
    const host = typeof ctx.vars.inventory_hostname === 'string' ? ctx.vars.inventory_hostname : ctx.host
    const info = await ctx.fact(fileFact, { path: p.src, follow: true })
    const missing = (msg: string) => {
      if (p.fail_on_missing) throw new PghaError('task', msg)
      return { changes: [], result: { msg: `${msg}, ignored`, file: p.src } }
    }
    if (!info.exists) return missing('the remote file does not exist, not transferring')
    if (info.type === 'directory') {
      if (p.fail_on_missing) throw new PghaError('task', 'remote file is a directory, fetch cannot work on directories')
      return { changes: [], result: { msg: 'remote file is a directory, fetch cannot work on directories, not transferring, ignored', file: p.src } }
    }
    const slurped = await ctx.fact(slurpFact, { path: p.src })
    if (!slurped.exists || slurped.base64 === undefined) return missing(`file not found: ${p.src}`)
    const content = Buffer.from(slurped.base64, 'base64')
    const remoteChecksum = sha1(content)
    const target = fetchTarget(p, host, baseDir(ctx))
    const local = localCopy(target.dest)
    if (local && sha1(local.content) === remoteChecksum) {
      return { changes: [], result: { md5sum: md5(local.content), file: p.src, dest: target.dest, checksum: remoteChecksum } }
    }
    const data: FetchData = { target, content, mode: local?.mode ?? 0o644, remoteChecksum }
    return {
      changes: [{ description: `fetch ${p.src} to ${target.dest}`, path: target.dest, before: diffText(local?.content), after: diffText(content), data }],
      result: { dest: target.dest, remote_checksum: remoteChecksum },
    }
  },
  async apply(_ctx, p, plan) {
    const { target, content, mode, remoteChecksum } = plan.changes[0].data
    mkdirSync(target.dir, { recursive: true })
    const tree: LocalTree = {
      real: realpathSync(target.dir),
      shown: target.dir,
      refuse: (file, at, what) => new PghaError('task', `fetch refuses to write ${file}: ${at} is ${what} inside ${target.dir}, and fetch never follows one`),
    }
    writeInside(tree, target.names, content, mode)
    const written = readFileSync(join(tree.real, ...target.names))
    const checksum = sha1(written)
    if (p.validate_checksum && checksum !== remoteChecksum) {
      throw new PghaError('task', `checksum mismatch: ${target.dest} has sha1 ${checksum}, the host's ${p.src} has ${remoteChecksum}`)
    }
    return { md5sum: md5(written), dest: target.dest, remote_md5sum: null, checksum, remote_checksum: remoteChecksum }
  },
})
