// unarchive: unpacks a tar/tar.gz/zip archive (from the controller's files/, or already on the host with
// remote_src) into an existing directory. Planning: `creates` decides when given; otherwise the archive is
// listed (in-process for a controller tar, tar -t/unzip -Z1 on the host for remote_src) and it is unpacked
// when any listed entry is missing under dest. Existing entries are not compared by content or date.
// owner, group and mode are given to the unpacked entries (recursively from the archive's top-level names).
import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { archiveListFact, fileFact, missingFact } from '../facts/index.js'
import { pathOperand, shq } from '../shell/index.js'
import { defineModule, type Change, type Plan } from './types.js'
import { modeParam } from './lib/params.js'
import { listOf, optionalBool } from './lib/list-param.js'
import { readLocal } from './lib/copy-plan.js'
import { chownSpec } from './lib/file-plan.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { listTar } from './lib/tar-list.js'
import { absolutePathParam, hostPathParam, ownerParam } from './lib/value-kinds.js'

/** Entries checked under dest; a bigger archive is judged by its first ones (top-level dirs come first). */
const CHECK_MAX = 1000

const params = z
  .object({
    src: hostPathParam().describe("The archive: a controller file under files/, or a path on the host with remote_src."),
    dest: absolutePathParam().describe('Existing absolute directory on the host to unpack into.'),
    remote_src: optionalBool('src is already on the host (default false).'),
    copy: optionalBool("Ansible's older name for the opposite of remote_src (copy: false is remote_src: true); not with remote_src."),
    creates: hostPathParam().optional().describe('Skip when this path exists on the host.'),
    extra_opts: listOf(z.string()).default([]).describe('Extra options for tar (or unzip), e.g. [--strip-components=1].'),
    owner: ownerParam().optional().describe('Owner to give the unpacked entries (chown -R).'),
    group: ownerParam().optional().describe('Group to give the unpacked entries (chown -R).'),
    mode: modeParam.describe("Permissions to give the unpacked entries (chmod -R): octal '0755' or symbolic 'u=rwX,g=rX,o=rX'."),
  })
  .strict()
  .refine((p) => p.copy === undefined || p.remote_src === undefined, { message: 'copy and remote_src are mutually exclusive (copy is the older, opposite name of remote_src)' })
  .transform(({ copy, ...p }) => ({ ...p, remote_src: p.remote_src ?? (copy === undefined ? false : !copy) }))

type Params = z.output<typeof params>

/** Entry names as they land under dest: ./ and trailing / removed, --strip-components applied. */
function landed(names: string[], extra: string[]): string[] {
  const opt = extra.join(' ').match(/--strip-components[= ](\d+)/)
  const strip = opt ? Number(opt[1]) : 0
  const out = new Set<string>()
  for (const n of names) {
    const parts = n.replace(/^\.\//, '').split('/').filter((x) => x !== '' && x !== '.')
    if (parts.length > strip) out.add(parts.slice(strip).join('/'))
  }
  return [...out]
}

function unpackCommand(p: Params, archive: string, entries: string[] | undefined, cleanup: boolean): string {
  const zip = /\.zip$/i.test(p.src)
  const extra = p.extra_opts.map(shq)
  // The archive and dest are values of tar's -f and -C; unzip has no `--`, so its archive is a path operand.
  const cmd = zip ? ['unzip -o -q', ...extra, shq(pathOperand(archive)), '-d', shq(p.dest)] : ['tar -xf', shq(archive), '-C', shq(p.dest), ...extra]
  const lines = [`${cmd.join(' ')}; rc=$?`]
  if (cleanup) lines.push(`rm -f -- ${shq(archive)}`)
  const spec = chownSpec(p)
  const top = [...new Set((entries ?? []).map((e) => e.split('/')[0]))]
  if (spec !== undefined && top.length) lines.push(`[ $rc -ne 0 ] || (cd -- ${shq(p.dest)} && chown -R -- ${spec} ${top.map(shq).join(' ')}) || rc=$?`)
  if (p.mode !== undefined && top.length) lines.push(`[ $rc -ne 0 ] || (cd -- ${shq(p.dest)} && chmod -R -- ${shq(p.mode)} ${top.map(shq).join(' ')}) || rc=$?`)
  lines.push('exit $rc')
  return lines.join('\n')
}

export default defineModule({
  name: 'unarchive',
  description: 'Unpack a tar, tar.gz or zip archive into a directory on the host',
  params,
  // `creates`, which decides alone when it exists; the archive's entries are read when it does not.
  reads: (p) => (p.creates === undefined ? [] : [{ def: fileFact, args: { path: p.creates } }]),
  async plan(ctx, p): Promise<Plan<FileOp>> {
    if (p.creates !== undefined && (await ctx.fact(fileFact, { path: p.creates })).exists) return { changes: [] }
    const local = p.remote_src ? undefined : ctx.resolveLocal('files', p.src)
    let names: string[] | undefined
    if (local) names = listTar(readLocal('unarchive', local, Infinity))
    else names = await ctx.fact(archiveListFact, { src: p.src })
    const entries = names && landed(names, p.extra_opts)
    if (entries === undefined && p.mode !== undefined) throw new PghaError('task', `mode needs the archive's entries, and ${p.src} is not a tar archive pgha can list on the controller`)
    const state = await ctx.fact(missingFact, { base: p.dest, paths: (entries ?? []).slice(0, CHECK_MAX) })
    if (!state.dirExists) throw new PghaError('task', `dest ${p.dest} must be an existing directory`)
    if (entries && state.missing.length === 0) return { changes: [] }
    const changes: Change<FileOp>[] = []
    let archive = p.src
    if (local) {
      archive = `/tmp/pgha-unarchive-${randomBytes(6).toString('hex')}-${basename(p.src)}`
      const op: FileOp = { op: 'put', local, path: archive, options: { mode: '0600' } }
      changes.push({ description: `upload ${p.src} to the host`, data: op })
    }
    const op: FileOp = { op: 'sh', command: unpackCommand(p, archive, entries, !!local) }
    const why = entries ? ` (${state.missing.length} missing entr${state.missing.length === 1 ? 'y' : 'ies'})` : ''
    changes.push({ description: `unpack ${p.src} into ${p.dest}${why}`, data: op })
    // A controller archive that is not a tar cannot be listed here: it is unpacked every run unless `creates`.
    return { changes, unpredictable: entries === undefined }
  },
  apply: applyFileOps,
})
