// A password given to a module as a literal argument (login_password of the postgresql_* modules,
// postgresql_user's password) is a secret of the run whatever it is called: it is never printed, not in an
// unnamed task's title (a summary of its arguments), not in the connection error, in no output mode.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MASK } from '../../src/secrets/index.js'
import { pgha } from './cli.js'

const PASSWORD = 'Lit3ral-login-pw'
const dir = mkdtempSync(join(tmpdir(), 'pgha-loginpw-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a literal login_password', () => {
  it.each(['plain', 'json'])('never shows in -o %s -vvv, a masked title shows where it was', async (mode) => {
    writeFileSync(join(dir, 'inventory.yml'), JSON.stringify({ all: { hosts: { hostA: { ansible_connection: 'local' } } } }))
    // Nothing listens on port 1: the task fails connecting, after its title was printed.
    writeFileSync(join(dir, 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - postgresql_query: { query: SELECT 1, login_user: app, login_password: ${PASSWORD}, port: 1, unix_socket_dir: /nonexistent }\n`)
    const r = await pgha(['run', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '-o', mode, '-vvv'], dir)
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stdout + r.stderr).not.toContain(PASSWORD)
    expect(r.stdout).toContain(`login_password=${MASK}`)
  }, 30_000)
})
