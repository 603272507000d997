// Commands of a read-ahead batch joined into one round trip (src/engine/read-ahead.ts): the first command
// of each of the batch's readers (the single command of each `joined` fact, the first command of each
// kind with its own reader, fact gathering's script when it shares the trip) run as subshells of one sh
// command, and a line no output can forge (a random token, the command's index and its exit code) closes
// each one's output. Each reader then gets its command's output as if it had run alone, and parses it as
// it would have. A command whose output is missing is refused (JoinedOutputLost); a joined fact whose
// output does not parse is left to the single read, which reports why it cannot be read.
import { randomToken } from '../transport/random-token.js'
import type { ExecResult } from '../transport/types.js'
import type { FactRead, FactRunner } from './types.js'

/** A command of a joined round trip whose output did not come back whole (the joined command was cut short). */
export class JoinedOutputLost extends Error {}

/** Commands held back to run as one: `run` queues them until `flush`, and runs them as they come after it. */
export interface Joiner {
  run: FactRunner
  /** Runs what was queued, as one command (a command alone as it is). */
  flush(): void
}

/**
 * A joiner of commands for `run`: the first command of each reader of a batch is given before the batch
 * flushes, so they all go in one round trip; what a reader asks after reading that (the file fact's
 * contents) runs on its own. Stdin is closed for each joined command; each gets its own stdout and stderr.
 */
export function joiningRunner(run: FactRunner): Joiner {
  let queue: { command: string; done: (r: Promise<ExecResult>) => void }[] | undefined = []
  return {
    run: (command) => (queue ? new Promise((resolve) => queue!.push({ command, done: resolve })) : run(command)),
    flush() {
      const list = queue ?? []
      queue = undefined
      if (list.length === 1) return list[0].done(run(list[0].command))
      if (list.length === 0) return
      const outputs = runJoined(list.map((q) => q.command), run)
      list.forEach((q, i) => q.done(outputs.then((all) => all[i] ?? Promise.reject(new JoinedOutputLost('the joined read-ahead command was cut short')))))
    },
  }
}

/**
 * Runs the commands as one, each one's stdout and stderr closed by the token line (its exit code on
 * stdout's); the output of each that came back whole. Its stderr is what a failed read reports (fact
 * gathering's script, when it shares the trip, has no single read to fall back on).
 */
async function runJoined(commands: string[], run: FactRunner): Promise<(ExecResult | undefined)[]> {
  const token = randomToken()
  // The newline before `)` ends a command whose last line is a comment.
  const command = commands.map((c, i) => `(${c}\n) </dev/null; printf '\\n%s %d %d\\n' ${token} ${i} $?; printf '\\n%s %d\\n' ${token} ${i} >&2`).join('; ')
  const r = await run(command)
  const results: (ExecResult | undefined)[] = []
  let pos = 0
  let errPos = 0
  for (const i of commands.keys()) {
    const close = r.stdout.indexOf(`\n${token} ${i} `, pos)
    const eol = close < 0 ? -1 : r.stdout.indexOf('\n', close + 1)
    if (eol < 0) break
    const errClose = r.stderr.indexOf(`\n${token} ${i}\n`, errPos)
    const stderr = errClose < 0 ? '' : r.stderr.slice(errPos, errClose)
    if (errClose >= 0) errPos = errClose + token.length + String(i).length + 3
    results.push({ rc: Number(r.stdout.slice(close + token.length + String(i).length + 3, eol)), stdout: r.stdout.slice(pos, close), stderr })
    pos = eol + 1
  }
  return results
}

/**
 * Joined facts through a joining runner: each single command, parsed as its single read parses it;
 * undefined for one whose output is missing or does not parse.
 */
export function readJoined(list: readonly FactRead[], run: FactRunner): Promise<unknown[]> {
  return Promise.all(list.map(async ({ def, args }) => {
    let r: ExecResult
    try {
      r = await run(def.command(args))
    } catch (err) {
      if (err instanceof JoinedOutputLost) return undefined
      throw err
    }
    try {
      return def.parse(r.stdout, args, r.rc)
    } catch {
      return undefined
    }
  }))
}
