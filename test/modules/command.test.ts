// command and shell against this machine: the composed sh text really runs argv literally, chdir,
// creates, stdin and executable behave as a user expects, and a guarded re-run plans nothing.
import { mkdtempSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runLocal } from './local-host.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-command-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('command on a real host', () => {
  it('passes shell syntax to the program literally', async () => {
    const { result } = await runLocal('command', { cmd: `printf '%s\\n' $HOME '*' 'a | b' "it's"` })
    expect(result.stdout_lines).toEqual(['$HOME', '*', 'a | b', "it's"])
    expect(result.rc).toBe(0)
  })

  it('runs argv items with spaces as single arguments', async () => {
    const { result } = await runLocal('command', { argv: ['sh', '-c', 'echo "$#:$1"', 'x', 'one two'] })
    expect(result.stdout).toBe('1:one two')
  })

  it('refuses an assignment as program name, as Ansible does', async () => {
    const { result } = await runLocal('command', { cmd: 'FOO=bar env' })
    expect(result.failed).toBe(true)
    expect(result.rc).toBe(127)
  })

  it('runs once with creates relative to chdir, then plans nothing', async () => {
    const args = { cmd: 'touch made-by-pgha', chdir: dir, creates: 'made-by-pgha' }
    const first = await runLocal('command', args)
    expect(first.plan.changes.map((c) => c.description)).toEqual(['run: touch made-by-pgha'])
    expect(first.plan.unpredictable).toBe(false)
    expect(existsSync(join(dir, 'made-by-pgha'))).toBe(true)
    const second = await runLocal('command', args)
    expect(second.plan.changes).toEqual([])
    expect(second.result.msg).toBe('skipped, since made-by-pgha exists')
    expect(second.host.commands).toHaveLength(1) // only the guard's fact
  })

  it('does not run in check mode', async () => {
    const { plan } = await runLocal('command', { cmd: 'touch not-made', chdir: dir }, { check: true })
    expect(plan.unpredictable).toBe(true)
    expect(existsSync(join(dir, 'not-made'))).toBe(false)
  })

  it('feeds stdin with a trailing newline and fails on a nonzero rc', async () => {
    const { result } = await runLocal('command', { cmd: 'od -c', stdin: 'hi' })
    expect(result.stdout).toContain('h   i  \\n')
    const bad = await runLocal('command', { argv: ['sh', '-c', 'echo oops >&2; exit 3'] })
    expect(bad.result).toMatchObject({ failed: true, rc: 3, msg: 'non-zero return code', stderr: 'oops', stderr_lines: ['oops'] })
  })
})

describe('shell on a real host', () => {
  it('runs pipes, expansions and redirections', async () => {
    const { result } = await runLocal('shell', { cmd: `echo $((40 + 2)) | tr 4 X > ${dir}/out; cat ${dir}/out`, chdir: dir })
    expect(result.stdout).toBe('X2')
  })

  it('runs with another executable', async () => {
    const { result } = await runLocal('shell', { cmd: 'echo ${BASH_VERSION:+bash}; [[ 1 == 1 ]] && echo ok', executable: '/bin/bash' })
    expect(result.stdout_lines).toEqual(['bash', 'ok'])
  })

  it('honours removes', async () => {
    const { plan } = await runLocal('shell', { cmd: 'exit 1', removes: join(dir, 'never-there') })
    expect(plan.changes).toEqual([])
    expect(plan.result?.msg).toBe(`skipped, since ${join(dir, 'never-there')} does not exist`)
  })
})
