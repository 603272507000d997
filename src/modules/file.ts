// file: directories, symlinks, hard links, empty files and removal, with owner/group/mode (recursively
// for directories), access and modification times (preserve or now), and SELinux contexts, which are
// ignored where SELinux is not enabled (as Ansible ignores them) and refused where it is.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, selinuxFact, treeFact, type FileArgs, type FileInfo } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { commandChange, planAttrs, type Attrs } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { hostPathParam } from './lib/value-kinds.js'

/** A time Ansible's file sets: `preserve` (keep it), `now`; pgha takes no explicit timestamp. */
function timeParam(which: string) {
  return z.enum(['preserve', 'now']).optional().describe(`The ${which} time to give the path: preserve it, or now (default: now with state touch, else preserve).`)
}

/** Ansible's timestamp formats, for explicit times pgha does not take: accepted and unused. */
const timeFormatParam = z.string().optional().describe('The format of an explicit time (unused: pgha takes only preserve and now).')

/** SELinux contexts: ignored where SELinux is not enabled, as Ansible does; pgha does not set them. */
const selinuxParams = Object.fromEntries(['setype', 'seuser', 'serole', 'selevel'].map((k) => [k, z.string().optional().describe(`SELinux ${k.slice(2)} of the path: ignored where SELinux is not enabled; pgha does not set it where it is.`)])) as Record<'setype' | 'seuser' | 'serole' | 'selevel', z.ZodOptional<z.ZodString>>

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
    follow: bool(true, 'With state file, directory or touch, act on what a link at path points to (false: on the link itself, which then fails as in Ansible).'),
    modification_time: timeParam('modification'),
    access_time: timeParam('access'),
    modification_time_format: timeFormatParam,
    access_time_format: timeFormatParam,
    ...selinuxParams,
    ...attrParams,
  })
  .strict()

type Params = z.output<typeof params>

/** Fails where SELinux is enabled and a context is asked for: pgha would otherwise leave it unset, silently. */
async function checkSelinux(ctx: ModuleContext, p: Params): Promise<void> {
  const asked = (['setype', 'seuser', 'serole', 'selevel'] as const).filter((k) => p[k] !== undefined)
  if (asked.length > 0 && (await ctx.fact(selinuxFact, {}))) fail(`SELinux is enabled on ${ctx.host} and pgha does not set SELinux contexts (${asked.join(', ')})`)
}

/** `touch` of the times set to now (none when both are preserved); -c: never creates, -h: the link itself. */
function timesChange(p: Params, state: string, created: boolean): Change<FileOp>[] {
  const now = (t: 'preserve' | 'now' | undefined) => (t ?? (state === 'touch' ? 'now' : 'preserve')) === 'now'
  const [m, a] = [now(p.modification_time), now(p.access_time)]
  if ((!m && !a) || (created && m && a)) return []
  const flags = `${m && !a ? ' -m' : ''}${a && !m ? ' -a' : ''}${state === 'link' ? ' -h' : ''}`
  return [commandChange(`set the ${m && a ? 'times' : m ? 'modification time' : 'access time'} of ${p.path} to now`, `touch -c${flags} -- ${shq(p.path)}`, p.path, {})]
}

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
  return { path: p.path, follow: p.follow && (state === 'file' || state === 'directory' || state === 'touch') }
}

export default defineModule({
  name: 'file',
  aliases: { dest: 'path', name: 'path' },
  description: 'Manage directories, links, empty files and their owner, group and mode, or remove a path',
  params,
  reads: (p) => [
    { def: fileFact, args: pathArgs(p) },
    ...(stateOf(p) === 'hard' && p.src !== undefined ? [{ def: fileFact, args: { path: p.src } }] : []),
    ...(p.setype ?? p.seuser ?? p.serole ?? p.selevel) !== undefined ? [{ def: selinuxFact, args: {} }] : [],
  ],
  async plan(ctx, p) {
    const state = stateOf(p)
    await checkSelinux(ctx, p)
    const info = await ctx.fact(fileFact, pathArgs(p))
    // follow: false leaves a link at path as the link, which state file and directory cannot manage.
    if (info.type === 'link' && (state === 'file' || state === 'directory')) fail(state === 'file' ? `file (${p.path}) is link, cannot continue` : `${p.path} already exists as a link`)
    if (state === 'touch' && info.type === 'link') fail(`${p.path} is a link and follow is false: pgha touches only what a link points to`)
    switch (state) {
      case 'absent':
        return info.exists ? [commandChange(`remove ${p.path}`, `rm -rf -- ${shq(p.path)}`, p.path, {})] : []
      case 'directory':
        return [...(await planDirectory(ctx, p, info)), ...timesChange(p, state, !info.exists)]
      case 'link':
      case 'hard': {
        const changes = await planLink(ctx, { ...p, state }, info, state === 'hard')
        return [...changes, ...timesChange(p, state, !info.exists)]
      }
      case 'touch': {
        const mode = p.mode && resolveMode(p.mode, info.mode, info.type === 'directory')
        const times = timesChange(p, state, false)
        // A time preserved: an existing path is given its attributes (unchanged when it has them) and the other time.
        if (info.exists && times.length === 0) return attrsOnly(info, p)
        if (info.exists && (p.modification_time === 'preserve' || p.access_time === 'preserve')) return [...attrsOnly(info, p), ...times]
        return [commandChange(`touch ${p.path}`, `touch -- ${shq(p.path)}`, p.path, { owner: p.owner, group: p.group, mode })]
      }
      default:
        if (!info.exists) fail(`file (${p.path}) is absent, cannot continue`)
        return [...attrsOnly(info, p), ...timesChange(p, state, false)]
    }
  },
  apply: applyFileOps,
})
