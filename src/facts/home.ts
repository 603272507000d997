// The home directory of the user a task runs as (its become user), for parameters Ansible documents as
// `~/...` on the host (known_hosts' path).
import { PghaError } from '../errors.js'
import type { FactDef } from './types.js'

export const homeFact: FactDef<Record<string, never>, string> = {
  name: 'home',
  batch: 'joined',
  command: () => `printf '%s' ~`,
  parse(stdout) {
    if (!stdout.startsWith('/')) throw new PghaError('task', `the user's home directory is unknown (~ is ${JSON.stringify(stdout)})`)
    return stdout
  },
}

/** `~` and `~/rest` in the home directory; any other path as it is. */
export const inHome = (path: string, home: string): string => (path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path)
