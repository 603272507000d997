// The command module runs argv without a shell: the free-form string is split like Python's shlex (as
// Ansible does) and every word is quoted, so `|`, `>`, `$HOME` and `*` reach the program literally.
import { shq } from '../../facts/index.js'

/** Splits a command line into words: '...' literal, "..." with \ escapes, \ outside quotes. */
export function splitArgs(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  let i = 0
  const push = (s: string) => (word = (word ?? '') + s)
  while (i < line.length) {
    const c = line[i]
    if (c === ' ' || c === '\t' || c === '\n') {
      if (word !== undefined) words.push(word)
      word = undefined
      i++
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated ' in: ${line}`)
      push(line.slice(i + 1, end))
      i = end + 1
    } else if (c === '"') {
      i++
      let s = ''
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) s += line[++i]
        else s += line[i]
      }
      if (i >= line.length) throw new Error(`unterminated " in: ${line}`)
      push(s)
      i++
    } else if (c === '\\' && i + 1 < line.length) {
      push(line[i + 1])
      i += 2
    } else {
      push(c)
      i++
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

// A first word sh would read as syntax (assignment, reserved word) must be quoted to name a program.
const SYNTAX = /=|^(if|then|else|elif|fi|case|esac|for|while|until|do|done|in|function|select|!|\{|\}|\[\[|\]\])$/

/** The sh text that runs argv exactly, with no expansion. */
export function argvToSh(argv: string[]): string {
  return argv.map((a, i) => (i === 0 && SYNTAX.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : shq(a))).join(' ')
}
