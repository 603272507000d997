// Every local user can read every process's command line (ps, /proc/PID/cmdline). A command run through
// `connection: local` carries here-documents (the SQL of a batched read, file contents a module embeds) and
// environment values: none of its text may appear on any process's command line while it runs.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { LocalTransport } from '../../src/transport/index.js'
import { randomToken } from '../../src/transport/random-token.js'
import type { ExecOptions } from '../../src/transport/types.js'

const haveSudo = existsSync('/usr/bin/sudo') && userInfo().uid === 0

/** The command lines of this machine's processes that contain `marker`. */
function commandLinesWith(marker: string): string[] {
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
async function runWithMarker(t: LocalTransport, o: ExecOptions): Promise<{ stdout: string; rc: number; seen: string[] }> {
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
  const running = t.exec(command, { ...o, stdin: `${marker}-stdin\n`, env: { SECRET: `${marker}-env` } })
  await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 10_000 })
  const seen = commandLinesWith(marker)
  writeFileSync(done, '')
  const r = await running
  return { stdout: r.stdout.replaceAll(marker, 'M'), rc: r.rc, seen }
}

describe('LocalTransport keeps command text off command lines', () => {
  const t = new LocalTransport({ host: 'localhost' })

  it('as the login user', async () => {
    expect(await runWithMarker(t, {})).toEqual({ rc: 0, stdout: "M-stdin\nSELECT 'M-sql'\nM-env\n", seen: [] })
  })

  it.skipIf(!haveSudo)('as a become user', async () => {
    expect(await runWithMarker(t, { become: true, user: 'nobody' })).toEqual({ rc: 0, stdout: "M-stdin\nSELECT 'M-sql'\nM-env\n", seen: [] })
  })
})
