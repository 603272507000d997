// Secrets pgha missed before: values on input-error lines whose quote or bracket is left open, secrets
// nested in a mapping under a secret-named key, and secrets transformed by pgha's own helpers (quote,
// json) or encoded (base64, alone or inside a longer text) shown in --diff, JSON and -v. Each case is a
// real run of the built pgha; the assertion is the user's: the secret is in no output channel (plain,
// JSON, TTY, -vvv, --diff, errors, render, inventory). Controls show that each channel did carry the
// value when it was not marked secret, so no assertion passes by missing the channel.
import { describe, expect, it } from 'vitest'
import { maskSecretAssignments, MASK, scrub } from '../../src/secrets/index.js'
import { expectNowhere, LOCAL_INVENTORY, pgha, pghaOnTty, project, unique } from './hostile-project.js'

const PLAYBOOK = '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: touch __DIR__/MARKER\n'

describe('an input error quoting a line never shows the secret on it', () => {
  // The inventory line under the error: a quote or bracket left open, a value with spaces, a nested key.
  const inventories: [string, (s: string) => Record<string, string>][] = [
    ['INI value in an unclosed double quote, with spaces', (s) => ({ 'inv.ini': `node1 ansible_connection=local db_password="${s} and more words\n` })],
    ['INI value in an unclosed single quote', (s) => ({ 'inv.ini': `node1 ansible_connection=local ansible_become_pass='${s} x\n` })],
    ['YAML value in an unclosed double quote', (s) => ({ 'inv.yml': `all:\n  hosts:\n    node1:\n      db_password: "${s} two words\n` })],
    ['YAML value after an open [', (s) => ({ 'inv.yml': `all:\n  hosts:\n    node1: {api_token: [${s}, second ${s}\n` })],
    ['YAML value in a nested open {', (s) => ({ 'inv.yml': `all:\n  hosts:\n    node1: {repmgr: {password: ${s} with spaces, port: 5432\n` })],
    ['YAML plain value with spaces on a bad line', (s) => ({ 'inv.yml': `all:\n  hosts:\n    node1:\n      db_password: ${s} words: after\n` })],
  ]
  const commands: [string, (p: ReturnType<typeof project>, inv: string) => string[]][] = [
    ['run', (p, inv) => ['run', p.path('site.yml'), '-i', inv]],
    ['render', (p, inv) => ['render', '-i', inv, '--playbook', p.path('site.yml'), '--out', p.path('out')]],
    ['inventory', (_p, inv) => ['inventory', '-i', inv]],
    ['status', (_p, inv) => ['status', '-i', inv]],
  ]
  for (const [label, files] of inventories) {
    it.each(commands)(`${label}: pgha %s exits 1 and prints ******** instead`, async (_cmd, args) => {
      const secret = unique('s3cret')
      const f = files(secret)
      const p = project({ ...f, 'site.yml': PLAYBOOK }, 'mask-input')
      const r = await pgha(args(p, p.path(Object.keys(f)[0])), p.dir)
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expect(r.stderr).toContain(MASK)
      expectNowhere(r, secret, secret.slice(-12))
    }, 30_000)
  }

  it.each([
    ['-e with an unterminated quote', (s: string) => `db_password='${s} more words`],
    ['-e JSON left open', (s: string) => `{"api_token": "${s} more", `],
    ['-e with a bracket left open', (s: string) => `{"db": {"password": [${s}, x`],
  ])('%s: exit 1, the value masked', async (_label, extra) => {
    const secret = unique('s3cret')
    const p = project({ 'inv.ini': LOCAL_INVENTORY, 'site.yml': PLAYBOOK }, 'mask-e')
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-e', extra(secret)], p.dir)
    expect(r.code, r.stderr).toBe(1)
    expectNowhere(r, secret)
  }, 30_000)

  it('the masking reads the whole value to its line end or closing character', () => {
    expect(maskSecretAssignments('db_password="abc def ghi')).toBe(`db_password=${MASK}`)
    expect(maskSecretAssignments('token: [a b, c d')).toBe(`token: ${MASK}`)
    expect(maskSecretAssignments('x {password: "a, b", user: bob}')).toBe(`x {password: ${MASK}, user: bob}`)
    expect(maskSecretAssignments('db_password=abc port=5432')).toBe(`db_password=${MASK} port=5432`)
  })
})

/** One local host whose inventory holds `vars`; the playbook's tasks given. */
function run(vars: Record<string, unknown>, tasks: string, files: Record<string, string> = {}) {
  const inventory = { all: { hosts: { node1: { ansible_connection: 'local' } }, vars } }
  return project({ 'inv.yml': JSON.stringify(inventory), 'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`, ...files }, 'mask-run')
}

const MODES: [string, string[]][] = [
  ['plain -v --diff', ['-o', 'plain', '-v', '--diff']],
  ['json -vvv --diff', ['-o', 'json', '-vvv', '--diff']],
  ['tty --diff', ['-o', 'tty', '--diff']],
]

async function inMode(p: ReturnType<typeof project>, mode: string[]) {
  const args = ['run', p.path('site.yml'), '-i', p.path('inv.yml'), ...mode]
  return mode[1] === 'tty' ? pghaOnTty(args, p.dir) : pgha(args, p.dir)
}

describe('a secret nested under a secret-named key, at any depth', () => {
  const TASKS = `    - command: echo {{ repmgr.password }} {{ db.users[0].token }}
    - debug: { msg: "{{ repmgr.password }} {{ db.users[0].token }}" }
    - copy: { dest: __DIR__/out.txt, content: "{{ repmgr.password }} {{ db.users[0].token }}\\n" }
`
  it.each(MODES)('%s: neither value is shown', async (_label, mode) => {
    const [a, b] = [unique('nested'), unique('deeper')]
    const p = run({ repmgr: { user: 'repmgr', password: a }, db: { users: [{ name: 'app', token: b }] } }, TASKS)
    const r = await inMode(p, mode)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expectNowhere(r, a, b)
    expect(r.stdout).toContain(MASK)
  }, 30_000)

  it('control: the same values under plain names are shown', async () => {
    const [a, b] = [unique('nested'), unique('deeper')]
    const p = run({ repmgr: { user: 'repmgr', word: a }, db: { users: [{ name: 'app', id: b }] } }, TASKS.replaceAll('.password', '.word').replaceAll('.token', '.id'))
    const r = await inMode(p, MODES[0][1])
    expect(r.stdout).toContain(a)
    expect(r.stdout).toContain(b)
  }, 30_000)
})

describe('a secret transformed by a helper or encoded is masked in that form too', () => {
  // The secret holds the characters each transformation changes: a quote, a double quote, a backslash, a space.
  const secretOf = (): string => `${unique('pw')} it's "q" \\ end`
  const CASES: [string, string, (s: string) => string][] = [
    ['quote filter in a command (-v, JSON cmd)', `    - shell: "echo {{ db_password | quote }} > /dev/null; echo {{ db_password | quote }}"\n`, (s) => `'${s.replace(/'/g, `'\\''`)}'`],
    ['to_json filter in a file (--diff)', `    - copy: { dest: __DIR__/conf.json, content: "pw={{ db_password | to_json }}\\n" }\n`, (s) => JSON.stringify(s)],
    ['b64encode filter in a file (--diff) and a message', `    - copy: { dest: __DIR__/conf.b64, content: "{{ db_password | b64encode }}\\n" }\n    - debug: { msg: "{{ db_password | b64encode }}" }\n`, (s) => `x${Buffer.from(s).toString('base64')}x`],
    ['base64 of the secret (a host encoding it)', `    - shell: printf %s {{ db_password | quote }} | base64 -w0\n`, (s) => Buffer.from(s).toString('base64')],
    ['base64 of user:secret (basic auth)', `    - shell: printf 'admin:%s' {{ db_password | quote }} | base64 -w0\n`, (s) => Buffer.from(`admin:${s}`).toString('base64').slice(8, -4)],
  ]
  for (const [label, task, form] of CASES) {
    it.each(MODES)(`${label}: %s`, async (_mode, mode) => {
      const secret = secretOf()
      const p = run({ db_password: secret }, task)
      const r = await inMode(p, mode)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expectNowhere(r, secret, form(secret).slice(1, -1))
    }, 30_000)
  }

  it('scrub masks each form pgha can produce: quoted, JSON, YAML, URL, base64 at every alignment', () => {
    const s = `p4ss 'w"o\\rd é`
    for (const form of [
      s.replace(/'/g, `'\\''`), JSON.stringify(s).slice(1, -1), s.replace(/'/g, "''"), encodeURIComponent(s),
      Buffer.from(s).toString('base64'), Buffer.from(`x${s}`).toString('base64').slice(4, 20), Buffer.from(`xy${s}`).toString('base64').slice(4, 20),
      Buffer.from(s).toString('base64url'),
    ]) expect(scrub(`before ${form} after`, [s]), form).not.toContain(form)
  })
})

describe('pgha render and pgha inventory', () => {
  it('render: an error about a host and its _render.txt never show the secret', async () => {
    const secret = unique('rendered')
    const p = run({ db_password: secret }, `    - copy: { dest: /etc/app.conf, content: "x", mode: "{{ db_password }}" }\n    - copy: { dest: /etc/ok.conf, content: "pw={{ db_password }}\\n" }\n`)
    const r = await pgha(['render', '-i', p.path('inv.yml'), '--playbook', p.path('site.yml'), '--out', p.path('out')], p.dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain('mode must be octal')
    expectNowhere(r, secret)
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(p.path('out/node1/_render.txt'), 'utf8')).not.toContain(secret)
    // The rendered file itself is what the host would get: the review needs the value there.
    expect(readFileSync(p.path('out/node1/etc/ok.conf'), 'utf8')).toBe(`pw=${secret}\n`)
  }, 30_000)

  it('inventory: a nested secret prints masked in YAML and JSON', async () => {
    const secret = unique('inv')
    const p = run({ repmgr: { conn: { password: secret } } }, '    - debug: {msg: x}\n')
    for (const format of ['yaml', 'json']) {
      const r = await pgha(['inventory', '-i', p.path('inv.yml'), '-o', format], p.dir)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(MASK)
      expectNowhere(r, secret)
    }
  }, 30_000)
})

describe('a module argument that is a password is secret even written literally', () => {
  // yum_repository writes its passwords into the .repo file, which --diff and -vvv show; Ansible's
  // module marks both no_log. The control is `username`, written beside them, which the diff shows.
  it.each([['password'], ['proxy_password']])('yum_repository %s: not in --diff, -vvv or JSON', async (param) => {
    const secret = unique('repo-pw')
    const user = unique('repo-user')
    const p = project({ 'inv.ini': LOCAL_INVENTORY, 'repos/.keep': '' }, 'mask-args')
    const task = { name: 'r1', description: 'R', baseurl: 'http://127.0.0.1/', reposdir: p.path('repos'), username: user, [param]: secret }
    const { writeFileSync, readFileSync, rmSync } = await import('node:fs')
    writeFileSync(p.path('site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - yum_repository: ${JSON.stringify(task)}\n`)
    for (const args of [['--diff', '-vvv'], ['--diff', '-o', 'json']]) {
      rmSync(p.path('repos/r1.repo'), { force: true })
      const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), ...args], p.dir)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toContain(user)
      expectNowhere(r, secret)
      // The file on the host holds it: that is what the task is for.
      expect(readFileSync(p.path('repos/r1.repo'), 'utf8')).toContain(`${param} = ${secret}`)
    }
  }, 30_000)
})
