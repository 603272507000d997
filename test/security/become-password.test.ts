// The become password no longer has to be on the command line, where `ps` shows it to every user:
// --become-password-file, -K (asked on the terminal without echo) and PGHA_BECOME_PASSWORD. Each route
// reaches the run (the play writes the password into a file, which the test reads), never appears in
// pgha's output, is not in pgha's argv while it runs, and the environment variable is not passed on to
// the commands pgha runs.
import { readFileSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { MASK } from '../../src/secrets/index.js'
import { expectNowhere, LOCAL_INVENTORY, pgha, project, typedOnTty, unique } from './hostile-project.js'

function becomeProject() {
  const password = unique('become')
  const p = project({
    'inv.ini': LOCAL_INVENTORY,
    'pw.txt': `${password}\n`,
    'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: __DIR__/seen.txt, content: "{{ ansible_become_password }}\\n" }
    - debug: { msg: "password is {{ ansible_become_password }}" }
    - shell: "env | grep -c PGHA_BECOME_PASSWORD || true"
      register: inherited
    - copy: { dest: __DIR__/env.txt, content: "{{ inherited.stdout }}\\n" }
`,
  }, 'become')
  return { p, password, args: ['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-v', '--diff'] }
}

describe('the become password from outside the command line', () => {
  it('--become-password-file FILE', async () => {
    const { p, password, args } = becomeProject()
    const r = await pgha([...args, '--become-password-file', p.path('pw.txt')], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('seen.txt'), 'utf8')).toBe(`${password}\n`)
    expect(r.stdout).toContain(`password is ${MASK}`)
    expectNowhere(r, password)
  }, 30_000)

  it('PGHA_BECOME_PASSWORD, not inherited by the commands pgha runs', async () => {
    const { p, password, args } = becomeProject()
    const r = await withEnv({ PGHA_BECOME_PASSWORD: password }, () => pgha(args, p.dir))
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('seen.txt'), 'utf8')).toBe(`${password}\n`)
    expect(readFileSync(p.path('env.txt'), 'utf8')).toBe('0\n')
    expectNowhere(r, password)
  }, 30_000)

  it('-K asks on the terminal, without echo', async () => {
    const { p, password, args } = becomeProject()
    const r = await typedOnTty([...args, '-K', '-o', 'plain'], p.dir, password)
    expect(r.output).toContain('BECOME password:')
    expect(r.output.includes(password)).toBe(false)
    expect(readFileSync(p.path('seen.txt'), 'utf8')).toBe(`${password}\n`)
  }, 30_000)

  it('the password is not in the argv `ps` shows while pgha runs', async () => {
    const { p, password } = becomeProject()
    writeFileSync(p.path('slow.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 2\n`)
    const child = spawn(process.execPath, [BIN, 'run', p.path('slow.yml'), '-i', p.path('inv.ini'), '--become-password-file', p.path('pw.txt')], { cwd: p.dir, stdio: 'ignore' })
    await new Promise((r) => setTimeout(r, 800))
    const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8')
    const code = await new Promise((r) => child.on('close', r))
    expect(code).toBe(0)
    expect(argv).toContain('--become-password-file')
    expect(argv.includes(password)).toBe(false)
    expect(environ.includes(password)).toBe(false)
  }, 30_000)

  it.each([
    ['both a file and -K', (p: ReturnType<typeof project>) => ['--become-password-file', p.path('pw.txt'), '-K'], /give the become password once/],
    ['a missing password file', (p: ReturnType<typeof project>) => ['--become-password-file', p.path('none.txt')], /cannot read the file .*none\.txt given with --become-password-file \(no such file\)/],
    ['a directory as the password file', (p: ReturnType<typeof project>) => ['--become-password-file', p.dir], /not a regular file/],
  ])('%s: exit 1, nothing runs', async (_label, flags, message) => {
    const { p, args } = becomeProject()
    const r = await pgha([...args, ...flags(p)], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(message)
    expect(() => readFileSync(p.path('seen.txt'))).toThrow()
  }, 30_000)
})

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env }
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]
  }
}
