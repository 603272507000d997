// authorized_key: adds or removes SSH public keys in a user's authorized_keys, creating ~/.ssh (0700) and
// the file (0600) owned by the user.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { authorizedKeysFact } from '../facts/index.js'
import { shq } from '../shell/index.js'
import { defineModule, type Change } from './types.js'
import { bool } from './lib/params.js'
import { commandChange, planAttrs, planContent } from './lib/file-plan.js'
import { splitLines } from './lib/text-edit.js'
import { applyFileOps, type FileOp } from './lib/file-ops.js'
import { accountNameParam, hostPathParam, singleLineParam } from './lib/value-kinds.js'

const params = z
  .object({
    user: accountNameParam().describe('The user whose authorized_keys file is edited.'),
    key: z.string().describe('One or more public keys, one per line (options and comments allowed).'),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the keys should be in the file.'),
    path: hostPathParam().optional().describe('The key file; ~ is the user home. Default ~/.ssh/authorized_keys.'),
    manage_dir: bool(true, "Create the key file's directory (0700, owned by the user) and enforce its owner and mode."),
    exclusive: bool(false, 'Remove every other key from the file.'),
    key_options: singleLineParam().optional().describe('Options prepended to each key, e.g. from="10.0.0.0/8",no-pty.'),
  })
  .strict()

type Params = z.output<typeof params>

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+|ssh-\S+-cert-v01@openssh\.com)$/

/** `type blob` of a key line (ignoring options and comment), or undefined for comments and blank lines. */
export function keyId(line: string): string | undefined {
  const t = line.trim()
  if (t === '' || t.startsWith('#')) return undefined
  const words = t.split(/\s+/)
  const i = words.findIndex((w) => KEY_TYPE.test(w))
  return i >= 0 && words[i + 1] ? `${words[i]} ${words[i + 1]}` : undefined
}

/** The key file's text with the wanted keys added/updated or removed. */
export function editKeys(text: string, p: Params): string {
  const wanted = p.key
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => keyId(l) !== undefined)
    .map((l) => (p.key_options ? `${p.key_options} ${l}` : l))
  if (wanted.length === 0) throw new PghaError('task', 'key holds no public key')
  const ids = new Set(wanted.map(keyId))
  let lines = splitLines(text)
  if (p.state === 'absent') return lines.filter((l) => !ids.has(keyId(l))).join('')
  if (p.exclusive) lines = lines.filter((l) => keyId(l) === undefined || ids.has(keyId(l)))
  for (const w of wanted) {
    const i = lines.findIndex((l) => keyId(l) === keyId(w))
    if (i >= 0) lines[i] = `${w}\n`
    else {
      if (lines.length > 0 && !lines[lines.length - 1].endsWith('\n')) lines[lines.length - 1] += '\n'
      lines.push(`${w}\n`)
    }
  }
  return lines.join('')
}

export default defineModule({
  name: 'authorized_key',
  description: "Add or remove SSH public keys in a user's authorized_keys file",
  params,
  reads: (p) => [{ def: authorizedKeysFact, args: { user: p.user, path: p.path } }],
  async plan(ctx, p) {
    const info = await ctx.fact(authorizedKeysFact, { user: p.user, path: p.path })
    if (!info.userExists) {
      if (!ctx.toCreate?.users.has(p.user)) throw new PghaError('task', `user ${p.user} does not exist`)
      // A check run, the user created by an earlier task: the file it would get (never applied).
      if (p.state === 'absent') return []
      return planContent({ path: p.path ?? `~${p.user}/.ssh/authorized_keys`, exists: false, type: 'absent' }, { owner: p.user, mode: '0600', content: editKeys('', p) })
    }
    const text = info.file.content ?? ''
    if (info.file.exists && info.file.content === undefined) throw new PghaError('task', `${info.path} cannot be read as text`)
    if (p.state === 'absent' && !info.file.exists) return []
    const after = editKeys(text, p)
    const owner = { owner: p.user, group: info.group }
    const changes: Change<FileOp>[] = []
    if (p.manage_dir) {
      if (!info.dir.exists) {
        changes.push(commandChange(`create directory ${info.dir.path}`, `mkdir -p -- ${shq(info.dir.path)}`, info.dir.path, { ...owner, mode: '0700' }))
      } else {
        const c = planAttrs(info.dir, { ...owner, mode: '0700' })
        if (c) changes.push(c)
      }
    } else if (!info.dir.exists) {
      throw new PghaError('task', `${info.dir.path} does not exist (manage_dir=no)`)
    }
    return [...changes, ...planContent({ ...info.file, path: info.path }, { ...owner, mode: '0600', content: after })]
  },
  apply: applyFileOps,
})
