// add_host: adds a host (and its groups and variables) to the run's in-memory inventory for later plays
// and tasks. It runs once per task whatever the play's hosts (Ansible's bypass_host_loop); a loop adds one
// host per item. The result carries Ansible's `add_host` key, which the engine applies
// (src/engine/inventory-requests.ts) and reports changed when the inventory changed.
import { z } from 'zod'
import { defineModule } from './types.js'
import { stringList } from './lib/list-param.js'
import { hostAddressParam } from './lib/value-kinds.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const params = z
  .object({
    name: hostAddressParam().describe('The host name or address to add; a trailing :PORT sets ansible_port (aliases: host, hostname).'),
    groups: stringList().default([]).describe('Groups to add the host to (aliases: group, groupname).'),
  })
  .catchall(z.unknown().describe('Each other key is a variable set on the host.'))
  .superRefine((p, ctx) => {
    for (const k of Object.keys(p)) if (!NAME.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `'${k}' is not a valid variable name` })
  })

/** `name:port` and `[v6]:port` as Ansible's parse_address splits them; a bare IPv6 address has no port. */
export function splitPort(address: string): { name: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address)
  if (bracketed) return { name: bracketed[1], port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) }
  const m = /^([^:]+):(\d+)$/.exec(address)
  return m ? { name: m[1], port: Number(m[2]) } : { name: address }
}

export default defineModule({
  name: 'add_host',
  description: "Add a host (and its groups and variables) to the run's in-memory inventory.",
  params,
  aliases: { host: 'name', hostname: 'name', group: 'groups', groupname: 'groups' },
  local: true,
  once: true,
  changesInventory: true,
  async plan(_ctx, { name: address, groups, ...vars }) {
    const { name, port } = splitPort(address)
    const host_vars = port === undefined ? vars : { ...vars, ansible_port: port }
    return { changes: [], result: { add_host: { host_name: name, groups: [...new Set(groups)], host_vars } } }
  },
})
