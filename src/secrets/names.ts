// Which variables are secret by their name: connection and become passwords always; a name with
// pass/password, secret or token in it; the names a `secret_vars` variable lists. Private keys are one more
// kind, hidden when variables are printed (their values are not guessed from output).
import type { Vars } from '../inventory/types.js'

/** Connection and become passwords: secret whatever their value looks like. */
export const ALWAYS_SECRET: readonly string[] = ['ansible_become_password', 'ansible_become_pass', 'ansible_password', 'ansible_ssh_pass']

/** Module arguments that hold a password whatever variable it came from: postgresql_user's password, the postgresql_* modules' login_password. */
export const SECRET_ARGS: readonly string[] = ['password', 'login_password']

/** Values only guessed secret (by a variable's name, as a no_log task's output, or a leaf of an encrypted vars file) must be this long: scrubbing `8` or `on` everywhere would garble output. */
export const MIN_GUESSED_LENGTH = 4

/** The words that make a name look secret: `db_password`, `ansible_become_pass`, `api_token`, `client_secret`. */
export const SECRET_WORD = /pass(word)?|secret|token/i

/** Key material, not key files: `ansible_ssh_private_key_file` is a path and stays readable. */
const PRIVATE_KEY = /private_key(?!_file)/i

/**
 * getent's facts for the public databases: `getent_passwd` holds user names, ids, homes and shells (the
 * hashes are in getent_shadow, which stays secret), however much its name looks like a password's.
 */
const PUBLIC_BY_NAME = new Set(['secret_vars', 'getent_passwd'])

/** getent's facts for the shadow databases hold password hashes, though no secret word is in their names. */
const SECRET_BY_NAME = new Set(['getent_shadow', 'getent_gshadow'])

/** A name that looks like it holds a password, secret or token; `secret_vars` lists names, it holds no secret. */
export function isSecretName(name: string): boolean {
  return SECRET_BY_NAME.has(name) || (!PUBLIC_BY_NAME.has(name) && SECRET_WORD.test(name))
}

/** A name that holds a private key (`ssh_private_key`), masked when variables are printed. */
export function isPrivateKeyName(name: string): boolean {
  return PRIVATE_KEY.test(name)
}

/** Reads a variable; one whose template failed is a throwing getter, and reads as undefined. */
export function readVar(vars: Vars, name: string): unknown {
  try {
    return vars[name]
  } catch {
    return undefined
  }
}

/** The names `vars.secret_vars` lists as secret. */
export function listedSecretNames(vars: Vars): string[] {
  const listed = readVar(vars, 'secret_vars')
  return Array.isArray(listed) ? listed.map(String) : []
}
