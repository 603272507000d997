// What every reporter needs to know about the run as a whole: the playbook, check mode, the recap counts,
// the elapsed time and whether it was interrupted. Fed the same events as the reporter.
import type { EngineEvent } from '../engine/events.js'
import { RecapCounter, formatRecap, type Recap } from './recap.js'
import type { Style } from './style.js'

export class RunTracker {
  playbook = ''
  check = false
  interrupted = false
  private readonly counter = new RecapCounter()
  private startedAt = performance.now()
  private elapsedMs: number | undefined

  onEvent(e: EngineEvent): void {
    this.counter.onEvent(e)
    if (e.type === 'run:start') {
      this.playbook = e.playbook
      this.check = e.check
      this.startedAt = performance.now()
    } else if (e.type === 'run:end') {
      this.elapsedMs = e.elapsedMs
      this.interrupted = e.interrupted
    }
  }

  recap(): Recap {
    return this.counter.result()
  }

  /** The engine's figure when the run ended normally, else the time since run:start. */
  elapsed(): number {
    return this.elapsedMs ?? performance.now() - this.startedAt
  }

  /** The closing block of the human-readable reporters. */
  closingLines(style: Style): string[] {
    const lines = this.interrupted ? ['', style.red('run interrupted: the recap covers what finished')] : []
    return [...lines, ...formatRecap(this.recap(), this.elapsed(), style, this.check ? '(check mode: nothing was changed)' : undefined)]
  }
}
