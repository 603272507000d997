// Variables may be defined from other variables (`pg_bindir: "{{ pg_prefix }}/bin"`), as in Ansible.
// Each templated value is rendered exactly once, against the same scope, and a variable it reads is
// resolved first (so chains of references work in any order). What rendering produces is never rendered
// again: a value that arrives through a variable (a registered stdout holding `{{ secret }}`) stays text.
// One whose rendering fails becomes a getter that throws that error where the variable is used: an unused
// broken variable does not fail a task, a used one fails with the real cause.
import { ConfigError } from '../errors.js'
import type { InventoryHost, Vars } from '../inventory/types.js'
import { isTemplated, pureValueReads, renderValue } from '../vars/index.js'
import { isUnsafe } from '../vars/unsafe.js'

function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplated(v)
  if (isUnsafe(v)) return false // `!unsafe` text is never rendered
  if (Array.isArray(v)) return v.some(hasTemplate)
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).some(hasTemplate)
  return false
}

/**
 * A value placed among a layer's variables that is already rendered or came from a host (an include's loop
 * item): the scope gives its value and never renders it, whatever name it is given.
 */
export class DataValue {
  constructor(readonly value: unknown) {}
}

/** Each value of `vars` as a DataValue. */
export function asData(vars: Vars): Vars {
  const out: Vars = {}
  for (const [k, v] of Object.entries(vars)) out[k] = v instanceof DataValue ? v : new DataValue(v)
  return out
}

/** A host's inventory variables, those that are data (add_host's) boxed so that no scope renders them. */
export function inventoryVars(inv: Pick<InventoryHost, 'vars' | 'dataVars'>): Vars {
  if (!inv.dataVars?.length) return inv.vars
  const out: Vars = { ...inv.vars }
  for (const k of inv.dataVars) if (k in out) out[k] = new DataValue(out[k])
  return out
}

/** The names of `vars` holding DataValues. */
export function dataNames(vars: Vars): string[] {
  return Object.keys(vars).filter((k) => vars[k] instanceof DataValue)
}

/** A variable's rendering, kept for the next scope of the same host: its template (text or structure), what it read, the value. */
interface Kept {
  raw: unknown
  reads: string[]
  values: unknown[]
  value: unknown
}

/**
 * Renderings kept per `keep` key (a host): a host's scope is built again for every task after a register
 * or set_fact (site.yml: ~130 scopes, ~2,800 renderings of inventory variables such as
 * `pg_bindir: "{{ pg_prefix }}/bin"`), while most variables read only values that did not change. A
 * template whose rendering depends on nothing but the variables it names (vars/jinja/pure.ts), or a list
 * or mapping of such templates, is not rendered again when each of those has the very same value (===) as
 * when it was rendered.
 */
const keptRenderings = new WeakMap<object, Map<string, Kept>>()

/**
 * `data`: names whose values are results, not templates (a command's output may contain `{{`). Values
 * wrapped as DataValue are unwrapped and never rendered either. `keep`: renderings may be kept for, and
 * taken from, other scopes made with the same key.
 */
export function resolveTemplatedVars(vars: Vars, data: ReadonlySet<string> = new Set(), keep?: object): Vars {
  const boxed = dataNames(vars)
  const pending = Object.keys(vars).filter((k) => !data.has(k) && !boxed.includes(k) && hasTemplate(vars[k]))
  if (pending.length === 0 && boxed.length === 0) return vars
  const out: Vars = { ...vars }
  for (const key of boxed) out[key] = (vars[key] as DataValue).value
  let kept = keep && keptRenderings.get(keep)
  if (keep && !kept) keptRenderings.set(keep, (kept = new Map()))
  settle(out, new Map(pending.map((k) => [k, vars[k]])), kept)
  // A spread's copy whose renderings all succeeded holds values only: known plain without a look at each key.
  if (!failedIn.has(out) && Object.getOwnPropertySymbols(out).length === 0) plainScopes.set(out, true)
  return out
}

/** The kept rendering of `key`, when its template is `raw` and every name it reads has the same value in `out`. */
function keptValue(kept: Map<string, Kept>, key: string, raw: unknown, out: Vars): Kept | undefined {
  const k = kept.get(key)
  if (!k || k.raw !== raw) return undefined
  try {
    for (let i = 0; i < k.reads.length; i++) if (out[k.reads[i]] !== k.values[i]) return undefined
  } catch {
    return undefined // a name it reads fails to render here: render it, to fail as it would
  }
  return k
}

/**
 * Keeps `value` as the rendering of `key` in `out`, when its template reads nothing but the variables it
 * names; a structure (`pg_reload_settings: {archive_command: "'{{ pg_archive_command }}'"}`) when each
 * template in it does: site.yml rendered three such mappings again in each of its 127 scopes.
 */
function keepValue(kept: Map<string, Kept>, key: string, raw: unknown, out: Vars, value: unknown): void {
  const reads = pureValueReads(raw)
  if (!reads) return void kept.delete(key)
  try {
    kept.set(key, { raw, reads, values: reads.map((n) => out[n]), value })
  } catch {
    kept.delete(key) // a name it mentions fails to render (read only where a test proved it defined)
  }
}

/**
 * The raw templates of a scope's variables whose rendering failed there: a variable defined from the loop
 * variable of a task (`msg: "{{ item }} done"` in a play's vars) cannot be rendered before the loop gives
 * `item`, and is rendered again when a scope on top of this one defines more variables, as Ansible renders
 * variables only when they are used.
 */
const failedIn = new WeakMap<Vars, Map<string, Failed>>()

/** A variable that could not be rendered: its raw template, and the undefined name that failed it, if that was why. */
interface Failed {
  raw: unknown
  missing?: string
}

/** The root name an undefined-variable error names (`user` of `undefined variable 'user.name'`). */
export function missingName(err: unknown): string | undefined {
  return /undefined variable '([A-Za-z_][A-Za-z0-9_]*)/.exec((err as Error)?.message ?? '')?.[1]
}

/**
 * Renders `templates` into `out` (each at most once, references first), leaving failures as throwing
 * getters; a rendering in `kept` is taken when still valid, and what is rendered is kept there.
 */
function settle(out: Vars, templates: Map<string, unknown>, kept?: Map<string, Kept>): void {
  const resolving: string[] = []
  const define = (key: string, get: () => unknown): void => {
    Object.defineProperty(out, key, { enumerable: true, configurable: true, get })
  }
  for (const [key, raw] of templates) {
    define(key, () => {
      if (resolving.includes(key)) {
        throw new ConfigError(`variable '${key}' is defined from itself (${[...resolving.slice(resolving.indexOf(key)), key].join(' -> ')})`)
      }
      resolving.push(key)
      try {
        const reused = kept && keptValue(kept, key, raw, out)
        const value = reused ? reused.value : renderValue(raw, out, `variable '${key}'`)
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
        if (kept && !reused) keepValue(kept, key, raw, out, value)
        return value
      } catch (err) {
        define(key, () => {
          throw err
        })
        throw err
      } finally {
        resolving.pop()
      }
    })
  }
  const failed = new Map<string, Failed>()
  for (const [key, raw] of templates) {
    try {
      void out[key]
    } catch (err) {
      // kept as a throwing getter: the error surfaces where the variable is used
      failed.set(key, { raw, missing: missingName(err) })
    }
  }
  if (failed.size > 0) failedIn.set(out, failed)
}

/**
 * Scopes made only of plain values (no throwing getter, nothing unusual), which a spread copies exactly:
 * several times faster than copying descriptors, for scopes of hundreds of variables extended per loop item.
 */
const plainScopes = new WeakMap<Vars, boolean>()

function isPlain(vars: Vars): boolean {
  let plain = plainScopes.get(vars)
  if (plain === undefined) {
    plain = Reflect.ownKeys(vars).every((k) => {
      const d = Object.getOwnPropertyDescriptor(vars, k)!
      return typeof k === 'string' && 'value' in d && d.enumerable && d.writable && d.configurable
    })
    plainScopes.set(vars, plain)
  }
  return plain
}

/** A scope with more variables on top, keeping the throwing getters of `base` (a spread would call them). */
export function extendScope(base: Vars, extra: Vars): Vars {
  const plainBase = isPlain(base)
  const out = plainBase ? { ...base } : (Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as Vars)
  for (const [k, value] of Object.entries(extra)) {
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
  }
  // A plain scope has no failed renderings (those are getters), so its copy with values on top is plain too.
  if (plainBase) plainScopes.set(out, true)
  // What failed below for want of a name the new variables define (a loop's item), directly or through
  // another variable that failed so, renders again; any other failure would only fail again, and a scope is
  // extended for every task of every host.
  const failed = failedIn.get(base)
  if (failed) {
    const again = new Map<string, unknown>()
    for (let grew = true; grew; ) {
      grew = false
      for (const [key, f] of failed) {
        if (again.has(key) || key in extra || f.missing === undefined) continue
        if (f.missing in extra || again.has(f.missing)) {
          again.set(key, f.raw)
          grew = true
        }
      }
    }
    if (again.size > 0) settle(out, again)
    const still = new Map([...failed].filter(([k]) => !again.has(k) && !(k in extra)))
    if (still.size > 0) failedIn.set(out, new Map([...still, ...(failedIn.get(out) ?? [])]))
  }
  return out
}
