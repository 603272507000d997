// Which of Ansible's modules a name pgha lacks is, asked of the controller's Ansible once per load for
// every such name (one python process): its module loader applies the play's `collections:`, the routing
// of ansible-core's ansible_builtin_runtime.yml and of collections' meta/runtime.yml (redirects,
// deprecations, tombstones) exactly as ansible-playbook would. The loader reads a playbook, then asks for
// the names it lacked (`settle`), then reads it again with the answers (playbook/load.ts).
// Answers are kept in the disk cache, keyed on the names, the python, Ansible's configuration files and
// environment, and checked against the modification times of ansible's package and every collection
// directory it searched: a converged re-run starts no python.
import { statSync } from 'node:fs'
import { readCached, writeCached } from '../../disk-cache.js'
import type { ModuleDef } from '../types.js'
import { libraryModule } from '../library/module.js'
import { ansibleSettings, controllerPython, describePython, helperScript, type ControllerPython } from './controller.js'
import { ansibleTimeoutMs, lastWords, runWithDeadline, seconds, timeoutAdvice } from './deadline.js'

/** What the helper says of one name. */
export type Answer =
  | { fqcn: string; path: string; deprecations: string[]; secrets: string[] }
  | { action: string }
  | { error: string }
  | { missing: true }
  | { noAnsible: string }
  /** Ansible is there but did not answer: it failed, wrote nonsense, or passed its deadline. */
  | { broken: string }

/** A name's lookup, for the loader: the module to run, or why there is none (undefined: ask again after settle). */
export interface AnsibleLookup {
  def?: ModuleDef
  /** Ansible's deprecation warnings for the route taken. */
  warnings?: string[]
  /** Why the name cannot run (a tombstone, an action plugin): an error at the task. */
  refused?: string
  /** Ansible does not know it either: the text that says so (appended to pgha's unknown-module error). */
  notFound?: string
  /** notFound says Ansible failed to answer: worth saying after a misspelling's suggestion too. */
  unanswered?: true
}

export interface AnsibleModules {
  find(name: string, collections: readonly string[]): AnsibleLookup | undefined
  /** Asks Ansible about the names found since the last call; true when there were any. */
  settle(): boolean
  /** Python starts this resolver cost (for tests and measurements). */
  readonly starts: number
}

interface Reply {
  version: string
  watch: string[]
  answers: Answer[]
}

interface CachedReply extends Reply {
  mtimes: number[]
}

const CACHE_KIND = 'ansible-modules'
const mtime = (path: string): number => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1

function cacheKey(python: ControllerPython, names: [string, string[]][]): string {
  return JSON.stringify({ ...ansibleSettings(python), names })
}

function fromCache(key: string): Reply | undefined {
  const data = readCached(CACHE_KIND, key)
  if (!data) return undefined
  try {
    const kept = JSON.parse(data.toString('utf8')) as CachedReply
    return kept.watch.every((p, i) => mtime(p) === kept.mtimes[i]) ? kept : undefined
  } catch {
    return undefined
  }
}

/** How a finished process ended, for its error. */
const howEnded = (r: { status: number | null; signal: string | null }): string => (r.signal ? `was killed by ${r.signal}` : `exited with ${r.status}`)

/** One python run for every name; an Ansible that cannot be imported, or does not answer, answers for all. */
function ask(python: ControllerPython, names: [string, string[]][]): Reply {
  const failed = (answer: Answer): Reply => ({ version: '', watch: [], answers: names.map(() => answer) })
  const who = describePython(python)
  let ms: number
  try {
    ms = ansibleTimeoutMs()
  } catch (err) {
    return failed({ broken: (err as Error).message })
  }
  const r = runWithDeadline(python, [helperScript(), 'resolve'], JSON.stringify({ names }), ms)
  if ('timedOut' in r) return failed({ broken: `resolving module names with ${who} took over ${seconds(ms)} and was stopped: ${timeoutAdvice(python, r.stderr)}` })
  if ('stopped' in r) return failed({ broken: `resolving module names with ${who} was stopped by ${r.stopped}` })
  if ('error' in r) return failed({ noAnsible: `${who} cannot be run (${r.error})` })
  if (r.status === 3) return failed({ noAnsible: `${who} has no ansible package` })
  try {
    const reply = JSON.parse(r.stdout) as Reply
    if (reply.answers?.length === names.length) return reply
  } catch {
    // below
  }
  const step = `resolving module names with ${who} and ${helperScript()}`
  if (r.status !== 0 || r.stdout.trim() === '') return failed({ broken: `${step} failed: it ${lastWords(r.stderr, howEnded(r))}` })
  // The names asked about are no secret: what it wrote instead of an answer helps (a sitecustomize's banner).
  return failed({ broken: `${step} gave no answer pgha can read: it wrote '${r.stdout.trim().split('\n')[0].slice(0, 120)}'` })
}

function lookup(name: string, a: Answer): AnsibleLookup {
  if ('fqcn' in a) return { def: libraryModule({ name, fqcn: a.fqcn, path: a.path, style: 'ansiballz', secretArgs: a.secrets }), warnings: a.deprecations }
  if ('action' in a) {
    return { refused: `module '${name}' is Ansible's action plugin ${a.action}, which runs inside ansible-playbook on the controller: pgha runs Ansible's modules, but cannot run an action plugin` }
  }
  if ('error' in a) return { refused: `module '${name}': ${a.error}` }
  if ('broken' in a) return { notFound: `, and the controller's Ansible could not be asked (${a.broken})`, unanswered: true }
  if ('noAnsible' in a) return { notFound: `, and no Ansible on the controller to look in (${a.noAnsible}: install ansible-core and the collection to run Ansible's modules)` }
  return { notFound: ", nor does the controller's Ansible" }
}

export function ansibleModules(python: ControllerPython = controllerPython()): AnsibleModules {
  const answers = new Map<string, AnsibleLookup>()
  const pending = new Map<string, [string, string[]]>()
  let starts = 0
  // Once Ansible failed to answer, the run's later loads (dynamic includes) are told so at once, not after
  // another deadline.
  let down: Answer | undefined
  const keyOf = (name: string, cols: readonly string[]): string => `${name}\0${cols.join(',')}`
  return {
    get starts() {
      return starts
    },
    find(name, collections) {
      // A FQCN does not depend on the play's collections.
      const cols = name.includes('.') && !name.startsWith('ansible.legacy.') ? [] : [...collections]
      const key = keyOf(name, cols)
      const known = answers.get(key)
      if (!known) pending.set(key, [name, cols])
      return known
    },
    settle() {
      if (pending.size === 0) return false
      const keys = [...pending.keys()].sort()
      const names = keys.map((k) => pending.get(k)!)
      pending.clear()
      const key = cacheKey(python, names)
      let reply = fromCache(key)
      if (!reply && down) reply = { version: '', watch: [], answers: names.map(() => down!) }
      if (!reply) {
        starts++
        reply = ask(python, names)
        if (reply.version !== '') writeCached(CACHE_KIND, key, Buffer.from(JSON.stringify({ ...reply, mtimes: reply.watch.map(mtime) })))
        else down = reply.answers[0]
      }
      keys.forEach((k, i) => answers.set(k, lookup(names[i][0], reply.answers[i])))
      return true
    },
  }
}
