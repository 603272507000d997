// Parameter building blocks shared by the file modules, with Ansible's names, defaults and spellings.
import { z } from 'zod'

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
 * `mode` as a string ('0644', '644', 'u=rw,g=r,o=r') or a number. pgha reads YAML 1.2, where `mode: 0644`
 * is the decimal number 644, so a number is read as octal digits (644 -> '0644'); a number with a digit 8 or 9
 * (such as 493, YAML 1.1's reading of 0755) is refused with a hint to quote the mode; 420 would read as 0420.
 */
export const modeParam = z
  .preprocess((v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v), z.string())
  .transform((v) => (/^[0-7]{1,4}$/.test(v) ? v.padStart(4, '0') : v))
  .refine((v) => /^[0-7]{4}$/.test(v) || SYMBOLIC.test(v), {
    message: "mode must be octal such as '0644' (quote it in YAML) or symbolic such as 'u=rw,g=r,o=r'",
  })
  .optional()
  .describe("Permissions: octal string '0644' or symbolic 'u=rw,g=r,o=r'. A YAML number 0644 is read as octal.")

/** owner, group and mode, as every file-writing module takes them. */
export const attrParams = {
  owner: z.string().optional().describe('User that should own the file (name or uid).'),
  group: z.string().optional().describe('Group that should own the file (name or gid).'),
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
