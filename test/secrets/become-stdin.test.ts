// The become password goes to sudo only: when sudo does not ask for it (root, NOPASSWD), it must not be
// left on the command's stdin, where `cat` printed it (and any program could have stored it).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PghaError } from '../../src/errors.js'
import { LocalTransport } from '../../src/transport/index.js'

const haveSudo = existsSync('/usr/bin/sudo') && userInfo().uid === 0

describe.skipIf(!haveSudo)('LocalTransport become with a password sudo does not ask for', () => {
  const t = new LocalTransport({ host: 'localhost' })
  const password = `pw-${process.pid}-${Date.now()}`

  it("leaves the command's stdin empty, or exactly what the task gave", async () => {
    expect(await t.exec('cat; id -un', { become: true, user: 'nobody', password })).toEqual({ rc: 0, stdout: 'nobody\n', stderr: '' })
    expect((await t.exec('cat', { become: true, user: 'nobody', password, stdin: 'given\n' })).stdout).toBe('given\n')
  })
})

// A sudo that asks for the password (a stand-in on PATH, as pgha run by a user whose sudo needs one): the
// password answers its prompt and nothing else, and a wrong one is refused at once, in sudo's words.
describe('LocalTransport become with a sudo that asks for the password', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-fake-sudo-'))
  const attempts = join(dir, 'attempts')
  writeFileSync(join(dir, 'sudo'), [
    '#!/bin/sh',
    '# -S -p PROMPT -u USER -- sh -c SCRIPT; -n: no password to give',
    '[ "$1" = -n ] && { echo "sudo: a password is required" >&2; exit 1; }',
    'prompt=$3; shift 6',
    'while :; do',
    '  printf %s "$prompt" >&2',
    '  IFS= read -r pw || { echo "sudo: no password was provided" >&2; exit 1; }',
    `  echo attempt >>${attempts}`,
    '  [ "$pw" = right-pw ] && exec "$@"',
    '  echo "Sorry, try again." >&2',
    'done',
  ].join('\n'), { mode: 0o755 })
  const path = process.env.PATH
  beforeAll(() => void (process.env.PATH = `${dir}:${path}`))
  afterAll(() => {
    process.env.PATH = path
    rmSync(dir, { recursive: true, force: true })
  })

  it("gives the password to sudo's prompt only, never to the command", async () => {
    const t = new LocalTransport({ host: 'localhost' })
    expect(await t.exec('cat; echo done', { become: true, user: 'app', password: 'right-pw', stdin: 'given\n' })).toEqual({ rc: 0, stdout: 'given\ndone\n', stderr: '' })
    expect(await t.exec('cat', { become: true, user: 'app', password: 'right-pw' })).toEqual({ rc: 0, stdout: '', stderr: '' })
    await t.close()
  })

  it('refuses a wrong password after one attempt, without showing it', async () => {
    rmSync(attempts, { force: true })
    const t = new LocalTransport({ host: 'localhost' })
    const err = await t.exec('true', { become: true, user: 'app', password: 'wrong-pw' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PghaError)
    expect((err as Error).message).toBe('sudo to app refused on localhost: Sorry, try again. (the become password was not accepted)')
    expect(readFileSync(attempts, 'utf8')).toBe('attempt\n')
  })
})
