// Process-level state across commands. A pgha process used to serve one command; the run server serves
// many, one after the other, in one process, and each must behave as in a fresh process. A module whose
// state depends on more than the content it was derived from (a path, a flag, the environment, the cwd) or
// holds a secret (a vault password, a decrypted value) registers here how that state returns to what a
// fresh process has; memos keyed by content alone and bounded stay, which is the warmth the server is for
// (docs/design.md, "Process-level state").

const resets: (() => void)[] = []

/** Registers how a piece of process-level state returns to what a fresh process has. */
export function onNewRun(reset: () => void): void {
  resets.push(reset)
}

/** Called before each command of a process that serves more than one (the run server): resets every registered piece. */
export function startNewRun(): void {
  // Every reset runs even when one throws: a failing one must not leave another's secrets behind.
  let failed: { err: unknown } | undefined
  for (const reset of resets) {
    try {
      reset()
    } catch (err) {
      failed ??= { err }
    }
  }
  if (failed) throw failed.err
}
