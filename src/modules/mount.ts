// mount (ansible.posix.mount): a file system's line in fstab and whether it is mounted, with Ansible's rules:
// the line is found by its mount point (a swap line by its source too) and rewritten with single spaces when a
// field differs, added at the end when missing, removed by absent; a space, '&' and '\' are written as fstab's
// octal escapes; mounted mounts what is not mounted (creating the mount point) and remounts what is mounted
// when its line changed; a failed mount puts the old fstab back. Planned from the fstab text and findmnt, so
// check mode and --diff are exact; the file is replaced atomically.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, mountFact } from '../facts/index.js'
import { commandLine, shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { bool } from './lib/params.js'
import { diffText } from './lib/file-plan.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { hostPathParam } from './lib/value-kinds.js'

/** White space fstab has no escape for here: the fields are separated by it and a line ends at a newline. */
const BREAKS = /[\t\n\r\v\f\0]/
const noBreak = (what: string) => (v: string) => !BREAKS.test(v) || `${what} cannot hold a tab, a line break or NUL (fstab has no escape for them)`
const field = (what: string) => z.string().min(1).superRefine((v, ctx) => {
  const ok = noBreak(what)(v)
  if (ok !== true) ctx.addIssue({ code: 'custom', message: ok })
})
const number = (what: string) => z.union([z.string(), z.number().int().min(0).transform(String)]).pipe(z.string().regex(/^\d+$/, `${what} is a number`)).default('0')

const STATES = ['mounted', 'present', 'unmounted', 'absent', 'absent_from_fstab', 'remounted'] as const

const params = z
  .object({
    path: field('path').refine((v) => v === 'none' || v.startsWith('/'), 'path is an absolute path (or none, for swap)').describe('The mount point (none for swap).'),
    src: field('src').optional().describe('The device, label, UUID= or remote file system to mount (required with present and mounted).'),
    fstype: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'fstype is a file system type such as ext4, xfs, nfs4').optional().describe('The file system type (required with present and mounted).'),
    opts: field('opts').optional().describe('Mount options, comma-separated (default "defaults").'),
    dump: number('dump').describe('The dump field.'),
    passno: number('passno').describe('The fsck order field.'),
    state: z.enum(STATES).describe('mounted (in fstab and mounted), present (in fstab only), unmounted, absent (out of fstab and unmounted), absent_from_fstab, remounted.'),
    fstab: hostPathParam().default('/etc/fstab').describe('The fstab file to edit; mount and remount read it with -T when it is not /etc/fstab.'),
    boot: bool(true, 'Mount at boot; false adds noauto to opts.'),
    backup: bool(false, 'Keep a timestamped copy of fstab before changing it (backup_file in the result).'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.state !== 'mounted' && p.state !== 'present') return
    for (const k of ['src', 'fstype'] as const) if (p[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `state is ${p.state} but all of the following are missing: ${k}` })
  })

type Params = z.output<typeof params>

/** Ansible's _escape_fstab: backslash, space and ampersand as octal escapes. */
export const escapeFstab = (v: string): string => v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046')

/** The fields the line would have: opts with noauto when boot is false. */
function wanted(p: Params): Record<'src' | 'name' | 'fstype' | 'opts' | 'dump' | 'passno', string> {
  const opts = (p.opts ?? 'defaults').split(',')
  if (!p.boot && !opts.includes('noauto')) opts.push('noauto')
  return { src: p.src ?? '', name: p.path, fstype: p.fstype ?? '', opts: opts.join(','), dump: p.dump, passno: p.passno }
}

const LABELS = ['src', 'name', 'fstype', 'opts', 'dump', 'passno'] as const
const lineOf = (f: Record<(typeof LABELS)[number], string | undefined>): string => `${LABELS.map((k) => f[k]).join(' ')}\n`

const splitLines = (text: string): string[] => (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((l) => (l.endsWith('\n') ? l : `${l}\n`))

/** Whether a parsed line is the one for this mount point (a swap line: and this source). */
const matches = (ld: Partial<Record<(typeof LABELS)[number], string>>, name: string, src: string | undefined): boolean =>
  ld.name === name && !(src !== undefined && ld.name === 'none' && ld.fstype === 'swap' && ld.src !== escapeFstab(src))

/** fstab with the mount's line set, as Ansible's set_mount writes it; `changed` when it differs. */
export function setMount(text: string, p: Params): { after: string; changed: boolean } {
  const want = Object.fromEntries(Object.entries(wanted(p)).map(([k, v]) => [k, escapeFstab(v)])) as ReturnType<typeof wanted>
  const out: string[] = []
  let exists = false
  let changed = false
  for (const line of splitLines(text)) {
    const fields = line.split('#')[0].split(/\s+/).filter(Boolean)
    if (!line.trim() || line.trim().startsWith('#') || fields.length < 4 || fields.length > 6) {
      out.push(line)
      continue
    }
    const ld: Partial<Record<(typeof LABELS)[number], string>> = {}
    fields.forEach((f, i) => (ld[LABELS[i]] = f))
    if (!matches(ld, want.name, p.src)) {
      out.push(line)
      continue
    }
    exists = true
    // A line without dump and passno is rewritten with them, as Ansible's comparison of its 0 with '0' does.
    let differs = false
    for (const k of ['src', 'fstype', 'opts', 'dump', 'passno'] as const) {
      if (ld[k] !== want[k]) {
        ld[k] = want[k]
        differs = true
      }
    }
    if (differs) changed = true
    out.push(differs ? lineOf(ld as Record<(typeof LABELS)[number], string>) : line)
  }
  if (!exists) {
    out.push(lineOf(want))
    changed = true
  }
  return { after: out.join(''), changed }
}

/** fstab without the mount's line (Ansible's unset_mount considers only lines of exactly six fields). */
export function unsetMount(text: string, p: Params): { after: string; changed: boolean } {
  const name = escapeFstab(p.path)
  const lines = splitLines(text)
  const kept = lines.filter((line) => {
    const fields = line.split(/\s+/).filter(Boolean)
    if (!line.trim() || line.trim().startsWith('#') || fields.length !== 6) return true
    const ld = Object.fromEntries(fields.map((f, i) => [LABELS[i], f]))
    return !matches(ld, name, p.src)
  })
  return { after: kept.join(''), changed: kept.length !== lines.length }
}

/** `-T FSTAB` when the fstab is not the system's, as Ansible passes it to mount. */
const fstabFlag = (p: Params) => p.fstab !== '/etc/fstab' && (['-T', p.fstab] as const)
const mountCommand = (p: Params) => `mkdir -p -- ${shq(p.path)} && ${commandLine('mount', [fstabFlag(p)], [p.path])}`
const umountCommand = (p: Params) => commandLine('umount', [], [p.path])
/** mount -o remount, and when the file system refuses that, umount and mount (Ansible's remount). */
function remountCommand(p: Params): string {
  const opts = p.state === 'remounted' && p.opts !== undefined && p.opts !== 'defaults' ? `remount,${p.opts}` : 'remount'
  const remount = commandLine('mount', [['-o', opts], fstabFlag(p)], [p.path])
  // Options given to remounted must not be dropped by the fallback: Ansible fails then.
  return opts === 'remount' ? `${remount} || { ${umountCommand(p)} && ${commandLine('mount', [fstabFlag(p)], [p.path])}; }` : remount
}

/** The fstab write carries the text it replaces, which a failed mount puts back. */
type MountData = FileOp & { restore?: string }

export default defineModule({
  name: 'mount',
  description: 'Keep a file system in fstab and mounted, unmounted or out of fstab (ansible.posix.mount).',
  params,
  aliases: { name: 'path' },
  reads: (p) => [{ def: fileFact, args: fstabArgs(p) }, { def: mountFact, args: { path: p.path } }],
  async plan(ctx, p) {
    const { text, realpath } = await readFstab(ctx, p)
    const mounted = (await ctx.fact(mountFact, { path: p.path })) !== null
    const changes: Change<MountData>[] = []
    const write = (after: string, verb: string): void => {
      changes.push({ description: `${verb} ${p.path} in ${realpath}`, path: realpath, before: diffText(text), after, data: { op: 'write', path: realpath, content: after, options: { backup: p.backup }, restore: text } })
    }
    const step = (description: string, command: string): void => {
      changes.push({ description, data: { op: 'sh', command } })
    }
    if (p.state === 'absent' || p.state === 'absent_from_fstab') {
      const { after, changed } = unsetMount(text, p)
      if (changed) write(after, 'remove')
      if (changed && p.state === 'absent') {
        if (mounted) step(`unmount ${p.path}`, umountCommand(p))
        step(`remove the mount point ${p.path} if it is there`, `[ ! -e ${shq(p.path)} ] || rmdir -- ${shq(p.path)}`)
      }
    } else if (p.state === 'present' || p.state === 'mounted') {
      const { after, changed } = setMount(text, p)
      if (changed) write(after, 'set')
      if (p.state === 'mounted' && !mounted) step(`mount ${p.path}`, mountCommand(p))
      else if (p.state === 'mounted' && changed) step(`remount ${p.path}`, remountCommand(p))
    } else if (p.state === 'unmounted') {
      if (mounted) step(`unmount ${p.path}`, umountCommand(p))
    } else {
      step(`remount ${p.path}`, remountCommand(p))
    }
    const w = wanted(p)
    return { changes, result: { name: p.path, src: p.src, fstype: p.fstype, opts: w.opts, dump: p.dump, passno: p.passno, fstab: p.fstab, boot: p.boot ? 'yes' : 'no' } }
  },
  async apply(ctx, p, plan) {
    try {
      return await applyFileOps(ctx, p, plan)
    } catch (err) {
      // A line that does not mount must not stay in fstab to break the next boot: the old text goes back.
      const written = plan.changes.find((c) => c.data.op === 'write')?.data
      if (written?.op === 'write' && written.restore !== undefined && p.state === 'mounted') await ctx.writeFile(written.path, written.restore, {}).catch(() => undefined)
      throw err
    } finally {
      ctx.invalidate(mountFact)
    }
  },
})

const fstabArgs = (p: Params) => ({ path: p.fstab, follow: true, content: 4 * 1024 * 1024 })

/** The fstab's text (empty when it does not exist yet: Ansible creates it) and the file a write replaces. */
async function readFstab(ctx: ModuleContext, p: Params): Promise<{ text: string; realpath: string }> {
  const info = await ctx.fact(fileFact, fstabArgs(p))
  if (info.exists && info.type !== 'file') throw new PghaError('task', `${p.fstab} is not a regular file`)
  if (info.exists && info.content === undefined) throw new PghaError('task', `${p.fstab} cannot be read as text`)
  return { text: info.content ?? '', realpath: info.realpath ?? p.fstab }
}
