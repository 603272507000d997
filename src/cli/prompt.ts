// Asking for a password as ansible-playbook -K does. On a terminal: the controlling terminal (/dev/tty),
// echo off, so the typed characters are never shown or written anywhere. When standard input is a pipe
// (a script), its first line, as `sudo -S` reads it.
import { execFileSync } from 'node:child_process'
import { closeSync, openSync, readSync, writeSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { PghaError } from '../errors.js'
import { TerminalWanted, userTerminal } from './terminal-wanted.js'

/** Reads one line from the terminal with echo off. Throws when there is no terminal, on Ctrl-C or end of input. */
export function promptHidden(question: string): string {
  return promptTerminal(question, true)
}

/** Reads one line from the terminal, with echo off when `hidden` (vars_prompt's private questions). */
export function promptTerminal(question: string, hidden: boolean): string {
  if (!userTerminal()) throw new TerminalWanted(question)
  let fd: number
  try {
    fd = openSync('/dev/tty', 'r+')
  } catch {
    throw new PghaError('config', `${question.replace(/[:\s]+$/, '')}: no terminal to ask on; give it in a file or the environment instead`)
  }
  const stty = (...args: string[]): void => void execFileSync('stty', args, { stdio: [fd, 'ignore', 'ignore'] })
  try {
    // -isig: Ctrl-C arrives as a character instead of killing pgha with the echo still off.
    stty(hidden ? '-echo' : 'echo', '-isig')
    writeSync(fd, question)
    const chunks: Buffer[] = []
    const buf = Buffer.alloc(256)
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) throw new PghaError('config', `no ${hidden ? 'password' : 'answer'} was typed (end of input)`)
      chunks.push(Buffer.from(buf.subarray(0, n)))
      if (buf.subarray(0, n).includes(0x0a)) break
    }
    const line = Buffer.concat(chunks).toString('utf8').replace(/\r?\n[\s\S]*$/, '')
    if (line.includes('\u0003')) throw new PghaError('interrupted', `interrupted while asking for ${hidden ? 'a password' : 'an answer'}`)
    return line
  } finally {
    try {
      stty('echo', 'isig')
      if (hidden) writeSync(fd, '\n')
    } catch {
      // the terminal went away
    }
    closeSync(fd)
  }
}

/** The password for a prompt: from the terminal when standard input is one, else the first line of the pipe. */
export async function askSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  if (input.isTTY) return promptHidden(prompt)
  output.write(prompt)
  const lines = createInterface({ input, terminal: false })
  try {
    for await (const line of lines) return line
    throw new PghaError('config', 'no password was given (end of input)')
  } finally {
    lines.close()
    output.write('\n')
  }
}
