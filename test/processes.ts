// Whether a process a test started on this machine is still there, to prove that a command was killed.
import { readFileSync } from 'node:fs'

/** True while `pid` runs; a zombie (dead, waiting for its parent to reap it) counts as ended. */
export function isRunning(pid: number): boolean {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return false
  }
  // pid (comm) state ...: comm may hold spaces and parentheses, so the state follows the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
}
