// apt_key: adds a key to apt's keyring (from a file on the host or inline data) or removes one by id, as
// Ansible's module does with apt-key: the key is present when its id (8 characters) or fingerprint (the
// last 16) is listed. pgha never fetches on the hosts' behalf, so `url` and `keyserver` are refused.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { aptKey, aptKeysFact, gpgKeyIdFact } from '../facts/index.js'
import { commandLine } from '../shell/index.js'
import { defineModule } from './types.js'
import { bool } from './lib/params.js'
import { absolutePathParam, hostPathParam } from './lib/value-kinds.js'

const NETWORK = "pgha does not fetch keys on the hosts' behalf: put the key in a file (copy or get_url) and use file, or give it inline with data"

const params = z
  .object({
    id: z.string().optional().describe('The key id: 8, 16 or more hex digits (0x allowed). Required with state=absent.'),
    data: z.string().optional().describe('The key itself (armored or binary text).'),
    file: hostPathParam().optional().describe('A key file on the host.'),
    keyring: absolutePathParam().optional().describe('The keyring to change (apt-key --keyring) instead of apt\'s own.'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the key should be there.'),
    url: z.string().optional().describe(`Refused: ${NETWORK}.`),
    keyserver: z.string().optional().describe(`Refused: ${NETWORK}.`),
    validate_certs: bool(true, 'Accepted for Ansible compatibility: it concerns url, which pgha refuses.'),
  })
  .strict()
  .refine((p) => p.url === undefined && p.keyserver === undefined, { message: NETWORK })
  .refine((p) => [p.data, p.file].filter((v) => v !== undefined).length <= 1, { message: 'parameters are mutually exclusive: data|file' })
  .refine((p) => p.state === 'absent' || p.id !== undefined || p.data !== undefined || p.file !== undefined, { message: 'one of id, data or file is required' })
  .refine((p) => p.state === 'present' || p.id !== undefined, { message: 'key is required to remove a key', path: ['id'] })

/** Ansible's parse_key_id: [short id, fingerprint (the last 16), id], upper-cased without 0x. */
export function parseKeyId(raw: string): { short: string; fingerprint: string; id: string } {
  let id = raw.toUpperCase()
  if (id.startsWith('0X')) id = id.slice(2)
  if (!/^[0-9A-F]+$/.test(id)) throw new PghaError('task', 'Invalid key_id')
  if (id.length !== 8 && id.length !== 16 && id.length <= 16) throw new PghaError('task', 'key_id must be 8, 16, or 16+ hexadecimal characters in length')
  return { short: id.slice(-8), fingerprint: id.length > 16 ? id.slice(-16) : id, id }
}

type KeyOp = { command: string; stdin?: string }

/** Where the key to add is read from: a file on the host, or the inline data. */
const keySource = (p: z.output<typeof params>) => (p.file !== undefined ? { file: p.file } : { data: p.data })

export default defineModule({
  name: 'apt_key',
  description: "Add or remove a key in apt's keyring (from a file or inline data).",
  params,
  // The key's id (unless given) and the keys the keyring holds.
  reads: (p) => [...(p.id === undefined ? [{ def: gpgKeyIdFact, args: keySource(p) }] : []), { def: aptKeysFact, args: { keyring: p.keyring } }],
  async plan(ctx, p) {
    const raw = p.id ?? (await ctx.fact(gpgKeyIdFact, keySource(p)))
    if (raw === undefined) throw new PghaError('task', 'Unable to continue as we could not extract a valid fingerprint to compare against existing keys.')
    const key = parseKeyId(raw)
    const short = key.id.length === 8
    const listed = (await ctx.fact(aptKeysFact, { keyring: p.keyring })).map((k) => (short ? k.slice(-8) : k))
    const has = listed.includes(short ? key.short : key.fingerprint)
    const result = { id: raw, short_id: key.short, fp: key.fingerprint, key_id: key.id, before: listed }
    const base = aptKey(p.keyring)
    if (p.state === 'present') {
      if (has) return { changes: [], result }
      const data: KeyOp = p.file !== undefined ? { command: commandLine(`${base} add`, [], [p.file]) } : { command: `${base} add -`, stdin: p.data }
      if (p.file === undefined && p.data === undefined) throw new PghaError('task', `key ${key.id} is not in the keyring and neither file nor data gives it`)
      return { changes: [{ description: `add apt key ${key.id}`, data }], result }
    }
    if (!listed.includes(key.fingerprint) && !(short && listed.includes(key.short))) return { changes: [], result }
    return { changes: [{ description: `remove apt key ${key.id}`, data: { command: commandLine(`${base} del`, [], [key.short]) } }], result }
  },
  async apply(ctx, p, plan) {
    const { command, stdin } = plan.changes[0].data
    const r = await ctx.exec(`LC_ALL=C ${command}`, stdin === undefined ? {} : { stdin })
    if (r.rc !== 0) throw new PghaError('task', `${command} failed (rc ${r.rc}): ${(r.stderr || r.stdout).trim()}`)
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
