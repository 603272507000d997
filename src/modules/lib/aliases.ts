// Ansible's parameter aliases (`host` and `hostname` for add_host's `name`, `dest` for `path`): an alias is
// read as its parameter before validation, so the schema declares each parameter once. Giving both a
// parameter and its alias, or two aliases of one parameter, is an error naming them. The aliases stay in
// the schema's shape (as `unknown`, described "Alias of X."), so the loader accepts them and `pgha doc`
// lists them; a required parameter with aliases is checked as a whole (any of its names will do).
import { z } from 'zod'

export function withAliases<T extends z.ZodObject>(schema: T, aliases: Readonly<Record<string, string>>): z.ZodType<z.output<T>> {
  const names = new Map<string, string[]>()
  for (const [alias, canonical] of Object.entries(aliases)) names.set(canonical, [...(names.get(canonical) ?? []), alias])
  const extra: Record<string, z.ZodType> = {}
  const required: string[] = []
  for (const [canonical, list] of names) {
    const field = schema.shape[canonical] as z.ZodType
    if (!field.safeParse(undefined).success) {
      required.push(canonical)
      extra[canonical] = field.optional()
    }
    for (const alias of list) extra[alias] = z.unknown().optional().describe(`Alias of ${canonical}.`)
  }
  const shaped = (schema as z.ZodObject).safeExtend(extra).superRefine((p: Record<string, unknown>, ctx) => {
    for (const k of required) {
      if (p[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is required (or one of its aliases: ${names.get(k)!.join(', ')})` })
    }
  })
  return z.preprocess((input, ctx) => {
    if (!input || typeof input !== 'object' || Array.isArray(input)) return input
    const out: Record<string, unknown> = { ...(input as Record<string, unknown>) }
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (!(alias in out)) continue
      if (canonical in out) {
        ctx.issues.push({ code: 'custom', input, path: [alias], message: `${alias} is an alias of ${canonical}: give one of them` })
        continue
      }
      out[canonical] = out[alias]
      delete out[alias]
    }
    return out
  }, shaped) as unknown as z.ZodType<z.output<T>>
}
