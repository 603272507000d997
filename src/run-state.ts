// Process-level state that a run leaves behind, and how it returns to what a fresh process has (the run
// server, src/persist, serves many runs in one process).
const resets: (() => void)[] = []

/** Registers how a piece of process-level state returns to what a fresh process has. */
export function onNewRun(reset: () => void): void {
  resets.push(reset)
}

/** Called before each command of a process that serves more than one (the run server): resets every registered piece. */
export function startNewRun(): void {
  for (const reset of resets) reset()
}
