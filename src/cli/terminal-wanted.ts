// Whether a question can be asked on the user's terminal. Apart from prompt.ts (and its child_process and
// readline), so the CLI's entry and the run server can name it without loading those at every start.

/**
 * Thrown where the process has no terminal of the user's to ask on: the run server (src/persist) runs
 * detached from any terminal, and its client then runs the command itself, which asks as always.
 */
export class TerminalWanted extends Error {}

let reachable = true

/** The run server's process: a question on the terminal throws TerminalWanted instead of being asked. */
export function noUserTerminal(): void {
  reachable = false
}

export function userTerminal(): boolean {
  return reachable
}
