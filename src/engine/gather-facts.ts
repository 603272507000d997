// Gathering Facts: one round trip per host (src/facts/host.ts), exposed as ansible_facts.* and the
// ansible_* shortcuts Ansible users know (ansible_os_family, ansible_pkg_mgr, ansible_default_ipv4.address).
import { hostFacts } from '../facts/index.js'
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

export function factVars(f: HostFacts): Vars {
  return {
    ansible_facts: { ...f, default_ipv4: { address: f.default_ipv4 } },
    ansible_os_family: f.os_family,
    ansible_distribution: f.distribution,
    ansible_distribution_major_version: f.distribution_major_version,
    ansible_pkg_mgr: f.pkg_mgr,
    ansible_service_mgr: f.service_mgr,
    ansible_hostname: f.hostname,
    ansible_default_ipv4: { address: f.default_ipv4 },
  }
}

export async function gatherFacts(run: RunContext, scope: PlayScope, hosts: HostState[]): Promise<void> {
  run.emit({ type: 'task:start', name: TASK, hosts: hosts.map((h) => h.name) })
  await mapLimit(hosts, run.forks, async (h) => {
    const started = performance.now()
    try {
      const vars = taskVars(run, scope, h)
      const transport = await transportFor(run, h.name, vars, scope.play)
      const f = await h.factCache.get(hostFacts, {}, (cmd, o) => transport.exec(cmd, o), '')
      Object.assign(h.facts, factVars(f))
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
