// ansible-playbook's -u, --private-key and -K: defaults for every host, which any variable that sets the
// same thing (in the inventory, the play, -e) overrides, as in Ansible. Each under all of its names.
import type { Inventory } from '../inventory/index.js'
import type { RunOptions } from './options.js'

const DEFAULTS: { option: 'remoteUser' | 'privateKeyFile' | 'becomePassword'; names: string[] }[] = [
  { option: 'remoteUser', names: ['ansible_user', 'ansible_ssh_user'] },
  { option: 'privateKeyFile', names: ['ansible_ssh_private_key_file', 'ansible_private_key_file'] },
  { option: 'becomePassword', names: ['ansible_become_password', 'ansible_become_pass'] },
]

/** Gives every host that sets none of a default's names the command line's value, at the lowest rank. */
export function applyCommandLineDefaults(inventory: Inventory, options: Pick<RunOptions, 'remoteUser' | 'privateKeyFile' | 'becomePassword'>): void {
  for (const host of inventory.hosts.values()) {
    for (const { option, names } of DEFAULTS) {
      const value = options[option]
      if (value !== undefined && names.every((n) => host.vars[n] === undefined)) host.vars = { [names[0]!]: value, ...host.vars }
    }
  }
}
