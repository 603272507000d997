// yum_repository: one repository section of a .repo file in reposdir (/etc/yum.repos.d), as Ansible's
// module writes it: the section is rebuilt from the parameters given (keys sorted, booleans as 0/1, lists
// joined), other sections are kept, a file left without sections is removed, and changed/--diff compare
// the files' sorted dumps, as Ansible's do. Values are refused when they hold a line break.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact } from '../facts/index.js'
import { iniSection, iniValue } from '../shell/line-formats.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { attrParams } from './lib/params.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { planAttrs } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { dumpIni, parseIni, writeIni } from './lib/ini-file.js'
import { editRead } from './lib/text-edit.js'
import { absolutePathParam, fileNameParam, isFileName } from './lib/value-kinds.js'

const text = (what: string) => z.union([z.string(), z.number().transform(String)]).optional().describe(what)
const flag = (what: string) => optionalBool(what)

/** The repository options Ansible's module writes, each as the .repo key of the same name. */
const options = {
  async: flag('Parallel downloads of repository metadata (yum only).'),
  bandwidth: text('Maximum network bandwidth used.'),
  baseurl: stringList().optional().describe('URLs of the repository (one or a list).'),
  cost: text('Relative cost of the repository.'),
  deltarpm_metadata_percentage: text('When to download deltarpm metadata.'),
  deltarpm_percentage: text('When to use deltarpms.'),
  enabled: flag('Use the repository.'),
  enablegroups: flag('Use package groups of the repository.'),
  exclude: stringList().optional().describe('Packages to exclude (globs).'),
  failovermethod: z.enum(['roundrobin', 'priority']).optional().describe('How to pick a baseurl.'),
  gpgcakey: text('CA key for the repository\'s GPG key.'),
  gpgcheck: flag('Check package signatures.'),
  gpgkey: stringList().optional().describe('URLs of the GPG keys.'),
  module_hotfixes: flag('Disable module RPM filtering.'),
  http_caching: z.enum(['all', 'packages', 'none']).optional().describe('What HTTP caches may keep.'),
  include: text('A configuration file or URL to include.'),
  includepkgs: stringList().optional().describe('Only these packages (globs).'),
  ip_resolve: z.enum(['4', '6', 'IPv4', 'IPv6', 'whatever']).optional().describe('IP version.'),
  keepalive: flag('HTTP keepalive.'),
  keepcache: z.enum(['0', '1']).optional().describe('Keep downloaded packages.'),
  metadata_expire: text('Time after which metadata expires.'),
  metadata_expire_filter: z.enum(['never', 'read-only:past', 'read-only:present', 'read-only:future']).optional().describe('Which commands metadata_expire applies to.'),
  metalink: text('Metalink URL.'),
  mirrorlist: text('Mirror list URL.'),
  mirrorlist_expire: text('Time after which the mirror list expires.'),
  password: text('HTTP password.'),
  priority: text('Priority (1-99).'),
  protect: flag('Protect the repository from updates by others.'),
  proxy: text('Proxy URL, or _none_.'),
  proxy_password: text('Proxy password.'),
  proxy_username: text('Proxy user.'),
  repo_gpgcheck: flag('Check the repository metadata signature.'),
  retries: text('Download retries.'),
  s3_enabled: flag('The repository is on S3.'),
  skip_if_unavailable: flag('Skip the repository when it cannot be reached.'),
  sslcacert: text('CA certificate file (alias: ca_cert).'),
  ssl_check_cert_permissions: flag('Check the permissions of the SSL files.'),
  sslclientcert: text('Client certificate file (alias: client_cert).'),
  sslclientkey: text('Client key file (alias: client_key).'),
  sslverify: flag('Verify the server certificate (alias: validate_certs).'),
  throttle: text('Bandwidth throttle.'),
  timeout: text('Connection timeout in seconds.'),
  ui_repoid_vars: text('Variables appended to the repository id in output.'),
  username: text('HTTP user.'),
}

const params = z
  .object({
    name: z.string().min(1).describe('The repository id: the section name.'),
    description: z.string().optional().describe('The repository\'s human name (its `name` key); required with state=present.'),
    file: fileNameParam().optional().describe('The file name without .repo; default: name.'),
    reposdir: absolutePathParam().default('/etc/yum.repos.d').describe('The directory of the .repo files (it must exist).'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the section should be in the file.'),
    ...options,
    ...attrParams,
  })
  .strict()
  .refine((p) => p.state === 'absent' || p.baseurl !== undefined || p.metalink !== undefined || p.mirrorlist !== undefined, { message: "Parameter 'baseurl', 'metalink' or 'mirrorlist' is required." })
  .refine((p) => p.state === 'absent' || p.description !== undefined, { message: "Parameter 'description' is required.", path: ['description'] })
  // The repository id names the file when `file` does not: it must not leave reposdir either.
  .refine((p) => p.file !== undefined || isFileName(p.name) === undefined, { message: 'without file, name is the file name too: it cannot hold "/" or be "." or ".."', path: ['name'] })

type Params = z.output<typeof params>

const LISTS_SPACED = new Set(['exclude', 'includepkgs'])

/** The section's keys, sorted as Ansible adds them, from the parameters given. */
export function repoSection(p: Params): Map<string, string> {
  const values: Record<string, unknown> = { ...p, name: p.description }
  const out = new Map<string, string>()
  for (const key of [...Object.keys(options), 'name'].sort()) {
    const v = values[key]
    if (v === undefined) continue
    const value = Array.isArray(v) ? v.map(iniValue).join(LISTS_SPACED.has(key) ? ' ' : '\n') : typeof v === 'boolean' ? (v ? '1' : '0') : iniValue(String(v))
    out.set(key, value)
  }
  return out
}

export default defineModule({
  name: 'yum_repository',
  description: 'Add or remove a repository section of a yum .repo file.',
  params,
  // Written into the .repo file, so shown by --diff: secret even when the task writes them literally.
  secretArgs: ['password', 'proxy_password'],
  aliases: { ca_cert: 'sslcacert', client_cert: 'sslclientcert', client_key: 'sslclientkey', validate_certs: 'sslverify' },
  reads: (p) => [editRead(`${p.reposdir}/${p.file ?? p.name}.repo`), { def: fileFact, args: { path: p.reposdir } }],
  async plan(ctx, p) {
    const section = iniSection(p.name)
    const dir = await ctx.fact(fileFact, { path: p.reposdir })
    if (dir.type !== 'directory') throw new PghaError('task', `Repo directory '${p.reposdir}' does not exist.`)
    const dest = `${p.reposdir}/${p.file ?? p.name}.repo`
    const { def, args } = editRead(dest)
    const info = await ctx.fact(def, args)
    if (info.exists && info.content === undefined) throw new PghaError('task', `${dest} cannot be read as text`)
    const sections = parseIni(info.content ?? '')
    const before = dumpIni(sections)
    sections.delete(section)
    if (p.state === 'present') sections.set(section, repoSection(p))
    const after = dumpIni(sections)
    const result = { repo: p.name, state: p.state }
    const changes: Change<FileOp>[] = []
    if (before !== after) {
      const data: FileOp = sections.size > 0 ? { op: 'write', path: dest, content: writeIni(sections), options: {} } : { op: 'sh', command: `rm -f -- ${shq(dest)}` }
      changes.push({ description: `${sections.size > 0 ? 'write' : 'remove'} ${dest}`, path: dest, before, after, data })
    }
    // Owner, group and mode apply to the file that remains, as Ansible's file arguments do.
    if (sections.size > 0 && (p.owner !== undefined || p.group !== undefined || p.mode !== undefined)) {
      if (changes.length > 0) {
        const op = changes[0].data
        const mode = p.mode === undefined ? undefined : resolveMode(p.mode, info.exists ? info.mode : undefined, false)
        if (op.op === 'write') op.options = Object.fromEntries(Object.entries({ owner: p.owner, group: p.group, mode }).filter(([, v]) => v !== undefined))
      } else if (info.exists) {
        const attrs = planAttrs({ ...info, path: dest }, p)
        if (attrs) changes.push(attrs)
      }
    }
    return { changes, result }
  },
  apply: applyFileOps,
})
