// The one way facts and modules put values into a command line, so that no value is ever read as an
// option: pgha's own words come first (the program, its subcommand, its flags), a flag's value is the word
// right after its flag (getopt takes that word as the value whatever it starts with), and every operand
// comes after `--`. A package called `-oAPT::Update::Pre-Invoke::=sh`, a unit called `-H`, an owner called
// `--reference=/etc/shadow` are then operands the tool looks up and refuses, never options it obeys.
import { shq } from './quote.js'

/** A flag pgha writes itself (`-r`), or a flag with a value that may come from the user (`['-g', group]`). */
export type Flag = string | readonly [flag: string, value: string]

/**
 * `program flags -- operands`, each value quoted for sh. `program` is pgha's own text (it may hold an
 * environment assignment and fixed words: `LC_ALL=C yum -y`); falsy flags are left out, so optional
 * flags read as `cond && '-r'`.
 */
export function commandLine(program: string, flags: readonly (Flag | false | undefined | '')[], operands: readonly string[]): string {
  const words = [program]
  for (const f of flags) {
    if (!f) continue
    if (typeof f === 'string') words.push(f)
    else words.push(f[0], shq(f[1]))
  }
  words.push('--', ...operands.map(shq))
  return words.join(' ')
}

/** A path for a tool that has no `--` (find, unzip): a relative one starting with '-' is written `./-name`. */
export function pathOperand(path: string): string {
  return path.startsWith('-') ? `./${path}` : path
}
