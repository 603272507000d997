// Ansible's parameter aliases (`dest` and `name` for file's `path`, `login_db` for postgresql's `db`): a
// module lists them as alias -> parameter, and the arguments a task writes are renamed to the parameter
// before the schema sees them, at load time and again after rendering. Giving a parameter twice, under
// its name and an alias, is refused rather than one of the two being silently dropped.
import type { ModuleDef } from './types.js'

export interface ResolvedArgs {
  args: Record<string, unknown>
  /** parameter -> the alias it was written as, for error locations. */
  writtenAs: Map<string, string>
  /** Each parameter given more than once: the names it was given under, in the order written. */
  clashes: string[][]
}

/** The arguments with every alias renamed to its parameter. */
export function resolveAliases(def: Pick<ModuleDef, 'aliases'>, args: Record<string, unknown>): ResolvedArgs {
  const aliases = def.aliases ?? {}
  const out: Record<string, unknown> = {}
  const writtenAs = new Map<string, string>()
  const given = new Map<string, string[]>()
  for (const [key, value] of Object.entries(args)) {
    const param = Object.hasOwn(aliases, key) ? aliases[key] : key
    given.set(param, [...(given.get(param) ?? []), key])
    if (param !== key) writtenAs.set(param, key)
    out[param] = value
  }
  const clashes = [...given.values()].filter((names) => names.length > 1)
  return { args: out, writtenAs, clashes }
}

/** Why a clash resolveAliases found is refused: `module 'file' was given 'path' as 'path' and 'dest'; give one`. */
export function clashMessage(def: Pick<ModuleDef, 'name' | 'aliases'>, names: string[]): string {
  const param = def.aliases?.[names[0]] ?? names[0]
  return `module '${def.name}' was given '${param}' more than once, as ${names.map((n) => `'${n}'`).join(' and ')} (aliases of one parameter); give one`
}

/** The aliases of each parameter, for `pgha doc`. */
export function aliasesOf(def: Pick<ModuleDef, 'aliases'>, param: string): string[] {
  return Object.entries(def.aliases ?? {}).filter(([, p]) => p === param).map(([a]) => a)
}
