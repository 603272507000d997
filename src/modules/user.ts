// user: a local account (ids, groups, home, shell, password hash) and optionally its SSH key pair, planned
// from one `getent passwd` read. The password hash never appears in a change, diff, command line or result.
import { z } from 'zod'
import { PghaError } from '../errors.js'
import { fileFact, groupFact, userFact } from '../facts/index.js'
import { commandLine, shq } from '../shell/index.js'
import { defineModule, type Change, type ModuleContext, type Plan } from './types.js'
import { bool } from './lib/params.js'
import { optionalBool, stringList } from './lib/list-param.js'
import { absolutePathParam, accountNameParam, cryptHashParam, gecosParam, hostPathParam, ownerItems, ownerParam, singleLineParam } from './lib/value-kinds.js'
import { accountChanges, keyPath, type AccountStep, type UserParams } from './lib/user-changes.js'

const params = z
  .object({
    name: accountNameParam().describe('Name of the user.'),
    uid: z.coerce.number().int().nonnegative().optional().describe('User id.'),
    group: ownerParam().optional().describe('Primary group (name or gid).'),
    groups: stringList().superRefine(ownerItems).optional().describe('Supplementary groups; with append: no, exactly these (an empty list removes all).'),
    append: bool(false, 'Add the groups to the existing ones instead of replacing them.'),
    home: absolutePathParam().optional().describe('Home directory.'),
    move_home: bool(false, 'When home changes, move the old content there.'),
    shell: absolutePathParam().optional().describe('Login shell.'),
    comment: gecosParam().optional().describe('GECOS field.'),
    system: bool(false, 'Create a system account (only when the user is created).'),
    create_home: bool(true, 'Create the home directory when the user is created (alias: createhome).'),
    createhome: optionalBool('Alias of create_home.'),
    password: cryptHashParam().optional().describe('Crypted password hash (e.g. from password_hash), never a clear text password. Never shown.'),
    update_password: z.enum(['always', 'on_create']).default('always').describe('always: set the hash when it differs; on_create: only for new users.'),
    password_lock: optionalBool('Lock the password (usermod -L: a "!" before the hash), or unlock it with false; with password, the hash is set locked.'),
    expires: z.coerce.number().optional().describe('Account expiry, in seconds since the epoch (the day counts); negative: never expires.'),
    password_expire_min: z.coerce.number().int().min(-1).optional().describe('Minimum number of days between password changes (chage -m), when it differs.'),
    password_expire_max: z.coerce.number().int().min(-1).optional().describe('Maximum number of days a password stays valid (chage -M; -1: no limit), when it differs.'),
    password_expire_warn: z.coerce.number().int().min(-1).optional().describe('Days of warning before a password expires (chage -W), when it differs (ansible-core 2.16 and later).'),
    state: z.enum(['present', 'absent']).default('present').describe('present or absent.'),
    remove: bool(false, 'With state absent: also remove the home directory and mail spool (userdel -r).'),
    force: bool(false, 'With state absent: remove even when the user is logged in (userdel -f).'),
    generate_ssh_key: bool(false, 'Generate an SSH key pair for the user when the key file does not exist.'),
    ssh_key_file: hostPathParam().default('.ssh/id_rsa').describe('Private key path, relative to the home directory unless absolute.'),
    ssh_key_type: z.enum(['rsa', 'ed25519', 'ecdsa', 'dsa']).default('rsa').describe('Key type.'),
    ssh_key_bits: z.coerce.number().int().positive().optional().describe('Key size in bits (ssh-keygen default when absent).'),
    ssh_key_comment: singleLineParam().optional().describe('Key comment (default: pgha-generated on HOSTNAME).'),
  })
  .strict()
  .transform((p) => ({ ...p, create_home: p.createhome ?? p.create_home }))

/** What apply does for a change: run an account command, or generate the SSH key pair at sshKey. */
type UserStep = AccountStep | { sshKey: string }

export default defineModule({
  name: 'user',
  aliases: { user: 'name' },
  description: 'Create, change or remove a local user account, its password hash and its SSH key pair.',
  params,
  reads: (p) => [{ def: userFact, args: { name: p.name } }],
  async plan(ctx, p): Promise<Plan<UserStep> | Change<UserStep>[]> {
    const u = await ctx.fact(userFact, { name: p.name })
    if (p.state === 'absent') {
      if (!u.exists) return []
      return [{ description: `remove user ${p.name}`, data: { command: commandLine('userdel', [p.remove && '-r', p.force && '-f'], [p.name]) } }]
    }
    const changes: Change<UserStep>[] = accountChanges(u, p)
    const creates = u.exists ? {} : { createsUser: p.name }
    if (!p.generate_ssh_key) return { changes, ...creates }
    const path = keyPath(u, p)
    if (!(await ctx.fact(fileFact, { path })).exists) {
      return { changes: [...changes, { description: `generate ${p.ssh_key_type} SSH key ${path}`, data: { sshKey: path } }], ...creates }
    }
    const pub = await ctx.fact(fileFact, { path: `${path}.pub`, content: 65536 })
    return { changes, result: { ssh_key_file: path, ssh_public_key: pub.content?.trim() } }
  },
  async apply(ctx, p, plan) {
    const result: Record<string, unknown> = { name: p.name, state: p.state }
    for (const change of plan.changes) {
      const d = change.data
      if ('command' in d) await run(ctx, d.command, d.stdin)
      else {
        result.ssh_key_file = d.sshKey
        result.ssh_public_key = (await run(ctx, keygen(p, d.sshKey))).trim()
        ctx.invalidate(fileFact)
      }
      ctx.invalidate(userFact, { name: p.name })
      ctx.invalidate(groupFact)
    }
    return result
  },
})

async function run(ctx: ModuleContext, command: string, stdin?: string): Promise<string> {
  const r = await ctx.exec(command, stdin === undefined ? undefined : { stdin })
  // The message shows the command's first word only: a chpasswd line would carry the hash on stdin anyway, never here.
  if (r.rc !== 0) throw new PghaError('task', `${command.split(' ')[0]} failed on ${ctx.host} (rc ${r.rc}): ${r.stderr.trim() || r.stdout.trim()}`)
  return r.stdout
}

/** ssh-keygen into the user's directory, owned by the user, printing the public key. */
function keygen(p: UserParams, path: string): string {
  const dir = path.slice(0, path.lastIndexOf('/')) || '/'
  const owner = `${shq(p.name)}:"$(id -gn -- ${shq(p.name)})"`
  const bits = p.ssh_key_bits ? ` -b ${p.ssh_key_bits}` : ''
  const comment = p.ssh_key_comment === undefined ? `"pgha-generated on $(hostname)"` : shq(p.ssh_key_comment)
  return [
    `mkdir -p -- ${shq(dir)} && chmod 0700 -- ${shq(dir)} && chown -- ${owner} ${shq(dir)}`,
    `ssh-keygen -q -t ${p.ssh_key_type}${bits} -N '' -C ${comment} -f ${shq(path)} </dev/null`,
    `chown -- ${owner} ${shq(path)} ${shq(`${path}.pub`)}`,
    `cat -- ${shq(`${path}.pub`)}`,
  ].join(' && ')
}
