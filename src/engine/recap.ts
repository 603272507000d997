// PLAY RECAP counts, as Ansible keeps them: a changed task also counts as ok; an ignored failure counts
// as ok and ignored; an unreachable host counts once per task it could not run; an include_tasks counts an
// ok per host and file (per loop item) it brought in, an include_role nothing, a skipped include a skip. The one counting of the
// recap: the engine's exit code comes from it, and output/recap.ts counts the same events with it.
import type { EngineEvent, RecapCounts } from './events.js'

export class Recap {
  readonly counts: Record<string, RecapCounts> = {}

  host(name: string): RecapCounts {
    return (this.counts[name] ??= { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
  }

  record(e: EngineEvent): void {
    if (e.type === 'run:start') for (const h of e.hosts) this.host(h)
    if (e.type === 'host:rescued') return rescue(this.host(e.host))
    if (e.type === 'include') for (const h of e.hosts) this.host(h).ok++
    if (e.type !== 'host:result') return
    const c = this.host(e.host)
    switch (e.status) {
      case 'changed': c.changed++; c.ok++; break
      case 'ok': c.ok++; break
      case 'skipped': c.skipped++; break
      case 'failed': c.failed++; break
      case 'unreachable': c.unreachable++; break
      case 'ignored': c.ignored++; c.ok++; break
      case 'included': break // its include events count
    }
  }

  get anyFailed(): boolean {
    return Object.values(this.counts).some((c) => c.failed > 0)
  }

  get anyUnreachable(): boolean {
    return Object.values(this.counts).some((c) => c.unreachable > 0)
  }
}

/** A rescued failure is not a failure of the run (exit code), but it is shown. */
function rescue(c: RecapCounts): void {
  c.failed = Math.max(0, c.failed - 1)
  c.rescued = (c.rescued ?? 0) + 1
}
