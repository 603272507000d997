// Param shapes the command, package, user, service and control modules share beyond lib/params.ts.
import { z } from 'zod'
import { bool } from './params.js'

/** A string or a list of strings, as Ansible's `list` params take (`name: a`, `name: a,b` or `name: [a, b]`). */
export function stringList() {
  return z
    .union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
}

/** A yes/no boolean without a default: undefined means "leave as it is" (systemd `enabled`, user `system`). */
export function optionalBool(description: string) {
  return bool(false, description).unwrap().optional().describe(description)
}
