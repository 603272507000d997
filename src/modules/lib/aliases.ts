// Ansible's parameter aliases (`dest` for replace's `path`, `key` for sysctl's `name`): each alias is a
// parameter of its own in the schema, of the same kind as the one it stands for and described as its
// alias, so the load-time check, `pgha doc` and the did-you-mean all know it; after validation the value
// is folded into the parameter it stands for, so a module's plan only ever sees the real name. Giving a
// parameter and its alias together is an input error (Ansible warns and keeps one of them).
import { z } from 'zod'

type Shape = Record<string, z.ZodType>

/** The output of an aliased schema: the shape's output, the required parameters never undefined. */
export type Aliased<S extends Shape, R extends keyof S> = Omit<z.output<z.ZodObject<S>>, R> & {
  [K in R]-?: NonNullable<z.output<S[K]>>
}

interface WrapperDef {
  type: string
  innerType?: z.ZodType
  defaultValue?: unknown
}
const defOf = (s: z.ZodType): WrapperDef => (s as unknown as { _zod: { def: WrapperDef } })._zod.def

/** A schema without its optional/default wrapper, optional again and described. */
const optionalOf = (schema: z.ZodType, description: string): z.ZodType => {
  const def = defOf(schema)
  return (def.type === 'default' || def.type === 'optional' ? def.innerType! : schema).optional().describe(description)
}

/**
 * A strict object of `shape` plus the `aliases` (alias name -> parameter name); `required` are the
 * parameters that must be given under their own name or an alias (declare them optional in `shape`).
 */
export function aliased<S extends Shape, R extends keyof S & string = never>(
  shape: S,
  aliases: Readonly<Record<string, keyof S & string>>,
  required: readonly R[] = [],
) {
  // A parameter that has aliases takes its default after the fold: applied before, it would read as given
  // together with its alias.
  const defaults = new Map<string, unknown>()
  const own: Shape = { ...shape }
  for (const of of new Set(Object.values(aliases))) {
    const def = defOf(shape[of])
    if (def.type !== 'default') continue
    defaults.set(of, def.defaultValue)
    own[of] = optionalOf(shape[of], `${shape[of].description ?? ''} Default: ${JSON.stringify(def.defaultValue)}.`.trim())
  }
  const aliasShape = Object.fromEntries(Object.entries(aliases).map(([alias, of]) => [alias, optionalOf(shape[of], `Alias of ${of}.`)]))
  return z
    .object({ ...own, ...aliasShape })
    .strict()
    .superRefine((p: Record<string, unknown>, ctx) => {
      for (const [alias, of] of Object.entries(aliases)) {
        if (p[alias] !== undefined && p[of] !== undefined) ctx.addIssue({ code: 'custom', path: [alias], message: `${alias} is an alias of ${of}: give only one of them` })
      }
      for (const name of required) {
        const names = [name, ...Object.keys(aliases).filter((a) => aliases[a] === name)]
        if (names.every((n) => p[n] === undefined)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required${names.length > 1 ? ` (or its alias ${names.slice(1).join(', ')})` : ''}` })
        }
      }
    })
    .transform((p: Record<string, unknown>) => {
      const out: Record<string, unknown> = { ...p }
      for (const [alias, of] of Object.entries(aliases)) {
        if (out[alias] !== undefined) out[of] = out[alias]
        delete out[alias]
      }
      for (const [of, value] of defaults) if (out[of] === undefined) out[of] = structuredClone(value)
      return out as Aliased<S, R>
    })
}

// withAliases: the same aliases read before validation, for a schema already built (add_host, cron...).
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
