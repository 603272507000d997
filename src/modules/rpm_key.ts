// rpm_key: a GPG key in rpm's database, as Ansible's module keeps it. The key is a URL (downloaded on the
// host with curl or wget), a key id, or a key file on the host; its id is read with gpg and compared with
// the ids of rpm's gpg-pubkey packages. Plan reads both in one command (downloading a URL into a temporary
// file it removes, as Ansible's module fetches it in check mode too); apply imports or erases.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { shq } from '../shell/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { downloadLines, redactUrl } from './lib/host-download.js'

const params = z
  .object({
    key: z.string().min(1).describe('The key: a URL, a key id (8 or more hex digits, 0x allowed), or a key file on the host.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the key should be imported.'),
    fingerprint: z.string().optional().describe('The long-form fingerprint the key must have to be imported (spaces ignored).'),
    validate_certs: bool(true, 'Check the certificate of an https URL (no: curl -k / wget --no-check-certificate).'),
  })
  .strict()

type Params = z.output<typeof params>

/** gpg or gpg2, as Ansible's module looks for them. */
const GPG = `g=$(command -v gpg || command -v gpg2) || { echo 'rpm_key needs gpg (or gpg2) on the host' >&2; exit 1; }`
const LISTED = '"$g" --no-tty --batch --with-colons --fixed-list-mode'
const SPLIT = '@@pgha-imported@@'

/** Ansible's is_keyid: text that starts with 8 hex digits (0x allowed) names a key by its id. */
const isKeyId = (key: string): boolean => /^(0x)?[0-9a-f]{8}/i.test(key)
const normalize = (id: string): string => id.trim().toUpperCase().replace(/^0X/, '')

/** Where the key's own text is: a URL, a file, or nowhere (a key id). */
function keySource(key: string): 'url' | 'id' | 'file' {
  return key.includes('://') ? 'url' : isKeyId(key) ? 'id' : 'file'
}

/** Lines that put the key file's path in "$k" (downloading a URL into a temporary file). */
function keyFileLines(p: Params): string[] {
  if (keySource(p.key) === 'url') {
    return [`t=$(mktemp) || exit 1; trap 'rm -f "$t"' EXIT`, ...downloadLines(p.key, { validateCerts: p.validate_certs, timeout: 10, module: 'rpm_key' }), 'k="$t"']
  }
  return [`k=${shq(p.key)}`, `[ -f "$k" ] || { echo ${shq(`Not a valid key ${p.key}`)} >&2; exit 1; }`]
}

/** The plan's read: the key's colon listing (with its fingerprint) unless it is an id, then the imported keys'. */
function readScript(p: Params): string {
  const own = keySource(p.key) === 'id' ? [] : [...keyFileLines(p), `${LISTED} --with-fingerprint "$k" || exit 1`]
  return [GPG, ...own, `echo ${SPLIT}`, `if rpm -q gpg-pubkey >/dev/null 2>&1; then rpm -q gpg-pubkey --qf '%{description}' | ${LISTED} - || exit 1; fi`].join('\n')
}

/** A colon listing's field of its first line of a kind: pub's field 5 is the key id, fpr's field 10 the fingerprint. */
const field = (listing: string, kind: 'pub' | 'fpr', index: number): string | undefined =>
  listing.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`${kind}:`))?.split(':')[index]

export default defineModule({
  name: 'rpm_key',
  description: "Import or remove a GPG key in rpm's database (from a URL, a key file on the host, or by id).",
  params,
  async plan(ctx, p) {
    const r = await ctx.exec(`export LC_ALL=C\n${readScript(p)}`)
    if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `reading the key ${redactUrl(p.key)} failed (rc ${r.rc})`)
    const [own, imported] = r.stdout.split(`${SPLIT}\n`)
    const source = keySource(p.key)
    const rawId = source === 'id' ? p.key : field(own, 'pub', 4)
    if (rawId === undefined) throw new PghaError('task', 'Unexpected gpg output')
    const keyid = normalize(rawId)
    const has = (imported ?? '').split('\n').some((l) => (l.trim().split(':')[4] ?? '').includes(keyid))
    const result = { keyid }
    if (p.state === 'absent') {
      const erase = `rpm --erase --allmatches ${shq(`gpg-pubkey-${keyid.slice(-8).toLowerCase()}`)}`
      return { changes: has ? [{ description: `remove rpm key ${keyid}`, data: { command: erase } }] : [], result }
    }
    if (has) return { changes: [], result }
    if (source === 'id') throw new PghaError('task', 'When importing a key, a valid file must be given')
    if (p.fingerprint !== undefined) {
      const wanted = p.fingerprint.replace(/ /g, '').toUpperCase()
      const found = field(own, 'fpr', 9)
      if (found === undefined) throw new PghaError('task', 'Unexpected gpg output')
      if (wanted !== found) throw new PghaError('task', `The specified fingerprint, '${wanted}', does not match the key fingerprint '${found}'`)
    }
    const command = [...keyFileLines(p), 'rpm --import "$k"'].join('\n')
    return { changes: [{ description: `import rpm key ${keyid} from ${redactUrl(p.key)}`, data: { command } }], result }
  },
  async apply(ctx, _p, plan) {
    const { command } = plan.changes[0].data
    const r = await ctx.exec(command)
    if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `rpm failed (rc ${r.rc})`)
  },
})
