// Masking for printing variables (`pgha inventory`): password-like names and names listed in the
// `secret_vars` variable print as ******** at any depth. Key files are paths, not secrets, so
// ansible_ssh_private_key_file stays readable. A value decrypted from Ansible Vault prints masked whatever
// its name.
import type { Vars } from '../inventory/types.js'
import { MASK } from './mask-text.js'
import { isPrivateKeyName, isSecretName, listedSecretNames } from './names.js'
import { revealedVaultValues } from './vault.js'

/** Private keys too (`ssh_private_key`): a printed variable hides key material. */
function hides(name: string, listed: Set<string>): boolean {
  return isSecretName(name) || isPrivateKeyName(name) || listed.has(name)
}

/** A copy of `vars` with secret values replaced; `secret_vars` in `vars` adds to `secretNames`. */
export function maskSecrets(vars: Vars, secretNames?: Set<string>): Vars {
  const listed = new Set(secretNames)
  for (const n of listedSecretNames(vars)) listed.add(n)
  return mask(vars, listed, new Set(revealedVaultValues())) as Vars
}

function mask(value: unknown, listed: Set<string>, vaulted: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => mask(v, listed, vaulted))
  if (typeof value === 'string' || typeof value === 'number') return vaulted.has(String(value)) ? MASK : value
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hides(k, listed) && v !== null && v !== undefined ? MASK : mask(v, listed, vaulted)]))
}
