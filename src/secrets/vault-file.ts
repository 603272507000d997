// Vars files encrypted whole with ansible-vault (vars_files, -e @file, group_vars/, host_vars/):
// recognised by their first bytes, decrypted with the run's vault passwords, parsed by the caller's YAML
// parser, and every value in them made a secret. Input errors in a decrypted file name its file:line:col
// but never quote its lines: what is registered for the caret is a placeholder, not the plaintext.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { ConfigError, ConfigErrors, registerSource, type SourceLocation } from '../errors.js'
import { decryptVaultFile, isVaultText, revealLeaves, VAULT_HEADER, VaultError } from './vault.js'

export { isVaultText }

/** An encrypted vars file larger than this is refused (a vars file is configuration, not data). */
const MAX_VAULT_FILE = 16 * 1024 * 1024

/** Whether a regular file starts with the vault header; reads only its first bytes (anything else: false). */
export function isVaultFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    const fd = openSync(path, 'r')
    try {
      const head = Buffer.alloc(64)
      const n = readSync(fd, head, 0, head.length, 0)
      return isVaultText(head.subarray(0, n).toString('utf8'))
    } finally {
      closeSync(fd)
    }
  } catch {
    return false
  }
}

/**
 * Decrypts and parses an encrypted vars file (its text, or read from `path`), records its values as
 * secrets and returns the parsed data. A file that cannot be decrypted is a ConfigError at `at`.
 */
export function openVaultFile(path: string, parse: (text: string, file: string) => unknown, at?: SourceLocation, text?: string): unknown {
  const where = at ?? { file: path, line: 1, col: 1 }
  let cipher = text
  if (cipher === undefined) {
    if (statSync(path).size > MAX_VAULT_FILE) throw new ConfigErrors([new ConfigError(`${path}: an encrypted vars file larger than ${MAX_VAULT_FILE / 1024 / 1024} MiB is not read`, where)])
    cipher = readFileSync(path, 'utf8')
  }
  if (!cipher.trimStart().startsWith(VAULT_HEADER)) throw new Error(`${path} is not vault-encrypted`)
  let plain: string
  try {
    plain = decryptVaultFile(cipher)
  } catch (err) {
    // `; ` rather than `: `: errors are masked by assignment, and a file named like a password
    // (`passwords.yml: ...`) would hide the reason.
    if (err instanceof VaultError) throw new ConfigErrors([new ConfigError(`cannot decrypt ${path}; ${err.message}`, where)])
    throw err
  }
  const placeholder = plain.split('\n').map(() => '(a line of an encrypted file: not shown)').join('\n')
  try {
    const data = parse(plain, path)
    revealLeaves(data)
    return data
  } catch (err) {
    // What a decrypted file holds stays secret even when it does not parse, and its errors are
    // formatted again once the placeholder stands for its lines.
    revealLeaves(plain.split('\n'))
    registerSource(path, placeholder)
    throw err instanceof ConfigErrors ? new ConfigErrors(err.errors) : err
  } finally {
    registerSource(path, placeholder)
  }
}
