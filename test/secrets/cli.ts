// Runs the built pgha binary the way a user does and captures everything it prints: plain and JSON output
// through pipes, the listr2 progress through a pseudo-terminal (util-linux `script`, sized, since a pty
// of zero columns makes pgha fall back to plain lines).
import { spawn } from 'node:child_process'
import { BIN as bin } from '../built.js'

export { REPO as repo } from '../built.js'

export interface Captured {
  code: number | null
  stdout: string
  stderr: string
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** `pgha ARGS` with output to pipes (NO_COLOR, CI: plain unless -o says otherwise), in `base` (undefined values: unset). */
export function pgha(args: string[], cwd: string, base: NodeJS.ProcessEnv = process.env): Promise<Captured> {
  return capture(process.execPath, [bin, ...args], cwd, { NO_COLOR: '1', CI: '1' }, base)
}

/** `pgha ARGS` on a 150x50 pseudo-terminal; stdout and stderr both arrive on the terminal, so on stdout. */
export function pghaOnTty(args: string[], cwd: string): Promise<Captured> {
  const line = `stty cols 150 rows 50; ${[process.execPath, bin, ...args].map(quote).join(' ')}`
  return capture('script', ['-qec', line, '/dev/null'], cwd, { CI: '', TERM: 'xterm-256color' })
}

function capture(file: string, args: string[], cwd: string, env: Record<string, string>, base: NodeJS.ProcessEnv = process.env): Promise<Captured> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}
