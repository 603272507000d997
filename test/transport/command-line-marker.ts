// A command whose text, environment and stdin hold a marker, to show that none of them reaches any process's
// command line, which every user of the machine can read (ps, /proc/PID/cmdline).
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, vi } from 'vitest'
import { randomToken } from '../../src/transport/random-token.js'
import type { ExecOptions, ExecResult } from '../../src/transport/types.js'

/** The command lines of this machine's processes that contain `marker`. */
export function commandLinesWith(marker: string): string[] {
  const hits: string[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    let line: string
    try {
      line = readFileSync(`/proc/${pid}/cmdline`, 'latin1')
    } catch {
      continue // ended meanwhile
    }
    if (line.includes(marker)) hits.push(`${pid}: ${line.split('\0').join(' ')}`)
  }
  return hits
}

/**
 * Runs a command whose text, environment and stdin hold a marker, reads every command line while it is
 * certainly running (it waits for the test to let it finish), and returns what it printed and what was seen.
 */
export async function runWithMarker(exec: (command: string, o: ExecOptions) => Promise<ExecResult>, o: ExecOptions = {}): Promise<{ stdout: string; rc: number; seen: string[] }> {
  const marker = `pgha-secret-${randomToken()}`
  const dir = mkdtempSync(join(tmpdir(), 'pgha-cmdline-'))
  chmodSync(dir, 0o777) // the become user signals through it too
  const started = join(dir, 'started')
  const done = join(dir, 'done')
  const command = [
    `touch ${started}`,
    `cat`, // the stdin the task gave
    `cat <<'SQL'`,
    `SELECT '${marker}-sql'`,
    `SQL`,
    `printf '%s\\n' "$SECRET"`,
    `while [ ! -e ${done} ]; do sleep 0.05; done`,
  ].join('\n')
  const running = exec(command, { ...o, stdin: `${marker}-stdin\n`, env: { SECRET: `${marker}-env` } })
  await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 10_000 })
  const seen = commandLinesWith(marker)
  writeFileSync(done, '')
  const r = await running
  return { stdout: r.stdout.replaceAll(marker, 'M'), rc: r.rc, seen }
}

/** What runWithMarker returns for a command that ran as written and showed its text on no command line. */
export const CLEAN_RUN = { rc: 0, stdout: "M-stdin\nSELECT 'M-sql'\nM-env\n", seen: [] }
