// SIGINT, SIGTERM and SIGHUP stop pgha the same way: whatever is being written is finished or removed,
// never left half-written or as a temporary file, and the exit code says which signal it was
// (exit-codes.ts). Without a listener Node would die at once, wherever it was.
import { SIGNAL_OUTCOME, exitCodeOf, type SignalOutcome, type StopSignal } from './exit-codes.js'

const SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

export interface StopSignals {
  /** The first stop signal received, if any. */
  readonly received: StopSignal | undefined
  /** Its outcome ('interrupted', 'terminated', 'hangup'), if any. */
  readonly outcome: SignalOutcome | undefined
  /** Removes the listeners. */
  dispose(): void
}

/**
 * Listens for the stop signals until disposed. The first calls `onFirst`; another one exits at once
 * (with the first one's code), after the process's exit hooks ran (transport/local.ts removes its
 * temporary files there).
 */
export function onStopSignals(onFirst: (signal: StopSignal) => void = () => undefined): StopSignals {
  let received: StopSignal | undefined
  const handler = (signal: StopSignal): void => {
    if (signal === 'SIGHUP') quietOnClosedTerminal()
    if (received !== undefined) process.exit(exitCodeOf(SIGNAL_OUTCOME[received]))
    received = signal
    onFirst(signal)
  }
  for (const s of SIGNALS) process.on(s, handler)
  return {
    get received() {
      return received
    },
    get outcome() {
      return received && SIGNAL_OUTCOME[received]
    },
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler)
    },
  }
}

/** After a hangup the terminal is gone: a write to it fails (EIO), which must not crash the orderly stop. */
function quietOnClosedTerminal(): void {
  if (process.stderr.listenerCount('error') === 0) process.stderr.on('error', () => undefined)
}
