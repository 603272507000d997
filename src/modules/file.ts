// file: directories, symlinks, hard links, empty files and removal, with owner/group/mode (recursively
// for directories).
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, treeFact, type FileArgs, type FileInfo } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { commandChange, planAttrs, type Attrs } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { hostPathParam } from './lib/value-kinds.js'

const params = z
  .object({
    path: hostPathParam().describe('The path to manage.'),
    state: z
      .enum(['file', 'directory', 'link', 'hard', 'absent', 'touch'])
      .optional()
      .describe('file: only set attributes of an existing file; directory: mkdir -p; link/hard: link to src; absent: remove; touch: create or update mtime. Default: directory with recurse, link with src, else file.'),
    src: hostPathParam().optional().describe('The link target for state=link and state=hard.'),
    recurse: bool(false, 'With state=directory, set owner/group/mode on everything below path too (octal mode only).'),
    force: bool(false, 'For links: replace an existing file (or an empty directory) at path.'),
    ...attrParams,
  })
  .strict()

type Params = z.output<typeof params>

const fail = (msg: string): never => {
  throw new PghaError('task', msg)
}

const attrsOnly = (info: FileInfo, a: Attrs): Change<FileOp>[] => {
  const c = planAttrs(info, a)
  return c ? [c] : []
}

async function planDirectory(ctx: ModuleContext, p: Params, info: FileInfo): Promise<Change<FileOp>[]> {
  if (!info.exists) return [commandChange(`create directory ${p.path}`, `mkdir -p -- ${shq(p.path)}`, p.path, { owner: p.owner, group: p.group, mode: p.mode && resolveMode(p.mode, undefined, true) })]
  if (info.type !== 'directory') fail(`${p.path} already exists as a ${info.type}`)
  if (!p.recurse) return attrsOnly(info, p)
  if (p.mode !== undefined && !/^[0-7]{4}$/.test(p.mode)) fail('recurse needs an octal mode such as 0755')
  const tree = await ctx.fact(treeFact, { path: p.path, owner: p.owner, group: p.group, mode: p.mode })
  return tree.count > 0 ? [planAttrs(info, p, { recurse: true })!] : []
}

async function planLink(ctx: ModuleContext, p: Params, info: FileInfo, hard: boolean): Promise<Change<FileOp>[]> {
  const src = p.src ?? fail(`src is required for state=${p.state}`)
  const verb = hard ? 'hard link' : 'link'
  const flags = hard ? (info.exists ? ' -f' : '') : info.exists ? ' -sfn' : ' -s'
  const ln = `ln${flags} -- ${shq(src)} ${shq(p.path)}`
  if (hard) {
    const target = await ctx.fact(fileFact, { path: src })
    if (!target.exists) fail(`src ${src} does not exist`)
    if (info.exists && info.inode === target.inode && info.dev === target.dev) return attrsOnly(info, p)
  } else if (info.type === 'link' && info.target === src) {
    return attrsOnly(info, p)
  }
  let cmd = ln
  if (info.type === 'directory') cmd = p.force ? `rmdir -- ${shq(p.path)} && ${ln}` : fail(`${p.path} is a directory; force=yes replaces an empty one`)
  else if (info.type === 'file' && !p.force) fail(`${p.path} exists as a file; force=yes replaces it with a ${verb}`)
  return [commandChange(`${verb} ${p.path} -> ${src}`, cmd, p.path, { owner: p.owner, group: p.group, mode: hard ? p.mode : undefined }, !hard)]
}

const stateOf = (p: Params): NonNullable<Params['state']> => p.state ?? (p.recurse ? 'directory' : p.src !== undefined ? 'link' : 'file')

/** The path itself, or what a link there points to for the states that manage the target. */
function pathArgs(p: Params): FileArgs {
  const state = stateOf(p)
  return { path: p.path, follow: state === 'file' || state === 'directory' || state === 'touch' }
}

export default defineModule({
  name: 'file',
  aliases: { dest: 'path', name: 'path' },
  description: 'Manage directories, links, empty files and their owner, group and mode, or remove a path',
  params,
  reads: (p) => [{ def: fileFact, args: pathArgs(p) }, ...(stateOf(p) === 'hard' && p.src !== undefined ? [{ def: fileFact, args: { path: p.src } }] : [])],
  async plan(ctx, p) {
    const state = stateOf(p)
    const info = await ctx.fact(fileFact, pathArgs(p))
    switch (state) {
      case 'absent':
        return info.exists ? [commandChange(`remove ${p.path}`, `rm -rf -- ${shq(p.path)}`, p.path, {})] : []
      case 'directory':
        return planDirectory(ctx, p, info)
      case 'link':
      case 'hard':
        return planLink(ctx, { ...p, state }, info, state === 'hard')
      case 'touch': {
        const mode = p.mode && resolveMode(p.mode, info.mode, info.type === 'directory')
        return [commandChange(`touch ${p.path}`, `touch -- ${shq(p.path)}`, p.path, { owner: p.owner, group: p.group, mode })]
      }
      default:
        if (!info.exists) fail(`file (${p.path}) is absent, cannot continue`)
        return attrsOnly(info, p)
    }
  },
  apply: applyFileOps,
})
