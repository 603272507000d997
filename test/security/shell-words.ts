// Reads a POSIX sh command line the way sh splits it, without running it: words (quotes removed) grouped
// into simple commands at unquoted `;`, `&`, `|`, `(`, `)` and line breaks, each character of a word
// marked with how it was quoted. Tests use it to check that a hostile value reached a command as data:
// every character of it single-quoted (or a plain word sh leaves alone), and a value that starts with
// '-' only where a command reads it as an operand or a flag's value.

export interface Word {
  text: string
  /** Per character of `text`: 's' single-quoted or backslash-escaped, 'd' double-quoted, 'u' unquoted. */
  quoting: string
}

/** The simple commands of `command`, each a list of words. */
export function simpleCommands(command: string): Word[][] {
  const commands: Word[][] = [[]]
  let word: Word | undefined
  const push = (c: string, q: string) => {
    word ??= { text: '', quoting: '' }
    word.text += c
    word.quoting += q
  }
  const endWord = () => {
    if (word) commands[commands.length - 1].push(word)
    word = undefined
  }
  let i = 0
  while (i < command.length) {
    const c = command[i]
    if (c === "'") {
      const end = command.indexOf("'", i + 1)
      const body = end < 0 ? command.slice(i + 1) : command.slice(i + 1, end)
      word ??= { text: '', quoting: '' }
      for (const ch of body) push(ch, 's')
      i = end < 0 ? command.length : end + 1
    } else if (c === '"') {
      word ??= { text: '', quoting: '' }
      i++
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && i + 1 < command.length && '$`"\\\n'.includes(command[i + 1])) {
          push(command[i + 1], 's')
          i += 2
        } else push(command[i++], 'd')
      }
      i++
    } else if (c === '\\') {
      if (command[i + 1] !== '\n') push(command[i + 1] ?? '', 's')
      i += 2
    } else if (/[ \t]/.test(c)) {
      endWord()
      i++
    } else if (c === '<' && command.startsWith('<<', i)) {
      // a here-document: its body is data up to the delimiter line
      endWord()
      const m = /^<<-?\s*(['"]?)([A-Za-z0-9_]+)\1/.exec(command.slice(i))
      const bodyStart = command.indexOf('\n', i)
      if (!m || bodyStart < 0) {
        i += 2
        continue
      }
      const end = command.indexOf(`\n${m[2]}\n`, bodyStart)
      const rest = command.slice(i + m[0].length, bodyStart)
      commands[commands.length - 1].push(...simpleCommands(rest).flat())
      commands.push([])
      i = end < 0 ? command.length : end + m[2].length + 2
    } else if (/[;&|()\n<>]/.test(c)) {
      endWord()
      if (!/[<>]/.test(c)) commands.push([])
      i++
    } else push(command[i++], 'u')
  }
  endWord()
  return commands.filter((w) => w.length > 0)
}

/**
 * Why `value` did not reach `command` as data, or undefined when every place it appears is data: the
 * value must show up only inside words (never split, never sh syntax), with every character of its
 * non-plain part quoted, and a word it starts must follow `--` or a flag (the flag's value).
 */
export function valueAsData(command: string, value: string, marker: string): string | undefined {
  const plain = /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)
  for (const words of simpleCommands(command)) {
    let operands = false
    for (let n = 0; n < words.length; n++) {
      const w = words[n]
      if (w.text === '--') operands = true
      const at = w.text.indexOf(marker)
      if (at < 0) continue
      if (!plain) {
        // split from the rest of the value: the marker begins a word of its own
        if (at === 0 && !value.startsWith(marker)) return `the value was split: ${JSON.stringify(w.text)} is a word of its own`
        // sh syntax left unquoted around the marker (a glob, an expansion)
        for (let k = 0; k < w.text.length; k++) {
          if (w.quoting[k] === 'u' && !/[A-Za-z0-9_@%+=:,./-]/.test(w.text[k])) return `${JSON.stringify(w.text[k])} is unquoted in the word ${JSON.stringify(w.text)}`
          if (w.quoting[k] === 'd' && /[$`\\]/.test(w.text[k])) return `${JSON.stringify(w.text[k])} is expanded inside double quotes in the word ${JSON.stringify(w.text)}`
        }
      }
      if (value.startsWith('-') && w.text.startsWith(value) && !operands) {
        // A flag's value is the word after a single flag (`-U NAME`, `--group NAME`), which getopt takes
        // whatever it starts with; after a cluster (`-rf`) or a glued value (`--x=1`) it would be an option.
        const prev = words[n - 1]?.text ?? ''
        if (!/^(-[A-Za-z]|--[a-z][a-z-]*)$/.test(prev)) return `the word ${JSON.stringify(w.text)} is read as an option`
      }
    }
  }
  return undefined
}
