// Asking for a password as ansible-playbook -K does: on a terminal without echo, else the first line of
// standard input (a pipe, a script). Ctrl-C at the prompt is an interrupt (exit 130).
import { createInterface } from 'node:readline'
import { PghaError } from '../errors.js'

export async function askSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  output.write(prompt)
  if (!input.isTTY) {
    const lines = createInterface({ input, terminal: false })
    try {
      for await (const line of lines) return line
      return ''
    } finally {
      lines.close()
      output.write('\n')
    }
  }
  input.setRawMode(true)
  input.resume()
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = ''
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(() => resolve(typed))
          if (ch === '\u0003') return done(() => reject(new PghaError('interrupted', 'interrupted at the password prompt')))
          typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch
        }
      }
      const done = (settle: () => void): void => {
        input.off('data', onData)
        settle()
      }
      input.on('data', onData)
    })
  } finally {
    input.setRawMode(false)
    input.pause()
    output.write('\n')
  }
}
