// `omit`: a module argument whose value is `{{ omit }}` (often `{{ x | default(omit) }}`) is left out, as
// if it had not been written, as Ansible does. The variable is a token no real value carries; arguments
// equal to it are removed from the arguments and from mappings inside them (also mappings in lists), as
// Ansible's remove_omit does. A token inside a longer string stays, as in Ansible.
import { randomBytes } from 'node:crypto'

export const OMIT = `__omit_place_holder__${randomBytes(20).toString('hex')}`

export function removeOmit(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (isPlainMapping(v) ? removeOmit(v) : v))
  if (!isPlainMapping(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === OMIT) continue
    out[k] = isPlainMapping(v) || Array.isArray(v) ? removeOmit(v) : v
  }
  return out
}

function isPlainMapping(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
