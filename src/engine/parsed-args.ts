// A module's arguments are coerced and parsed by its schema for every task, loop item and host, and again
// for each read-ahead guess of a later task: a converged site.yml parses ~370 times ~120 distinct sets of
// arguments. The parse depends on nothing but the module and the arguments (schemas refine and transform
// values, they read nothing else), so a parse of arguments that are plain data is kept per module and given
// out as a fresh copy: a module may change the parameters it is given. Arguments or a parse that hold
// anything else (an object of a class, a function, NaN, -0) are parsed every time.
import type { z } from 'zod'
import type { ModuleDef } from '../modules/index.js'
import { coerceArgs } from '../playbook/index.js'
import { onNewRun } from '../run-state.js'

/** The most parses kept per module: enough for any playbook's distinct arguments, bounded for loops over many items. */
const MAX_KEPT = 500
/** Arguments longer than this as a key (a copy's inline content) are parsed each time rather than held. */
const MAX_KEY_CHARS = 16_384

let kept = new WeakMap<ModuleDef, Map<string, unknown>>()
// Rendered arguments hold passwords (a vaulted one decrypted): builtin modules live as long as the process,
// so their parses would outlive the run that decrypted them.
onNewRun(() => (kept = new WeakMap()))

/** `mod`'s schema's parse of `args` (coerced first, as a playbook writes them): the parameters, or why it refused them. */
export function parseArgs(mod: ModuleDef, args: Record<string, unknown>): { params: unknown; error?: undefined } | { params?: undefined; error: z.ZodError } {
  const plain = plainKey(args)
  const key = plain !== undefined && plain.length <= MAX_KEY_CHARS ? plain : undefined
  const known = key === undefined ? undefined : kept.get(mod)?.get(key)
  if (known !== undefined) return { params: copyPlain(known) }
  const parsed = mod.params.safeParse(coerceArgs(mod, args))
  if (!parsed.success) return { error: parsed.error }
  if (key !== undefined && plainKey(parsed.data) !== undefined) {
    let perModule = kept.get(mod)
    if (!perModule) kept.set(mod, (perModule = new Map()))
    if (perModule.size < MAX_KEPT) perModule.set(key, copyPlain(parsed.data))
  }
  return { params: parsed.data }
}

/**
 * A text that tells plain data apart exactly (key order, an undefined member, text from numbers), or
 * undefined when `v` is not plain data: text, finite numbers other than -0, booleans, null, undefined, and
 * arrays (without holes) and objects (of Object's prototype, own enumerable data properties only) of these.
 */
export function plainKey(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? String(v) : undefined
    case 'boolean':
      return v ? 'true' : 'false'
    case 'undefined':
      return 'undefined'
    case 'object': {
      if (v === null) return 'null'
      const proto = Object.getPrototypeOf(v)
      if (proto === Array.prototype) return arrayKey(v as unknown[])
      if (proto === Object.prototype) return objectKey(v as Record<string, unknown>)
      return undefined
    }
    default:
      return undefined
  }
}

function arrayKey(a: unknown[]): string | undefined {
  if (Reflect.ownKeys(a).length !== a.length + 1) return undefined // holes, or more than items
  const parts: string[] = []
  for (let i = 0; i < a.length; i++) {
    const k = plainKey(a[i])
    if (k === undefined) return undefined
    parts.push(k)
  }
  return `[${parts.join(',')}]`
}

function objectKey(o: Record<string, unknown>): string | undefined {
  const keys = Reflect.ownKeys(o)
  const parts: string[] = []
  for (const name of keys) {
    const d = typeof name === 'string' ? Object.getOwnPropertyDescriptor(o, name) : undefined
    if (d === undefined || !('value' in d) || !d.enumerable) return undefined
    const k = plainKey(d.value)
    if (k === undefined) return undefined
    parts.push(`${JSON.stringify(name)}:${k}`)
  }
  return `{${parts.join(',')}}`
}

/** A deep copy of plain data (see plainKey); an own `__proto__` stays a member. */
function copyPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(copyPlain)
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyPlain(x)]))
}
