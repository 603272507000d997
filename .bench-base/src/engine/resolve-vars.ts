// Variables may be defined from other variables (`pg_bindir: "{{ pg_prefix }}/bin"`), as in Ansible.
// Templated values are rendered against the same scope, round after round until stable (chains of
// references). One whose rendering still fails becomes a getter that throws that error where the variable
// is used: an unused broken variable does not fail a task, a used one fails with the real cause.
import type { Vars } from '../inventory/types.js'
import { isTemplated, renderValue } from '../vars/index.js'

const MAX_ROUNDS = 8

function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplated(v)
  if (Array.isArray(v)) return v.some(hasTemplate)
  if (v && typeof v === 'object') return Object.values(v).some(hasTemplate)
  return false
}

/** `data`: names whose values are results, not templates (a command's output may contain `{{`). */
export function resolveTemplatedVars(vars: Vars, data: ReadonlySet<string> = new Set()): Vars {
  let pending = Object.keys(vars).filter((k) => !data.has(k) && hasTemplate(vars[k]))
  if (pending.length === 0) return vars
  const out: Vars = { ...vars }
  const errors = new Map<string, unknown>()
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const still: string[] = []
    for (const key of pending) {
      try {
        out[key] = renderValue(out[key], out, `variable '${key}'`)
        errors.delete(key)
        if (hasTemplate(out[key])) still.push(key)
      } catch (err) {
        errors.set(key, err)
        still.push(key)
      }
    }
    if (still.length === pending.length && still.every((k, i) => k === pending[i]) && errors.size === still.length) break
    pending = still
  }
  for (const [key, err] of errors) {
    Object.defineProperty(out, key, { enumerable: true, configurable: true, get: () => { throw err } })
  }
  return out
}

/** A scope with more variables on top, keeping the throwing getters of `base` (a spread would call them). */
export function extendScope(base: Vars, extra: Vars): Vars {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(base)) as Vars
  for (const [k, value] of Object.entries(extra)) {
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true })
  }
  return out
}
