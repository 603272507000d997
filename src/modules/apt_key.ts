// apt_key: adds a key to apt's keyring (from a file on the host, inline data or a URL the host downloads
// with curl or wget, as rpm_key does) or removes one by id, as Ansible's module does with apt-key: the key
// is present when its id (8 characters) or fingerprint (the last 16) is listed. A URL is downloaded only
// when no id is given (to read the key's id, in check mode too, as Ansible's module does) or the key is
// missing; `keyserver` (gpg's --recv-keys over HKP) is refused.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { aptKey, aptKeysFact, gpgKeyIdFact } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule, type ModuleContext } from './types.js'
import { bool } from './lib/params.js'
import { downloadLines, redactUrl } from './lib/host-download.js'
import { keysIn } from '../facts/apt-keys.js'
import { absolutePathParam, hostPathParam } from './lib/value-kinds.js'

const KEYSERVER = 'pgha does not receive keys from a keyserver: give the key with url, file or data'

const params = z
  .object({
    id: z.string().optional().describe('The key id: 8, 16 or more hex digits (0x allowed). Required with state=absent.'),
    data: z.string().optional().describe('The key itself (armored or binary text).'),
    file: hostPathParam().optional().describe('A key file on the host.'),
    keyring: absolutePathParam().optional().describe('The keyring to change (apt-key --keyring) instead of apt\'s own.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the key should be there.'),
    url: z.string().regex(/^(https?|ftp|file):\/\/\S*$/, 'url must be http(s)://, ftp:// or file:// without white space').optional().describe('A URL of the key, downloaded on the host with curl or wget.'),
    keyserver: z.string().optional().describe(`Refused: ${KEYSERVER}.`),
    validate_certs: bool(true, 'Check the certificate of an https url (no: curl -k / wget --no-check-certificate).'),
  })
  .strict()
  .refine((p) => p.keyserver === undefined, { message: KEYSERVER })
  .refine((p) => [p.data, p.file, p.url].filter((v) => v !== undefined).length <= 1, { message: 'parameters are mutually exclusive: data|file|url' })
  .refine((p) => p.state === 'absent' || p.id !== undefined || p.data !== undefined || p.file !== undefined || p.url !== undefined, { message: 'one of id, data, file or url is required' })
  .refine((p) => p.state === 'present' || p.id !== undefined, { message: 'key is required to remove a key', path: ['id'] })

/** Ansible's parse_key_id: [short id, fingerprint (the last 16), id], upper-cased without 0x. */
export function parseKeyId(raw: string): { short: string; fingerprint: string; id: string } {
  let id = raw.toUpperCase()
  if (id.startsWith('0X')) id = id.slice(2)
  if (!/^[0-9A-F]+$/.test(id)) throw new PghaError('task', 'Invalid key_id')
  if (id.length !== 8 && id.length !== 16 && id.length <= 16) throw new PghaError('task', 'key_id must be 8, 16, or 16+ hexadecimal characters in length')
  return { short: id.slice(-8), fingerprint: id.length > 16 ? id.slice(-16) : id, id }
}

type Params = z.output<typeof params>
type KeyOp = { command: string; stdin?: string }

/** Where the key to add is read from: a file on the host, or the inline data. */
const keySource = (p: Params) => (p.file !== undefined ? { file: p.file } : { data: p.data })

/** Lines that download the key's URL into a temporary file "$t", removed when the command exits. */
const downloaded = (p: Params & { url: string }): string[] => [
  `t=$(mktemp) || exit 1; trap 'rm -f "$t"' EXIT`,
  ...downloadLines(p.url, { validateCerts: p.validate_certs, timeout: 10, module: 'apt_key' }),
]

/** The id of the key at the URL, downloaded on the host and read with gpg as a key file is. */
async function urlKeyId(ctx: ModuleContext, p: Params & { url: string }): Promise<string | undefined> {
  const r = await ctx.exec(['export LC_ALL=C', ...downloaded(p), 'gpg --with-colons "$t"'].join('\n'))
  if (r.rc !== 0) throw new PghaError('task', `Unable to extract key from '${redactUrl(p.url)}': ${r.stderr.trim() || `rc ${r.rc}`}`)
  return keysIn(r.stdout)[0]
}

export default defineModule({
  name: 'apt_key',
  description: "Add or remove a key in apt's keyring (from a file, inline data or a URL).",
  params,
  // The key's id (unless given) and the keys the keyring holds.
  reads: (p) => [...(p.id === undefined && p.url === undefined ? [{ def: gpgKeyIdFact, args: keySource(p) }] : []), { def: aptKeysFact, args: { keyring: p.keyring } }],
  async plan(ctx, p) {
    const url = p.url
    const raw = p.id ?? (url !== undefined ? await urlKeyId(ctx, { ...p, url }) : await ctx.fact(gpgKeyIdFact, keySource(p)))
    if (raw === undefined) throw new PghaError('task', 'Unable to continue as we could not extract a valid fingerprint to compare against existing keys.')
    const key = parseKeyId(raw)
    const short = key.id.length === 8
    const listed = (await ctx.fact(aptKeysFact, { keyring: p.keyring })).map((k) => (short ? k.slice(-8) : k))
    const has = listed.includes(short ? key.short : key.fingerprint)
    const result = { id: raw, short_id: key.short, fp: key.fingerprint, key_id: key.id, before: listed }
    const base = aptKey(p.keyring)
    if (p.state === 'present') {
      if (has) return { changes: [], result }
      const data: KeyOp = url !== undefined ? { command: [...downloaded({ ...p, url }), `${base} add "$t"`].join('\n') }
        : p.file !== undefined ? { command: commandLine(`${base} add`, [], [p.file]) } : { command: `${base} add -`, stdin: p.data }
      if (p.file === undefined && p.data === undefined && url === undefined) throw new PghaError('task', `key ${key.id} is not in the keyring and neither file nor data gives it`)
      return { changes: [{ description: `add apt key ${key.id}${url !== undefined ? ` from ${redactUrl(url)}` : ''}`, data }], result }
    }
    if (!listed.includes(key.fingerprint) && !(short && listed.includes(key.short))) return { changes: [], result }
    return { changes: [{ description: `remove apt key ${key.id}`, data: { command: commandLine(`${base} del`, [], [key.short]) } }], result }
  },
  async apply(ctx, p, plan) {
    const { command, stdin } = plan.changes[0].data
    const r = await ctx.exec(`export LC_ALL=C\n${command}`, stdin === undefined ? {} : { stdin })
    // A URL's download is named by the change, not quoted (a password in the URL stays out of the message).
    if (r.rc !== 0) throw new PghaError('task', `${p.url !== undefined ? plan.changes[0].description : command} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`)
    ctx.invalidate(aptKeysFact)
    const key = plan.result!.key_id as string
    const after = (await ctx.fact(aptKeysFact, { keyring: p.keyring })).map((k) => (key.length === 8 ? k.slice(-8) : k))
    const wanted = key.length === 8 ? key.slice(-8) : key.length > 16 ? key.slice(-16) : key
    if ((p.state === 'present') !== after.includes(wanted)) {
      throw new PghaError('task', `apt-key did not return an error, but ${p.state === 'present' ? 'failed to add the key' : 'the key was not removed'} (check that the id is correct and *not* a subkey)`)
    }
    return { after }
  },
})
