// Masking for printing variables (`pgha inventory`): password-like names and names listed in the
// `secret_vars` variable print as ******** at any depth. Key files are paths, not secrets, so
// ansible_ssh_private_key_file stays readable.
import type { Vars } from './types.js'

export const MASK = '********'
const SECRET_NAME = /pass(word)?|secret|token|private_key(?!_file)/i

export function isSecretName(name: string, listed?: Set<string>): boolean {
  // secret_vars lists names, it holds no secret.
  return (SECRET_NAME.test(name) && name !== 'secret_vars') || (listed?.has(name) ?? false)
}

/** A copy of `vars` with secret values replaced; `secret_vars` in `vars` adds to `secretNames`. */
export function maskSecrets(vars: Vars, secretNames?: Set<string>): Vars {
  const listed = new Set(secretNames)
  if (Array.isArray(vars.secret_vars)) for (const n of vars.secret_vars) listed.add(String(n))
  return mask(vars, listed) as Vars
}

function mask(value: unknown, listed: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => mask(v, listed))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isSecretName(k, listed) && v !== null && v !== undefined ? MASK : mask(v, listed)]))
}
