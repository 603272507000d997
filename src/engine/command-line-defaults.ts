// ansible-playbook's --private-key, -K, -b and --become-user: defaults for every host, which any variable
// that sets the same thing (in the inventory, the play, -e) overrides, as in Ansible; become and
// become_user keywords override them too (host-access.ts). Each under all of its names. -u and -c rank
// below the play's remote_user and connection keywords, so they are applied with them (host-access.ts).
import type { Inventory } from '../inventory/index.js'
import type { RunOptions } from './options.js'

type Defaulted = 'privateKeyFile' | 'becomePassword' | 'become' | 'becomeUser'

const DEFAULTS: { option: Defaulted; names: string[] }[] = [
  { option: 'privateKeyFile', names: ['ansible_ssh_private_key_file', 'ansible_private_key_file'] },
  { option: 'becomePassword', names: ['ansible_become_password', 'ansible_become_pass'] },
  { option: 'become', names: ['ansible_become'] },
  { option: 'becomeUser', names: ['ansible_become_user'] },
]

/** Gives every host that sets none of a default's names the command line's value, at the lowest rank. */
export function applyCommandLineDefaults(inventory: Inventory, options: Pick<RunOptions, Defaulted>): void {
  // The implicit localhost too: `-b` becomes root on the controller as well, as in Ansible.
  for (const host of [...inventory.hosts.values(), ...(inventory.implicitLocalhost ? [inventory.implicitLocalhost] : [])]) {
    for (const { option, names } of DEFAULTS) {
      const value = options[option]
      if (value !== undefined && names.every((n) => host.vars[n] === undefined)) host.vars = { [names[0]!]: value, ...host.vars }
    }
  }
}
