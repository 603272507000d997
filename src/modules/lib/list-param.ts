// Param shapes the command, package, user, service and control modules share beyond lib/params.ts.
import { z } from 'zod'
import { bool } from './params.js'

/** A string or a list of strings, as Ansible's `list` params take (`name: a`, `name: a,b` or `name: [a, b]`). */
export function stringList() {
  return z
    .union([z.string(), z.array(z.union([z.string(), z.number()]).transform(String))])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
}

/**
 * An Ansible `list` param of `element`s, read as Ansible's check_type_list reads one: a list as it is, a
 * string split at its commas (`status_code: 200,403`), another single value as a list of it.
 */
export function listOf<T extends z.ZodTypeAny>(element: T) {
  return z.preprocess((v) => (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v]), z.array(element))
}

/** An `int` element as Ansible's check_type_int takes one: a whole number, or text that is one (spaces around allowed). */
export const intElement = z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : v), z.number().int())

/** A yes/no boolean without a default: undefined means "leave as it is" (systemd `enabled`, user `system`). */
export function optionalBool(description: string) {
  return bool(false, description).unwrap().optional().describe(description)
}
