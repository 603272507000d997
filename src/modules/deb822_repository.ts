// deb822_repository: an apt source in the deb822 format, /etc/apt/sources.list.d/NAME.sources, one
// stanza built from the parameters (X-Repolib-Name, then the options in Ansible's order, booleans yes/no,
// lists space-separated, an inline signing key as a multi-line Signed-By), written when it differs;
// absent removes the file. A Signed-By URL would be fetched by pgha on the host's behalf: refused.
import { z } from 'zod'
import { shq } from '../shell/index.js'
import { deb822Multiline, deb822Value } from '../shell/line-formats.js'
import { defineModule, type Change } from './types.js'
import { bool, modeParam } from './lib/params.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { planContent } from './lib/file-plan.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { editRead } from './lib/text-edit.js'

const list = (what: string) => stringList().optional().describe(what)

/** The stanza's fields in the order they are written, each with its deb822 name. */
const FIELDS = [
  ['types', 'Types'], ['uris', 'URIs'], ['suites', 'Suites'], ['components', 'Components'], ['architectures', 'Architectures'],
  ['languages', 'Languages'], ['targets', 'Targets'], ['pdiffs', 'PDiffs'], ['by_hash', 'By-Hash'], ['allow_insecure', 'Allow-Insecure'],
  ['allow_weak', 'Allow-Weak'], ['allow_downgrade_to_insecure', 'Allow-Downgrade-To-Insecure'], ['trusted', 'Trusted'],
  ['signed_by', 'Signed-By'], ['check_valid_until', 'Check-Valid-Until'], ['valid_until_min', 'Valid-Until-Min'],
  ['valid_until_max', 'Valid-Until-Max'], ['check_date', 'Check-Date'], ['date_max_future', 'Date-Max-Future'],
  ['inrelease_path', 'InRelease-Path'], ['enabled', 'Enabled'],
] as const

const params = z
  .object({
    name: z.string().min(1).describe('The repository\'s name: X-Repolib-Name, and the file name unless filename is given.'),
    filename: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'filename is a name of letters, digits and "_.-"').optional().describe('The file in sources.list.d, without .sources.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the file should be there.'),
    mode: modeParam.describe('Mode of the .sources file (default 0644).'),
    types: stringList().default(['deb']).refine((l) => l.every((t) => t === 'deb' || t === 'deb-src'), { message: 'types are deb and deb-src' }).describe('deb and/or deb-src.'),
    uris: list('Repository URIs; required with state=present.'),
    suites: list('Suites (bookworm-pgdg, or a path ending in / for a flat repository); required with state=present.'),
    components: list('Components (main, ...).'),
    architectures: list('Architectures to fetch.'),
    languages: list('Translations to fetch.'),
    targets: list('Index targets to fetch.'),
    pdiffs: optionalBool('Use PDiffs for index updates.'),
    by_hash: optionalBool('Fetch indexes by hash.'),
    allow_insecure: optionalBool('Allow an unsigned repository.'),
    allow_weak: optionalBool('Allow weak signatures.'),
    allow_downgrade_to_insecure: optionalBool('Allow a signed repository to become unsigned.'),
    trusted: optionalBool('Trust the repository without signatures.'),
    signed_by: z.string().optional().refine((v) => v === undefined || !/^[a-z]+:\/\//.test(v), {
      message: "pgha does not fetch keys on the hosts' behalf: give the key's path on the host (copy it there first) or the key itself",
    }).describe('A keyring path on the host, fingerprints, or the armored key itself.'),
    check_valid_until: optionalBool('Check the Release file\'s Valid-Until.'),
    valid_until_min: z.coerce.number().int().optional().describe('Minimum validity in seconds.'),
    valid_until_max: z.coerce.number().int().optional().describe('Maximum validity in seconds.'),
    check_date: optionalBool('Check the Release file\'s date.'),
    date_max_future: z.coerce.number().int().optional().describe('Seconds the Release date may be in the future.'),
    inrelease_path: z.string().optional().describe('Path of the InRelease file.'),
    enabled: optionalBool('Whether apt uses the source.'),
    install_python_debian: bool(false, 'Accepted for Ansible compatibility: pgha needs no python3-debian on the host.'),
  })
  .strict()
  .refine((p) => p.state === 'absent' || (p.uris !== undefined && p.suites !== undefined), { message: 'uris and suites are required with state=present' })

type Params = z.output<typeof params>

/** The .sources file's text. */
export function sourcesStanza(p: Params): string {
  const lines = [`X-Repolib-Name: ${deb822Value(p.name)}`]
  for (const [key, field] of FIELDS) {
    const v = p[key]
    if (v === undefined) continue
    const value = Array.isArray(v) ? v.map(deb822Value).join(' ')
      : typeof v === 'boolean' ? (v ? 'yes' : 'no')
      : key === 'signed_by' && String(v).includes('\n') ? deb822Multiline(String(v))
      : deb822Value(String(v))
    lines.push(`${field}: ${value}`)
  }
  return `${lines.join('\n')}\n`
}

export const sourcesPath = (p: Params): string => `/etc/apt/sources.list.d/${p.filename ?? p.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.sources`

export default defineModule({
  name: 'deb822_repository',
  description: 'Add or remove an apt source in the deb822 format (.sources).',
  params,
  reads: (p) => [editRead(sourcesPath(p))],
  async plan(ctx, p) {
    const dest = sourcesPath(p)
    const { def, args } = editRead(dest)
    const info = await ctx.fact(def, args)
    const result = { repo: p.state === 'present' ? sourcesStanza(p) : undefined, dest, state: p.state }
    if (p.state === 'absent') {
      if (!info.exists) return { changes: [], result }
      const change: Change<FileOp> = { description: `remove ${dest}`, path: dest, before: info.content ?? '', after: '', data: { op: 'sh', command: `rm -f -- ${shq(dest)}` } }
      return { changes: [change], result }
    }
    return { changes: planContent({ ...info, path: dest }, { content: sourcesStanza(p), mode: p.mode ?? '0644' }), result }
  },
  apply: applyFileOps,
})
