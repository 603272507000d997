// The strings to scrub for a host. Known before the run: its become/connection passwords, password-like
// inventory and extra variables and those listed in `secret_vars`. Learned as the run goes: secret-named
// variables of a task's scope (play vars, vars_files, task vars, set_fact) and every value of a no_log
// task (its arguments, loop items and output). Each new value is passed on through `onSecrets`, so the
// reporters mask it too, before the task is announced.
import { isDeepStrictEqual } from 'node:util'
import { findHost } from '../inventory/index.js'
import type { Vars } from '../inventory/types.js'
import type { TaskResult } from '../modules/index.js'
import type { Task } from '../playbook/index.js'
import { renderValue } from '../vars/index.js'
import { MIN_GUESSED_LENGTH, secretValues } from './values.js'
import { readVar, SECRET_ARGS } from './names.js'
import { revealedVaultValues } from './vault.js'
import { onNewRun } from '../run-state.js'

/** What the engine's run holds that this file reads: the inventory, the -e variables and the listener for new secrets. */
export interface SecretsRun {
  inventory: { hosts: ReadonlyMap<string, { vars: Vars }>; implicitLocalhost?: { vars: Vars } }
  extraVars: Vars
  options: { onSecrets?: (secrets: string[]) => void }
}

/** Where the engine keeps a host's secrets, longest first. */
export interface SecretsHost {
  secrets: string[]
}

export function hostSecrets(run: SecretsRun, host: string): string[] {
  const inv = findHost(run.inventory, host)
  if (!inv) return []
  return secretValues({ ...inv.vars, ...run.extraVars })
}

/** Adds values to the host's secrets and tells the run's listener the new ones. */
export function learnSecrets(run: SecretsRun, host: SecretsHost, values: Iterable<string>): void {
  const known = new Set(host.secrets)
  const fresh = [...new Set(values)].filter((v) => v.length > 0 && !known.has(v))
  if (fresh.length === 0) return
  host.secrets = [...host.secrets, ...fresh].sort((a, b) => b.length - a.length)
  run.options.onSecrets?.(fresh)
}

/**
 * What a task makes secret before it starts: the secret-named variables of its scope, its secret arguments
 * (the names every module's passwords go by, SECRET_ARGS, and the module's own `secretArgs`, as a task
 * writes them: aliases too), and for a no_log task the rendered values of its arguments and loop (a value
 * that cannot be rendered yet is not secret yet).
 */
export function taskSecrets(task: Task, vars: Vars, secretArgs: readonly string[] = []): string[] {
  const out = [...scopeSecrets(vars)]
  // Secret whatever their value, even written literally (uri's url_password, postgresql's login_password).
  for (const name of new Set([...SECRET_ARGS, ...secretArgs])) {
    if (!Object.hasOwn(task.args, name)) continue
    try {
      out.push(...secretValues({ [name]: renderValue(task.args[name], vars, task.argsLoc ?? task.loc) }, new Set([name])))
    } catch {
      // Rendered again when the task runs; its error is reported (censored) then.
    }
  }
  // A password inside a URL argument (get_url's url, a repository's baseurl: https://user:PASSWORD@host/)
  // is secret, whatever the argument is called.
  for (const value of Object.values(task.args)) {
    const items = Array.isArray(value) ? value : [value]
    if (!items.some((v) => typeof v === 'string' && (v.includes('://') || v.includes('{{')))) continue
    try {
      urlPasswords(renderValue(value, vars, task.argsLoc ?? task.loc), out)
    } catch {
      // Rendered again when the task runs; its error is reported (censored) then.
    }
  }
  if (task.noLog) {
    for (const value of [task.args, task.loop]) {
      if (value === undefined) continue
      try {
        strings(renderValue(value, vars, task.loc), out)
      } catch {
        // Rendered again when the task runs; its error is reported (censored) then.
      }
    }
  }
  return out
}

/** Scopes are reused across tasks while unchanged (scope-cache.ts): their secret-named values are found once. */
const scopeSecretsMemo = new WeakMap<Vars, readonly string[]>()

/**
 * The last scopes searched, by what was searched in them: a host's next scope mostly differs by a
 * registered result, which is never searched, and by variables rendered again to equal values, so it has
 * the same secrets without a search of hundreds of variables. Values decrypted from a vault since count too.
 */
const recent: { searched: unknown[]; vault: number; found: readonly string[] }[] = []
const RECENT = 16
// Secrets found, keyed by a count of vault values that starts again at 0 with the next run's vault.
onNewRun(() => (recent.length = 0))

function scopeSecrets(vars: Vars): readonly string[] {
  let found = scopeSecretsMemo.get(vars)
  if (found) return found
  const searched = searchedEntries(vars)
  const vault = revealedVaultValues().length
  found = recent.find((r) => r.vault === vault && sameEntries(r.searched, searched))?.found
  if (!found) {
    found = secretValues(userVars(vars))
    recent.unshift({ searched, vault, found })
    recent.length = Math.min(recent.length, RECENT)
  }
  scopeSecretsMemo.set(vars, found)
  return found
}

/**
 * What userVars keeps of a scope, flattened: [name, value, ...]; a variable whose rendering failed (a getter
 * that throws) is read as the search reads it, as nothing. A scope's only getters are those of variables
 * whose rendering failed (resolve-vars.ts), so a value is read directly, without its descriptor: asking for
 * one per variable, hundreds per scope, cost more than the search it saves.
 */
function searchedEntries(vars: Vars): unknown[] {
  const out: unknown[] = []
  for (const k of Object.keys(vars)) {
    const value = readVar(vars, k)
    if (!isTaskResult(value)) out.push(k, value)
  }
  return out
}

/**
 * Whether two searches found the same; the names and plain values are compared first, so that another
 * host's scope, which differs in some, is told apart before any object is compared deeply.
 */
function sameEntries(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(isObject(a[i]) && isObject(b[i])) && !Number.isNaN(a[i])) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !isDeepStrictEqual(a[i], b[i])) return false
  return true
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null

/** The output of a no_log task (stdout, stderr, msg, per item too): secret from now on, e.g. when registered and printed. */
export function noLogOutputSecrets(result: TaskResult): string[] {
  const out: string[] = []
  const visit = (r: TaskResult): void => {
    for (const key of ['stdout', 'stderr', 'msg', 'stdout_lines', 'stderr_lines', 'item']) strings(r[key], out)
    if (Array.isArray(r.results)) for (const item of r.results) visit(item as TaskResult)
  }
  visit(result)
  return out
}

/** The passwords of URLs with credentials (`scheme://user:PASSWORD@`) in a value, as written and decoded. */
function urlPasswords(v: unknown, out: string[]): void {
  if (Array.isArray(v)) for (const x of v) urlPasswords(x, out)
  if (typeof v !== 'string' || !v.includes('@')) return
  for (const m of v.matchAll(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/@:]*:([^\s/@]+)@/g)) {
    out.push(m[1])
    try {
      out.push(decodeURIComponent(m[1]))
    } catch {
      // not percent-encoded after all
    }
  }
}

/** String leaves of a value, whole and line by line, long enough to mask without garbling. */
function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    for (const s of [v, ...(v.includes('\n') ? v.split('\n') : [])]) if (s.trim().length >= MIN_GUESSED_LENGTH) out.push(s)
  } else if (Array.isArray(v)) for (const x of v) strings(x, out)
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out)
}

/** The scope without registered task results: `register: token_out` holds a command's output, not a secret. */
function userVars(vars: Vars): Vars {
  const out: Vars = {}
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(vars))) {
    // read as searchedEntries reads it, so that a search found in `recent` is the search of this scope
    if (isTaskResult('value' in d ? d.value : readVar(vars, k))) continue
    Object.defineProperty(out, k, d)
  }
  return out
}

function isTaskResult(v: unknown): boolean {
  return v !== null && typeof v === 'object' && typeof (v as TaskResult).changed === 'boolean' && typeof (v as TaskResult).failed === 'boolean'
}
