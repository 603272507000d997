// apt_repository: a one-line apt source in /etc/apt/sources.list or sources.list.d, as Ansible's module
// manages it: every sources.list file is read, a source already there (even disabled) is enabled where it
// is, a new one goes to sources.list.d/FILENAME.list (named from the repository's host and path unless
// `filename` is given), `absent` removes every enabled copy, files are written back as Ansible normalizes
// them, a file left empty is removed, and the package lists are updated afterwards (restoring the sources
// when that fails). Launchpad `ppa:` sources need the network on pgha's side and are refused.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { aptSourcesFact, fileFact } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { aptSourceLine } from '../shell/line-formats.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { bool, modeParam } from './lib/params.js'
import { diffText } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'

const SOURCE_PARTS = '/etc/apt/sources.list.d'
const VALID_SOURCE_TYPES = new Set(['deb', 'deb-src'])

const params = z
  .object({
    repo: z.string().min(1, "Please set argument 'repo' to a non-empty value").describe('The source line, e.g. "deb http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main".'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the source should be enabled.'),
    mode: modeParam.describe('Mode of a sources file created (default 0644).'),
    update_cache: bool(true, 'Update the package lists after a change (alias: update-cache).'),
    update_cache_retries: z.coerce.number().int().positive().default(5).describe('How many times to try the update.'),
    update_cache_retry_max_delay: z.coerce.number().int().nonnegative().default(12).describe('Longest wait between tries, in seconds.'),
    filename: z.string().regex(/^[^/\s]+$/, 'filename is a name without "/" or white space').optional().describe('The file in sources.list.d, without .list.'),
    install_python_apt: bool(true, 'Accepted for Ansible compatibility: pgha needs no python3-apt on the host.'),
    validate_certs: bool(true, 'Accepted for Ansible compatibility: it concerns ppa: keys, which pgha refuses.'),
    codename: z.string().optional().describe('Accepted for Ansible compatibility: it concerns ppa: sources, which pgha refuses.'),
  })
  .strict()
  .refine((p) => !p.repo.startsWith('ppa:'), { message: 'ppa: sources need Launchpad over the network; write the deb line and add its key with apt_key', path: ['repo'] })

type Params = z.output<typeof params>

interface SourceLine {
  valid: boolean
  enabled: boolean
  source: string
  comment: string
}

/** Ansible's SourcesList._parse. */
export function parseSource(raw: string): SourceLine {
  let line = raw.trim()
  let enabled = true
  if (line.startsWith('#')) {
    enabled = false
    line = line.slice(1)
  }
  let comment = ''
  const i = line.indexOf('#')
  if (i > 0) {
    comment = line.slice(i + 1).trim()
    line = line.slice(0, i)
  }
  let source = line.trim()
  let valid = false
  if (source) {
    const chunks = source.split(/\s+/)
    if (VALID_SOURCE_TYPES.has(chunks[0])) {
      valid = true
      source = chunks.join(' ')
    }
  }
  return { valid, enabled, source, comment }
}

const renderSource = (s: SourceLine): string => `${s.enabled ? '' : '# '}${s.source}${s.comment ? ` # ${s.comment}` : ''}\n`

/** Ansible's _suggest_filename: the repository's host and path, with what is not a letter or digit as '_'. */
export function suggestFilename(source: string, filename?: string): string {
  if (filename !== undefined) return `${filename}.list`
  const line = source.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '')
  const parts = line.split(/\s+/).filter((p) => p !== '' && !VALID_SOURCE_TYPES.has(p))
  const first = parts[0]?.includes('@') ? parts[0].split('@').slice(1).join('@') : parts[0] ?? ''
  return `${first.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter(Boolean).join('_')}.list`
}

/** The sources files after the change (path -> lines), as Ansible's add_source/remove_source leave them. */
export function editSources(files: Map<string, SourceLine[]>, p: Params): Map<string, SourceLine[]> {
  const out = new Map([...files].map(([f, lines]) => [f, lines.map((l) => ({ ...l }))]))
  const wanted = parseSource(aptSourceLine(p.repo))
  if (!wanted.valid || !wanted.enabled) throw new PghaError('task', `Invalid repository string: ${p.repo}`)
  if (p.state === 'present') {
    let found = false
    for (const lines of out.values()) {
      for (const l of lines) {
        if (l.valid && l.source === wanted.source) {
          l.enabled = true
          found = true
        }
      }
    }
    if (!found) {
      const name = suggestFilename(wanted.source, p.filename)
      const file = name.includes('/') ? name : `${SOURCE_PARTS}/${name}`
      out.set(file, [...(out.get(file) ?? []), { valid: true, enabled: true, source: wanted.source, comment: '' }])
    }
  } else {
    for (const [f, lines] of out) out.set(f, lines.filter((l) => !(l.valid && l.enabled && l.source === wanted.source)))
  }
  return out
}

/** Each file's text as Ansible's dump() writes it; files without lines are absent. */
const dump = (files: Map<string, SourceLine[]>): Map<string, string> =>
  new Map([...files].filter(([, l]) => l.length > 0).map(([f, lines]) => [f, lines.map(renderSource).join('')]))

type SourcesOp = { files: { path: string; content?: string; mode?: string }[]; restore: { path: string; content?: string }[] }

export default defineModule({
  name: 'apt_repository',
  description: 'Add or remove a one-line apt source in sources.list(.d).',
  params,
  aliases: { 'update-cache': 'update_cache' },
  reads: () => [{ def: aptSourcesFact, args: {} }],
  async plan(ctx, p) {
    const actual = await ctx.fact(aptSourcesFact, {})
    const files = new Map(actual.map((f) => [f.path, f.text === '' ? [] : f.text.replace(/\n$/, '').split('\n').map(parseSource)]))
    const before = dump(files)
    const after = dump(editSources(files, p))
    const result = { repo: p.repo, state: p.state }
    const paths = [...new Set([...before.keys(), ...after.keys()])]
    if (paths.every((f) => before.get(f) === after.get(f))) return { changes: [], result }
    // As Ansible's save(): every file is written as it dumps (normalizing the others too), an emptied one removed.
    const text = new Map(actual.map((f) => [f.path, f.text]))
    const writes: SourcesOp['files'] = []
    for (const f of paths) {
      const content = after.get(f)
      if (content === text.get(f)) continue
      if (content === undefined && !text.has(f)) continue
      const isNew = !text.has(f)
      writes.push({ path: f, content, mode: isNew ? resolveMode(p.mode ?? '0644', undefined, false) : undefined })
    }
    const restore = writes.map((w) => ({ path: w.path, content: text.get(w.path) }))
    const changes: Change<SourcesOp>[] = paths
      .filter((f) => before.get(f) !== after.get(f))
      .map((f) => ({ description: `${after.has(f) ? 'write' : 'remove'} ${f}`, path: f, before: diffText(before.get(f)), after: diffText(after.get(f)), data: { files: [], restore: [] } }))
    changes[0].data = { files: writes, restore }
    return { changes, result }
  },
  async apply(ctx, p, plan) {
    const op = plan.changes[0].data
    const put = async (files: { path: string; content?: string; mode?: string }[]): Promise<void> => {
      for (const f of files) {
        if (f.content !== undefined) await ctx.writeFile(f.path, f.content, f.mode ? { mode: f.mode } : {})
        else {
          const r = await ctx.exec(`rm -f -- ${shq(f.path)}`)
          if (r.rc !== 0) throw new PghaError('task', `cannot remove ${f.path}: ${r.stderr.trim()}`)
        }
      }
    }
    try {
      await put(op.files)
      if (p.update_cache) await updateCache(ctx, p)
    } catch (err) {
      // As Ansible: the sources are put back when they cannot be saved or the lists cannot be updated.
      await put(op.restore)
      throw err
    } finally {
      ctx.invalidate(aptSourcesFact)
      ctx.invalidate(fileFact)
    }
  },
})

/** apt-get update, tried update_cache_retries times with Ansible's growing delay (capped). */
async function updateCache(ctx: ModuleContext, p: Params): Promise<void> {
  let err = ''
  for (let retry = 0; retry < p.update_cache_retries; retry++) {
    const r = await ctx.exec('DEBIAN_FRONTEND=noninteractive apt-get update -q')
    if (r.rc === 0) return
    err = (r.stderr || r.stdout).trim()
    if (retry + 1 < p.update_cache_retries) await ctx.sleep(Math.min(2 ** retry, p.update_cache_retry_max_delay) * 1000)
  }
  throw new PghaError('task', `Failed to update apt cache: ${err || 'unknown reason'}`)
}
