// Passwords that must not be typed on the command line, where `ps` shows them to every user: the become
// password (--become-password-file, -K/--ask-become-pass, PGHA_BECOME_PASSWORD) and the Ansible Vault
// passwords (--vault-password-file, --ask-vault-pass, --vault-id LABEL@FILE|LABEL@prompt). All are read
// before anything is loaded or contacted; a problem with one is an input error (exit 1).
import { execFileSync } from 'node:child_process'
import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { ConfigError } from '../errors.js'
import { useVaultSecrets, type VaultSecret } from '../secrets/index.js'
import { collect } from './options.js'
import { askSecret, promptHidden } from './prompt.js'

/** The environment variable a become password may come from (removed once read, so commands do not inherit it). */
export const BECOME_PASSWORD_ENV = 'PGHA_BECOME_PASSWORD'

export interface BecomePasswordFlags {
  becomePasswordFile?: string
  askBecomePass?: boolean
}

export interface VaultFlags {
  vaultPasswordFile: string[]
  askVaultPass?: boolean
  vaultId: string[]
}

export function addBecomePasswordOptions(cmd: Command): Command {
  return cmd
    .option('--become-password-file <file>', `read the become (sudo) password from FILE (also: -K, or the ${BECOME_PASSWORD_ENV} environment variable)`)
    .option('-K, --ask-become-pass', 'ask for the become (sudo) password on the terminal, without echo')
}

export function addVaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-password-file <file>', 'decrypt Ansible Vault files and values with the password in FILE (an executable FILE prints it; repeatable)', collect, [])
    .option('--ask-vault-pass', 'ask for the Ansible Vault password on the terminal, without echo')
    .option('--vault-id <id>', 'a vault password with its label: LABEL@FILE or LABEL@prompt (repeatable)', collect, [])
}

/**
 * The become password given outside the command line, or undefined when none. It is every host's default
 * `ansible_become_password`: a host whose inventory names its own keeps it, as with ansible-playbook -K.
 */
export async function becomePasswordOf(flags: BecomePasswordFlags): Promise<string | undefined> {
  const fromEnv = process.env[BECOME_PASSWORD_ENV]
  delete process.env[BECOME_PASSWORD_ENV]
  if (flags.becomePasswordFile && flags.askBecomePass) throw new ConfigError('give the become password once: --become-password-file or -K, not both')
  let password: string | undefined
  if (flags.becomePasswordFile) password = readPasswordFile(flags.becomePasswordFile, '--become-password-file').replace(/\r?\n$/, '')
  else if (flags.askBecomePass) password = await askSecret('BECOME password: ')
  else password = fromEnv
  if (password === '') throw new ConfigError('the become password given is empty')
  return password
}

/** Reads every vault password the flags name (asking on the terminal where told) and hands them to the decryption. */
export function useVaultFlags(flags: VaultFlags): void {
  const secrets: VaultSecret[] = []
  for (const file of flags.vaultPasswordFile) secrets.push({ label: 'default', password: vaultPassword(file, '--vault-password-file') })
  if (flags.askVaultPass) secrets.push({ label: 'default', password: promptHidden('Vault password: ') })
  for (const id of flags.vaultId) {
    const at = id.lastIndexOf('@')
    const label = at > 0 ? id.slice(0, at) : 'default'
    const source = at >= 0 ? id.slice(at + 1) : id
    if (source === '') throw new ConfigError(`--vault-id expects LABEL@FILE or LABEL@prompt, got '${id}'`)
    const password = source === 'prompt' ? promptHidden(`Vault password (${label}): `) : vaultPassword(source, `--vault-id ${id}`)
    secrets.push({ label, password })
  }
  for (const s of secrets) if (s.password === '') throw new ConfigError(`the vault password for '${s.label}' is empty`)
  useVaultSecrets(secrets)
}

/** A vault password file, or the output of an executable one (as ansible-vault does), stripped of surrounding blanks. */
function vaultPassword(file: string, option: string): string {
  if (!isExecutable(file)) return readPasswordFile(file, option).trim()
  try {
    return execFileSync(file, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  } catch (err) {
    throw new ConfigError(`the program ${file} given with ${option} failed (${(err as Error).message.split('\n')[0]})`)
  }
}

function readPasswordFile(file: string, option: string): string {
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file')
    return readFileSync(file, 'utf8')
  } catch (err) {
    // Worded without `NAME: ` after the option or the file: errors are masked by assignment, and a file
    // named like a password would hide the reason.
    throw new ConfigError(`cannot read the file ${file} given with ${option} (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message})`)
  }
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    accessSync(file, constants.X_OK)
    return (statSync(file).mode & 0o111) !== 0
  } catch {
    return false
  }
}
