// apt's trusted keys and the id of a key to add, as Ansible's apt_key reads them: `apt-key adv
// --list-public-keys --keyid-format=long` and `gpg --with-colons` (primary and sub keys, not expired).
import { PghaError } from '../errors.js'
import { commandLine, shq } from '../shell/index.js'
import type { FactDef } from './types.js'

/** Ansible's parse_output_for_keys: key ids of `pub`/`sub` lines of apt-key's or gpg's colon output. */
export function keysIn(output: string): string[] {
  const found: string[] = []
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue
    const tokens = line.split(/\s+/)
    const code = tokens[1]?.split('/')
    if (code && code.length === 2) found.push(code[1])
    else {
      const colons = line.split(':')
      if (colons.length > 4) found.push(colons[4])
    }
  }
  return found
}

const aptKey = (keyring?: string): string => (keyring === undefined ? 'apt-key' : `apt-key --keyring ${shq(keyring)}`)

export const aptKeysFact: FactDef<{ keyring?: string }, string[]> = {
  name: 'apt_keys',
  batch: 'joined',
  command: ({ keyring }) => `LC_ALL=C ${aptKey(keyring)} adv --list-public-keys --keyid-format=long 2>&1; echo "@@pgha-rc=$?"`,
  parse(stdout) {
    const rc = /@@pgha-rc=(\d+)\s*$/.exec(stdout)?.[1]
    if (rc !== '0') throw new PghaError('task', `Unable to list public keys: ${stdout.replace(/@@pgha-rc=\d+\s*$/, '').trim()}`)
    return keysIn(stdout)
  },
}

/** The first key id in a key file on the host, or in key text given inline. */
export const gpgKeyIdFact: FactDef<{ file?: string; data?: string }, string | undefined> = {
  name: 'gpg_key_id',
  batch: 'joined',
  command: ({ file, data }) =>
    file !== undefined ? `LC_ALL=C ${commandLine('gpg --with-colons', [], [file])}` : `printf '%s' ${shq(data ?? '')} | LC_ALL=C gpg --with-colons`,
  parse(stdout, { file }, rc) {
    if (rc !== 0) throw new PghaError('task', `Unable to extract key from '${file ?? 'inline data'}'`)
    return keysIn(stdout)[0]
  },
}

export { aptKey }
