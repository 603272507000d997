// Facts of any kinds read in one round trip (read-ahead, src/engine/read-ahead.ts): the single command of
// each runs in a subshell of one sh command, and a line no output can forge (a random token, the fact's
// index and its exit code) closes its output; each output is then parsed exactly as its single read
// parses it. A fact whose output is missing or does not parse is left to the single read, which reports
// why it cannot be read.
import { randomToken } from '../transport/random-token.js'
import type { FactRead, FactRunner } from './types.js'

export async function readJoined(list: readonly FactRead[], run: FactRunner): Promise<unknown[]> {
  const token = randomToken()
  // The newline before `)` ends a command whose last line is a comment; stdin is closed so no command
  // waits on it, stderr only ever serves the single read's error message.
  const command = list
    .map(({ def, args }, i) => `(${def.command(args)}\n) </dev/null 2>/dev/null; printf '\\n%s %d %d\\n' ${token} ${i} $?`)
    .join('; ')
  const out = (await run(command)).stdout
  const values: unknown[] = []
  let pos = 0
  for (const [i, { def, args }] of list.entries()) {
    const close = out.indexOf(`\n${token} ${i} `, pos)
    const eol = close < 0 ? -1 : out.indexOf('\n', close + 1)
    if (eol < 0) break
    const rc = Number(out.slice(close + token.length + String(i).length + 3, eol))
    try {
      values.push(def.parse(out.slice(pos, close), args, rc))
    } catch {
      values.push(undefined)
    }
    pos = eol + 1
  }
  return values
}
