// Parameter building blocks shared by the file modules, with Ansible's names, defaults and spellings.
import { z } from 'zod'
import { ownerParam } from './value-kinds.js'

const TRUTHY: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false, '1': true, '0': false, y: true, n: false }

/** A boolean that also accepts yes/no/on/off/true/false strings, as Ansible users write them. */
export function bool(defaultValue: boolean, description: string) {
  return z
    .preprocess((v) => (typeof v === 'string' ? (TRUTHY[v.trim().toLowerCase()] ?? v) : v), z.boolean())
    .default(defaultValue)
    .describe(description)
}

const SYMBOLIC = /^[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*(,[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*)*$/

/**
 * `mode` as a string ('0644', '644', 'u=rw,g=r,o=r') or a number. A number is the mode's value, as in Ansible:
 * YAML 1.1 reads `mode: 0644` as 420, which is 0644; `mode: 644` (no leading 0) is the decimal 644, which is
 * 01204, as Ansible applies it too; a value above 07777 (five octal digits) is refused.
 */
export const modeParam = z
  .preprocess((v) => (typeof v === 'number' ? v.toString(8) : v), z.string())
  // An octal string is read as Ansible reads it (int(mode, 8)): '02775', with more leading zeros, is 2775.
  .transform((v) => (/^0*[0-7]{1,4}$/.test(v) ? v.replace(/^0*/, '').padStart(4, '0') : v))
  .refine((v) => /^[0-7]{4}$/.test(v) || SYMBOLIC.test(v), {
    message: "mode must be octal such as '0644' (quote it in YAML) or symbolic such as 'u=rw,g=r,o=r'",
  })
  .optional()
  .describe("Permissions: octal string '0644' or symbolic 'u=rw,g=r,o=r'. A YAML number is the mode's value: 0644 is octal, 644 is not.")

/** owner, group and mode, as every file-writing module takes them. */
export const attrParams = {
  owner: ownerParam().optional().describe('User that should own the file (name or uid).'),
  group: ownerParam().optional().describe('Group that should own the file (name or gid).'),
  mode: modeParam,
}

/** backup and validate, for modules that rewrite a file. */
export const writeParams = {
  backup: bool(false, 'Keep a timestamped copy of the file before changing it.'),
  validate: z
    .string()
    .refine((v) => v.includes('%s'), { message: 'validate must contain %s (the file to check)' })
    .optional()
    .describe('Command that checks the new file before it replaces the old one; %s is the file path.'),
}
