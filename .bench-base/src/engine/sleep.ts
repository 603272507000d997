/** Sleeps `ms`, waking early when the run is interrupted. */
export function sleep(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(() => {
      signal.removeEventListener('abort', done)
      resolve()
    }, ms)
    function done(): void {
      clearTimeout(t)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
