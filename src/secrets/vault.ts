// Ansible Vault: text encrypted with `ansible-vault` (format 1.1, or 1.2 with a vault id label; AES256)
// decrypted with the passwords given on the command line (--vault-password-file, --ask-vault-pass,
// --vault-id label@source). Decryption itself is the `ansible-vault` package, which implements Ansible's
// format (PBKDF2-SHA256, AES-256-CTR, HMAC-SHA256 checked before anything is decrypted); it is checked
// against Debian's ansible-vault in test/security/vault.test.ts. Every value decrypted here is a secret
// from then on: secretValues() includes them, so they are masked wherever the run prints.
import { Vault } from 'ansible-vault'
import { MIN_GUESSED_LENGTH } from './names.js'
import { onNewRun } from '../run-state.js'

export const VAULT_HEADER = '$ANSIBLE_VAULT;'

/** One vault password: its vault id label (`default` when none was given) and the password itself. */
export interface VaultSecret {
  label: string
  password: string
}

/** Encrypted text that cannot be decrypted: no password given, or none of them opens it. */
export class VaultError extends Error {}

/** Whether a file's text (or a `!vault` value) is Ansible Vault ciphertext. */
export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(VAULT_HEADER)
}

/** The vault id label a 1.2 header names (`$ANSIBLE_VAULT;1.2;AES256;prod`), else undefined. */
export function vaultLabel(text: string): string | undefined {
  const header = text.trimStart().split(/\r?\n/, 1)[0].trim().split(';')
  return header[1] === '1.2' && header[3] ? header[3] : undefined
}

/**
 * Decrypts vault text with the first password that opens it, trying the one whose label the header
 * names first (as ansible-vault does). Throws VaultError saying why, never with a password in it.
 */
export function decrypt(text: string, secrets: readonly VaultSecret[]): string {
  const body = text.trim().split(/\r?\n/).map((l) => l.trim()).join('\n')
  if (secrets.length === 0) {
    throw new VaultError('it is encrypted with Ansible Vault and no vault password was given (--vault-password-file FILE, --ask-vault-pass or --vault-id LABEL@FILE)')
  }
  const label = vaultLabel(body)
  const ordered = [...secrets.filter((s) => s.label === label), ...secrets.filter((s) => s.label !== label)]
  let why = ''
  for (const s of ordered) {
    try {
      const plain = new Vault({ password: s.password }).decryptSync(body, undefined)
      if (plain !== undefined) return plain
    } catch (err) {
      why = (err as Error).message
      if (why !== 'Integrity check failed') break // not a password problem: a damaged or unknown format
    }
  }
  if (why === 'Integrity check failed') {
    const tried = ordered.map((s) => s.label).join(', ')
    throw new VaultError(`it is encrypted with Ansible Vault and none of the vault passwords given (${tried}) decrypts it`)
  }
  throw new VaultError(`it looks encrypted with Ansible Vault but cannot be read (${why || 'unknown format'}); only $ANSIBLE_VAULT;1.1/1.2;AES256 is supported`)
}

// The run's vault passwords, set once by the CLI before anything is loaded: vars files are read deep
// inside the inventory and playbook loaders, which should not each carry the passwords.
let keyring: readonly VaultSecret[] = []
const revealed = new Set<string>()
// A later command in the process is given its own passwords or none: run 1's must not decrypt for it.
onNewRun(() => {
  keyring = []
  revealed.clear()
})

/** Sets the vault passwords every later decryption uses. */
export function useVaultSecrets(secrets: readonly VaultSecret[]): void {
  keyring = [...secrets]
}

/** Every value decrypted so far (each leaf of an encrypted vars file, each `!vault` value). */
export function revealedVaultValues(): readonly string[] {
  return [...revealed]
}

/** How many values have been decrypted so far: revealedVaultValues().slice(n) are those decrypted since. */
export function revealedVaultCount(): number {
  return revealed.size
}

/** Whether the run was given vault passwords (then `!vault` values are decrypted as they are loaded). */
export function haveVaultSecrets(): boolean {
  return keyring.length > 0
}

/**
 * A `!vault` value's plaintext, decrypted with the run's vault passwords and recorded as a secret (with
 * each of its lines): it is masked in every output, whatever the variable holding it is called.
 * Throws VaultError when no password opens it.
 */
export function decryptVaultValue(ciphertext: string): string {
  const plain = decrypt(ciphertext, keyring)
  if (plain !== '') revealed.add(plain)
  for (const line of plain.includes('\n') ? plain.split('\n') : []) if (line.trim() !== '') revealed.add(line)
  return plain
}

/** Decrypts a whole encrypted file's text with the run's vault passwords. */
export function decryptVaultFile(text: string): string {
  return decrypt(text, keyring)
}

/**
 * A controller file's text as Ansible's loader gives it (get_real_file): when vault-encrypted, decrypted and
 * its text (and each line) a secret from then on; else as it is. Throws VaultError saying why it cannot.
 */
export function openVaultText(text: string): string {
  if (!isVaultText(text)) return text
  const plain = decryptVaultFile(text)
  revealLeaves(plain)
  return plain
}

/**
 * Records the leaves of data decrypted from a vault file as secrets: strings and numbers long enough
 * to mask without garbling the output (short ones are masked when their name looks secret).
 */
export function revealLeaves(data: unknown): void {
  if (typeof data === 'string' || typeof data === 'number') {
    const s = String(data)
    if (s.trim().length >= MIN_GUESSED_LENGTH) revealed.add(s)
    for (const line of s.includes('\n') ? s.split('\n') : []) if (line.trim().length >= MIN_GUESSED_LENGTH) revealed.add(line)
  } else if (Array.isArray(data)) data.forEach(revealLeaves)
  else if (data !== null && typeof data === 'object') Object.values(data).forEach(revealLeaves)
}

/** A `!vault` value as the YAML loader gives it: an object holding the ciphertext. */
interface VaultValue {
  ciphertext: string
}

function isVaultValue(v: unknown): v is VaultValue {
  return v !== null && typeof v === 'object' && typeof (v as VaultValue).ciphertext === 'string' && isVaultText((v as VaultValue).ciphertext)
}

/**
 * A value with every `!vault` value in it decrypted, each decrypted value recorded as a secret. Mappings
 * and lists are changed in place, so the positions the YAML loader keeps for them stay valid. Throws
 * VaultError when a value cannot be decrypted.
 */
export function revealVault(value: unknown): unknown {
  if (isVaultValue(value)) return decryptVaultValue(value.ciphertext)

  if (Array.isArray(value)) value.forEach((v, i) => (value[i] = revealVault(v)))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = revealVault(v)
  }
  return value
}
