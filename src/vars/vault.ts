// A value written `!vault |` (Ansible Vault ciphertext), kept as written with where it is written. Loading it
// is fine, as in Ansible; using it without a way to decrypt it is an input error at the value's position.
import { ConfigError, type SourceLocation } from '../errors.js'

export class VaultText {
  // Private, so that walking the value's fields (secret scrubbing, JSON) sees the ciphertext only.
  readonly #loc: SourceLocation

  constructor(readonly ciphertext: string, loc: SourceLocation) {
    this.#loc = loc
  }

  /** The error for reading the value without a vault password. */
  useError(): ConfigError {
    return new ConfigError('this value is encrypted with Ansible Vault: pass --vault-password-file FILE (or --ask-vault-pass) to decrypt it', this.#loc)
  }

  /** Printed into a template: there is no text to print. */
  toString(): string {
    throw this.useError()
  }

  /** As Ansible shows an encrypted value it does not decrypt (ansible-inventory --list, JSON output). */
  toJSON(): { __ansible_vault: string } {
    return { __ansible_vault: this.ciphertext }
  }
}

export function isVault(v: unknown): v is VaultText {
  return v instanceof VaultText
}
