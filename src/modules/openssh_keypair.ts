// openssh_keypair: an SSH key pair (path and path.pub) made with ssh-keygen on the host, kept as
// community.crypto's module keeps it with its ssh-keygen backend: regenerated when missing or (by
// `regenerate`) of another type or size; the public file rewritten from the private key when it does not
// match it or the comment differs; owner, group and mode set on both. Plan reads both files with
// ssh-keygen in one command, so check mode is exact. Passphrases are not taken (Ansible then uses its
// Python backend, which pgha does not have).
import { posix } from 'node:path'
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext } from './types.js'
import { attrParams, bool } from './lib/params.js'
import { attrChange, chownSpec, planAttrs } from './lib/file-plan.js'
import { resolveMode } from './lib/mode.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { absolutePathParam } from './lib/value-kinds.js'

const TYPES = ['rsa', 'dsa', 'rsa1', 'ecdsa', 'ed25519'] as const

const params = z
  .object({
    path: absolutePathParam().describe('The private key on the host; the public key is path.pub.'),
    type: z.enum(TYPES).default('rsa').describe('Key type.'),
    size: z.coerce.number().int().optional().describe('Bits: RSA at least 1024 (default 4096), DSA 1024, ECDSA 256, 384 or 521; ignored for ed25519.'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    force: bool(false, 'Generate the pair again whatever is there (regenerate: always).'),
    comment: z.string().optional().describe('Comment of the key.'),
    regenerate: z.enum(['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always']).default('partial_idempotence').describe('When an existing key is generated again: never, fail (when of another type or size), partial_idempotence and full_idempotence (then), always.'),
    private_key_format: z.enum(['auto', 'pkcs1', 'pkcs8', 'ssh']).default('auto').describe("Only auto, ssh-keygen's own format (the others need Ansible's Python backend)."),
    backend: z.enum(['auto', 'cryptography', 'opensshbin']).default('auto').describe('Accepted as in community.crypto; pgha always runs ssh-keygen on the host.'),
    ...attrParams,
  })
  .strict()
  .refine((p) => p.private_key_format === 'auto', { message: "'auto' is the only valid option for 'private_key_format' when 'backend' is not 'cryptography'", path: ['private_key_format'] })
  .superRefine((p, ctx) => {
    const issue = sizeProblem(p.type, p.size)
    if (issue) ctx.addIssue({ code: 'custom', path: ['size'], message: issue })
  })
  .transform((p) => ({ ...p, size: sizeOf(p.type, p.size), regenerate: p.force ? ('always' as const) : p.regenerate }))

type Params = z.output<typeof params>

/** community.crypto's rules for each type's size. */
function sizeProblem(type: (typeof TYPES)[number], size: number | undefined): string | undefined {
  const s = sizeOf(type, size)
  if ((type === 'rsa' || type === 'rsa1') && s < 1024) return 'For RSA keys, the minimum size is 1024 bits and the default is 4096 bits. Attempting to use bit lengths under 1024 will cause the module to fail.'
  if (type === 'dsa' && s !== 1024) return 'DSA keys must be exactly 1024 bits as specified by FIPS 186-2.'
  if (type === 'ecdsa' && ![256, 384, 521].includes(s)) return 'For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits. Attempting to use bit lengths other than these three values for ECDSA keys will cause this module to fail.'
  return undefined
}

const DEFAULT_SIZE = { rsa: 4096, rsa1: 4096, dsa: 1024, ecdsa: 256, ed25519: 256 }
const sizeOf = (type: (typeof TYPES)[number], size: number | undefined): number => (type === 'ed25519' ? 256 : (size ?? DEFAULT_SIZE[type]))

interface PublicKey { type: string; data: string; comment: string }
interface Found {
  privateExists: boolean
  /** ssh-keygen -l: size, fingerprint and type of the private key, when it reads it. */
  private?: { size: number; fingerprint: string; type: string }
  /** ssh-keygen -y read the private key (no passphrase, not broken). */
  readable: boolean
  /** The public key ssh-keygen -y derives from it. */
  derived?: PublicKey
  publicExists: boolean
  public?: PublicKey
}

/** One command: what ssh-keygen reads of the private key and what the public file holds. */
function readScript(path: string): string {
  return [
    'export LC_ALL=C',
    `d=${shq(posix.dirname(path))}; k=${shq(path)}`,
    `[ -d "$d" ] || { echo "The directory $d does not exist or the file is not a directory" >&2; exit 1; }`,
    `if [ -d "$k" ]; then echo "$k is a directory. Please specify a path to a file." >&2; exit 1; fi`,
    'if [ -e "$k" ]; then echo private',
    `  l=$(ssh-keygen -l -f "$k" 2>/dev/null) && echo "list $l"`,
    `  y=$(ssh-keygen -P '' -y -f "$k" 2>&1); echo "derived_rc $?"; printf 'derived %s\\n' "$(printf %s "$y" | tr '\\n' ' ')"`,
    'fi',
    `if [ -e "$k.pub" ]; then echo public; printf 'pubkey %s\\n' "$(head -c 65536 "$k.pub" | tr '\\n' ' ')"; fi`,
  ].join('\n')
}

/** PublicKey.from_string (a line of ssh-keygen -y) or PublicKey.load (the file): type, data, comment. */
function publicKey(text: string, fromFile: boolean): PublicKey | undefined {
  const parts = (fromFile ? text.replace(/^[ \n]+|[ \n]+$/g, '') : text.replace(/^\n+|\n+$/g, '')).split(' ')
  if (parts.length < 2 || parts[1] === undefined) return undefined
  return { type: parts[0], data: parts[1], comment: parts.slice(2).join(' ') }
}

function parse(stdout: string): Found {
  const lines = stdout.split('\n')
  const value = (key: string) => lines.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1)
  const list = value('list')?.split(' ').filter(Boolean)
  const derivedText = (value('derived') ?? '').trimEnd()
  const rc = Number(value('derived_rc'))
  const readable = !(rc === 255 || ['is not a public key file', 'incorrect passphrase', 'load failed'].some((s) => derivedText.includes(s)))
  return {
    privateExists: lines.includes('private'),
    private: list && list.length >= 3 ? { size: Number(list[0]), fingerprint: list[1], type: list[list.length - 1].slice(1, -1).toLowerCase() } : undefined,
    readable,
    derived: rc === 0 ? publicKey(derivedText, false) : undefined,
    publicExists: lines.includes('public'),
    public: lines.includes('public') ? publicKey(value('pubkey') ?? '', true) : undefined,
  }
}

/** Whether the public file matches the key, with the wanted comment (no comment wanted: any). */
function publicValid(found: Found, comment: string | undefined): boolean {
  const mine = found.public
  const derived = found.derived
  if (mine === undefined || derived === undefined) return false
  return mine.type === derived.type && mine.data === derived.data && (comment === undefined || mine.comment === comment)
}

/** community.crypto's _should_generate, with its failures. */
function shouldGenerate(p: Params, found: Found): boolean {
  if (found.private === undefined) return true
  const valid = found.private.size === p.size && found.private.type === p.type
  if (p.regenerate === 'never') return false
  if (p.regenerate === 'fail') {
    if (!valid) throw new PghaError('task', 'Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.')
    return false
  }
  return p.regenerate === 'always' || !valid
}

/** Generates the pair in a directory beside the path and moves both over it (existing files keep their mode and owner). */
function generateCommand(p: Params): string {
  const lines = [
    `k=${shq(p.path)}; t=$(mktemp -d "$(dirname -- "$k")/.pgha-keygen.XXXXXX") || exit 1; trap 'rm -rf "$t"' EXIT`,
    `ssh-keygen -q -N '' -b ${p.size} -t ${p.type} -f "$t/key" -C ${shq(p.comment ?? '')} </dev/null || exit 1`,
    `for s in '' .pub; do if [ -e "$k$s" ]; then chmod --reference="$k$s" -- "$t/key$s" && chown --reference="$k$s" -- "$t/key$s" 2>/dev/null; fi; mv -f -- "$t/key$s" "$k$s" || exit 1; done`,
  ]
  if (p.mode) lines.push(`chmod -- ${p.mode} "$k" "$k.pub"`)
  const owner = chownSpec(p)
  if (owner) lines.push(`chown -- ${owner} "$k" "$k.pub"`)
  return lines.join('\n')
}

/** Writes the public key ssh-keygen derives (then its comment, with ssh-keygen -c), as the module restores it. */
function restoreCommand(p: Params, derived: PublicKey): string {
  const lines = [`k=${shq(p.path)}`, `printf '%s\\n' ${shq(`${derived.type} ${derived.data}`)} > "$k.pub.pgha" || exit 1`,
    `if [ -e "$k.pub" ]; then chmod --reference="$k.pub" -- "$k.pub.pgha"; else chmod 0644 -- "$k.pub.pgha"; fi`, `mv -f -- "$k.pub.pgha" "$k.pub"`]
  // ssh-keygen -c rewrites the private key too: as the module, make it writable by its owner first.
  if (p.comment) lines.push(`[ -w "$k" ] || chmod 0600 -- "$k"`, `ssh-keygen -q -o -c -C ${shq(p.comment)} -f "$k" >/dev/null || exit 1`)
  return lines.join('\n')
}

export default defineModule({
  name: 'openssh_keypair',
  description: 'Generate an SSH key pair on the host (ssh-keygen) and keep its type, size, comment and permissions.',
  params,
  async plan(ctx, p) {
    const r = await ctx.exec(readScript(p.path))
    if (r.rc !== 0) throw new PghaError('task', r.stderr.trim() || `reading ${p.path} failed (rc ${r.rc})`)
    const found = parse(r.stdout)
    const result = { size: p.size, type: p.type, filename: p.path }
    if (p.state === 'absent') {
      const gone = found.privateExists || found.publicExists
      return { changes: gone ? [{ description: `remove ${p.path} and ${p.path}.pub`, data: { op: 'sh', command: `rm -f -- ${shq(p.path)} ${shq(`${p.path}.pub`)}` } as FileOp }] : [], result }
    }
    if (found.privateExists && ['never', 'fail', 'partial_idempotence'].includes(p.regenerate) && (found.private === undefined || !found.readable)) {
      throw new PghaError('task', 'Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.')
    }
    if (shouldGenerate(p, found)) {
      const why = found.private === undefined ? '' : p.regenerate === 'always' ? ' (force)' : ` (it is ${found.private.type} ${found.private.size})`
      return { changes: [{ description: `generate ${p.type} ${p.size}-bit key pair ${p.path}${why}`, data: { op: 'sh', command: generateCommand(p) } as FileOp }], result }
    }
    const changes: Change<FileOp>[] = []
    if (!publicValid(found, p.comment)) {
      if (found.derived === undefined) throw new PghaError('task', 'The public key is missing or does not match the private key. Unable to regenerate the public key.')
      changes.push({ description: `write ${p.path}.pub from the private key${p.comment ? ` with comment ${p.comment}` : ''}`, data: { op: 'sh', command: restoreCommand(p, found.derived) } })
    }
    changes.push(...(await attrChanges(ctx, p, changes.length > 0)))
    return { changes, result: { ...result, fingerprint: found.private?.fingerprint ?? '', public_key: found.public ? `${found.public.type} ${found.public.data}` : '', comment: found.public?.comment ?? '' } }
  },
  apply: applyFileOps,
})

/** owner, group and mode on both files (a public file about to be written anew gets all that are given). */
async function attrChanges(ctx: ModuleContext, p: Params, rewritingPublic: boolean): Promise<Change<FileOp>[]> {
  const out: Change<FileOp>[] = []
  for (const path of [p.path, `${p.path}.pub`]) {
    const info = await ctx.fact(fileFact, { path })
    const given = p.owner !== undefined || p.group !== undefined || p.mode !== undefined
    const change = info.exists ? planAttrs(info, p) : rewritingPublic && given ? attrChange(path, { owner: p.owner, group: p.group, mode: p.mode && resolveMode(p.mode, '0644', false) }) : undefined
    if (change) out.push(change)
  }
  return out
}
