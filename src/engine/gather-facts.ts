// Gathering Facts: one round trip per host (src/facts/host.ts), exposed as ansible_facts.* and the
// ansible_* shortcuts Ansible users know (ansible_os_family, ansible_pkg_mgr, ansible_default_ipv4.address).
import { hostFacts, SETUP_FACT_NAMES, SUBSETS } from '../facts/index.js'
import type { HostFacts } from '../modules/index.js'
import type { Vars } from '../inventory/types.js'
import { UnreachableError } from '../errors.js'
import type { HostState } from './host-state.js'
import { msSince } from './events.js'
import { mapLimit } from './run-context.js'
import { taskVars, type PlayScope } from './play-scope.js'
import type { RunContext } from './run-context.js'
import { transportFor } from './host-access.js'

const TASK = 'Gathering Facts'

/** Every variable fact gathering can define (ansible_facts and each ansible_NAME). */
export const FACT_VARIABLES: readonly string[] = ['ansible_facts', ...SETUP_FACT_NAMES.map((n) => `ansible_${n}`)]

/**
 * The variables gathered facts give: ansible_facts.NAME and ansible_NAME, limited to the play's
 * gather_subset (Ansible always adds `min`). Facts given without `setup` (pgha render's, tests') keep
 * the few names pgha's own modules read.
 */
export function factVars(f: HostFacts, subset?: readonly string[]): Vars {
  const { setup, ...own } = f
  const all: Vars = setup ?? { ...own, default_ipv4: { address: f.default_ipv4 } }
  const wanted = subsetNames(subset)
  const facts = Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has(k)))
  const vars: Vars = { ansible_facts: facts }
  for (const [k, v] of Object.entries(facts)) vars[`ansible_${k}`] = v
  return vars
}

/** The fact names a gather_subset keeps: `all` unless told, `!name` removes, `min` always stays. */
function subsetNames(subset: readonly string[] = ['all']): Set<string> {
  const names = new Set<string>(SUBSETS.min)
  const add = (s: string): void => (s === 'all' ? Object.values(SUBSETS) : [SUBSETS[s] ?? []]).flat().forEach((n) => names.add(n))
  const positive = subset.filter((s) => !s.startsWith('!'))
  for (const s of positive.length > 0 ? positive : subset.length > 0 ? ['all'] : []) add(s)
  for (const s of subset.filter((x) => x.startsWith('!'))) {
    const name = s.slice(1)
    if (name === 'all') for (const n of [...names]) if (!SUBSETS.min.includes(n)) names.delete(n)
    for (const n of SUBSETS[name] ?? []) if (name !== 'min') names.delete(n)
  }
  return names
}

export async function gatherFacts(run: RunContext, scope: PlayScope, hosts: HostState[]): Promise<void> {
  run.emit({ type: 'task:start', name: TASK, hosts: hosts.map((h) => h.name) })
  await mapLimit(hosts, run.forks, async (h) => {
    const started = performance.now()
    try {
      const vars = taskVars(run, scope, h)
      const transport = await transportFor(run, h.name, vars, scope.play)
      const f = await h.factCache.get(hostFacts, {}, (cmd, o) => transport.exec(cmd, o), '')
      Object.assign(h.facts, factVars(f, scope.play.gatherSubset))
      run.emit({ type: 'host:result', task: TASK, host: h.name, status: 'ok', result: { changed: false, failed: false }, durationMs: msSince(started) })
    } catch (err) {
      const unreachable = err instanceof UnreachableError
      if (unreachable) h.unreachable = true
      else h.failed = true
      run.emit({
        type: 'host:result', task: TASK, host: h.name, status: unreachable ? 'unreachable' : 'failed',
        result: { changed: false, failed: !unreachable, unreachable, msg: (err as Error).message }, durationMs: msSince(started),
      })
    }
  })
  run.emit({ type: 'task:end', name: TASK })
}
