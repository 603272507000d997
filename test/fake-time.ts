// Code that waits on timers, run on vitest's fake clock: a test moves the clock and checks what has
// happened by then, so it says "after 200 ms of the clock" without depending on how fast the machine is.
import { onTestFinished, vi } from 'vitest'

/** Fakes the timers and Date for the rest of the test. */
export function useFakeClock(): void {
  vi.useFakeTimers()
  onTestFinished(() => {
    vi.useRealTimers()
  })
}

export interface Tracked {
  settled: boolean
  /** The rejection, once `p` has rejected. */
  error?: unknown
}

/** Follows a promise, so a test can check whether it has settled at a point of the (fake) clock. */
export function track(p: Promise<unknown>): Tracked {
  const t: Tracked = { settled: false }
  p.then(
    () => {
      t.settled = true
    },
    (err: unknown) => {
      t.settled = true
      t.error = err
    },
  )
  return t
}
