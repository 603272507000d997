// A throwaway project for one hostile case: files written into a temp directory (paths relative to it,
// __DIR__ in their text replaced by the directory), the built pgha run in it as a user runs it
// (test/secrets/cli.ts), and the checks a user makes afterwards: no secret in any stream, no file left
// behind. Directories are removed after the suite.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, expect } from 'vitest'
import { BIN } from '../built.js'
import type { Captured } from '../secrets/cli.js'

export { pgha, pghaOnTty, type Captured } from '../secrets/cli.js'

const made: string[] = []
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true })
})

/** A random value no output could hold by chance. */
export const unique = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`

export interface Project {
  dir: string
  path: (rel: string) => string
}

export function project(files: Record<string, string | Buffer>, label = 'security'): Project {
  const dir = mkdtempSync(join(tmpdir(), `pgha-${label}-`))
  made.push(dir)
  const path = (rel: string): string => join(dir, rel)
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(path(rel)), { recursive: true })
    writeFileSync(path(rel), typeof content === 'string' ? content.replaceAll('__DIR__', dir) : content)
  }
  return { dir, path }
}

/** An inventory of one local host. */
export const LOCAL_INVENTORY = 'node1 ansible_connection=local\n'

/** The value appears in no stream pgha wrote. */
export function expectNowhere(r: Captured, ...values: string[]): void {
  for (const v of values) {
    expect(r.stdout.includes(v), `'${v}' in stdout:\n${r.stdout}`).toBe(false)
    expect(r.stderr.includes(v), `'${v}' in stderr:\n${r.stderr}`).toBe(false)
  }
}

/** Temp files pgha's writes use (`.pgha-*`) left in a directory. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('.pgha-') && f !== '.pgha-render')
}

/** Runs pgha on a pseudo-terminal and types `answer` once it asks; returns everything the terminal showed. */
export function typedOnTty(args: string[], cwd: string, answer: string): Promise<{ code: number | null; output: string }> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
  const line = `stty cols 150 rows 50; ${[process.execPath, BIN, ...args].map(quote).join(' ')}`
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    let typed = false
    child.stdout.on('data', (d: Buffer) => {
      output += d
      if (!typed && /password[^:]*: $/i.test(output)) {
        typed = true
        child.stdin.write(`${answer}\r`)
      }
    })
    child.stderr.on('data', (d: Buffer) => (output += d))
    child.on('close', (code) => resolve({ code, output }))
  })
}
