// Ansible Vault: files and values encrypted by Debian's ansible-vault (the real tool, not our own
// encryption) are decrypted by pgha with --vault-password-file, --vault-id LABEL@FILE, --ask-vault-pass
// and an executable password file; their values are used by the play and are secrets everywhere, under
// any name. A wrong or missing password, a tampered file or a decrypted file with a YAML error is an
// input error naming file:line:col, with nothing contacted and no plaintext quoted.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decrypt, MASK, revealVault, secretValues, useVaultSecrets } from '../../src/secrets/index.js'
import { expectNowhere, LOCAL_INVENTORY, pgha, pghaOnTty, project, typedOnTty, unique } from './hostile-project.js'

const haveAnsibleVault = (() => {
  try {
    execFileSync('ansible-vault', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** Encrypts a file in place with Debian's ansible-vault. */
function encrypt(file: string, passwordFile: string, label?: string): void {
  const id = label ? ['--vault-id', `${label}@${passwordFile}`] : ['--vault-password-file', passwordFile]
  execFileSync('ansible-vault', ['encrypt', ...id, file], { stdio: 'ignore', env: { ...process.env, ANSIBLE_LOCAL_TEMP: '/tmp' } })
}

/** A `!vault` value's ciphertext from `ansible-vault encrypt_string`. */
function encryptString(value: string, passwordFile: string, label?: string): string {
  const id = label ? ['--vault-id', `${label}@${passwordFile}`] : ['--vault-password-file', passwordFile]
  const out = execFileSync('ansible-vault', ['encrypt_string', ...id, value], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  return out.split('\n').slice(1).map((l) => l.trim()).join('\n').trim()
}

/** A project whose vars file `vars.yml` holds the secret, encrypted; the play copies it into a file and prints it. */
function vaulted(opts: { label?: string; name?: string; where?: 'vars_files' | 'group_vars' | 'host_vars' | 'extra' } = {}) {
  const secret = unique('vaulted')
  const password = unique('vault-pass')
  const name = opts.name ?? 'db_password'
  const where = opts.where ?? 'vars_files'
  const varsPath = { vars_files: 'vars.yml', group_vars: 'group_vars/all.yml', host_vars: 'host_vars/node1.yml', extra: 'extra.yml' }[where]
  const p = project({
    'inv.ini': LOCAL_INVENTORY,
    [varsPath]: `${name}: "${secret}"\nother: plain-value\n`,
    'pass.txt': `${password}\n`,
    'site.yml': `- hosts: all
  gather_facts: false
${where === 'vars_files' ? '  vars_files: [vars.yml]\n' : ''}  tasks:
    - copy: { dest: __DIR__/out.txt, content: "{{ ${name} }}\\n" }
    - debug: { msg: "value {{ ${name} }}" }
    - command: echo {{ ${name} }}
`,
  }, 'vault')
  encrypt(p.path(varsPath), p.path('pass.txt'), opts.label)
  return { p, secret, password, args: ['run', p.path('site.yml'), '-i', p.path('inv.ini'), ...(where === 'extra' ? ['-e', `@${p.path('extra.yml')}`] : [])] }
}

describe.skipIf(!haveAnsibleVault)('files encrypted by ansible-vault, decrypted by pgha', () => {
  it('the encrypted file holds no plaintext (the test encrypts for real)', () => {
    const { p, secret } = vaulted()
    const text = readFileSync(p.path('vars.yml'), 'utf8')
    expect(text.startsWith('$ANSIBLE_VAULT;1.1;AES256')).toBe(true)
    expect(text).not.toContain(secret)
  })

  it.each([
    ['vars_files, -o plain -vvv --diff', 'vars_files', ['-o', 'plain', '-vvv', '--diff']],
    ['vars_files, -o json -vvv --diff', 'vars_files', ['-o', 'json', '-vvv', '--diff']],
    ['group_vars/all.yml', 'group_vars', ['-v', '--diff']],
    ['host_vars/node1.yml', 'host_vars', ['-v', '--diff']],
    ['-e @file', 'extra', ['-v', '--diff']],
  ] as const)('%s: the value reaches the host, and no output shows it', async (_label, where, flags) => {
    const { p, secret, args } = vaulted({ where })
    const r = await pgha([...args, '--vault-password-file', p.path('pass.txt'), ...flags], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
    expectNowhere(r, secret)
    expect(r.stdout).toContain(MASK)
  }, 30_000)

  it('on a terminal (tty) with --diff: not shown', async () => {
    const { p, secret, args } = vaulted()
    const r = await pghaOnTty([...args, '--vault-password-file', p.path('pass.txt'), '-o', 'tty', '--diff', '-v'], p.dir)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
    expect(r.stdout.includes(secret)).toBe(false)
  }, 30_000)

  it('a value under a name that does not look secret is masked too', async () => {
    const { p, secret, args } = vaulted({ name: 'greeting' })
    const r = await pgha([...args, '--vault-password-file', p.path('pass.txt'), '-v'], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
    expectNowhere(r, secret)
  }, 30_000)

  it('--vault-id LABEL@FILE with a 1.2 labelled file, among other ids', async () => {
    const { p, secret, args } = vaulted({ label: 'prod' })
    expect(readFileSync(p.path('vars.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;prod/)
    writeFileSync(p.path('dev.txt'), 'not-this-one\n')
    const r = await pgha([...args, '--vault-id', `dev@${p.path('dev.txt')}`, '--vault-id', `prod@${p.path('pass.txt')}`], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
    expectNowhere(r, secret)
  }, 30_000)

  it('an executable password file prints the password', async () => {
    const { p, secret, password, args } = vaulted()
    writeFileSync(p.path('pass.sh'), `#!/bin/sh\necho '${password}'\n`)
    chmodSync(p.path('pass.sh'), 0o700)
    const r = await pgha([...args, '--vault-password-file', p.path('pass.sh')], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
  }, 30_000)

  it('--ask-vault-pass asks on the terminal without echo', async () => {
    const { p, secret, password, args } = vaulted()
    const r = await typedOnTty([...args, '--ask-vault-pass', '-o', 'plain'], p.dir, password)
    expect(r.output).toContain('Vault password:')
    expect(r.output.includes(password)).toBe(false)
    expect(r.output.includes(secret)).toBe(false)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
  }, 30_000)

  it.each([
    ['a wrong password', (p: ReturnType<typeof project>) => { writeFileSync(p.path('bad.txt'), 'wrong\n'); return ['--vault-password-file', p.path('bad.txt')] }, /cannot decrypt vars\.yml; .*none of the vault passwords given \(default\) decrypts it/],
    ['no password at all', () => [], /cannot decrypt vars\.yml; it is encrypted with Ansible Vault and no vault password was given \(--vault-password-file/],
    ['a missing password file', (p: ReturnType<typeof project>) => ['--vault-password-file', p.path('nope.txt')], /cannot read the file .*nope\.txt given with --vault-password-file \(no such file\)/],
    ['an empty password file', (p: ReturnType<typeof project>) => { writeFileSync(p.path('empty.txt'), '\n'); return ['--vault-password-file', p.path('empty.txt')] }, /the vault password for 'default' is empty/],
  ])('%s: exit 1 before anything runs, naming where', async (_label, flags, message) => {
    const { p, args } = vaulted()
    const r = await pgha([...args, ...flags(p)], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(message)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it('a tampered file is refused (its HMAC fails), nothing runs', async () => {
    const { p, args } = vaulted()
    const text = readFileSync(p.path('vars.yml'), 'utf8').split('\n')
    text[3] = text[3].replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0'))
    writeFileSync(p.path('vars.yml'), text.join('\n'))
    const r = await pgha([...args, '--vault-password-file', p.path('pass.txt')], p.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/site\.yml:3:\d+: cannot decrypt vars\.yml/)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it('a YAML error inside the decrypted file names file:line:col and quotes no plaintext', async () => {
    const secret = unique('broken')
    const p = project({ 'inv.ini': LOCAL_INVENTORY, 'pass.txt': 'pw-x\n', 'vars.yml': `ok: 1\ndb_password: "${secret}\nmore: [x\n`, 'site.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [vars.yml]\n  tasks:\n    - command: touch __DIR__/MARKER\n' }, 'vault')
    encrypt(p.path('vars.yml'), p.path('pass.txt'))
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '--vault-password-file', p.path('pass.txt')], p.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/vars\.yml:\d+:\d+: YAML syntax error/)
    expect(r.stderr).toContain('(a line of an encrypted file: not shown)')
    expectNowhere(r, secret)
    expect(existsSync(p.path('MARKER'))).toBe(false)
  }, 30_000)

  it('pgha inventory with an encrypted group_vars file prints its values masked', async () => {
    const { p, secret } = vaulted({ where: 'group_vars', name: 'greeting' })
    const r = await pgha(['inventory', '-i', p.path('inv.ini'), '--vault-password-file', p.path('pass.txt'), '-o', 'json'], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).hosts.node1.vars.greeting).toBe(MASK)
    expectNowhere(r, secret)
  }, 30_000)

  it('pgha render decrypts and shows the value only in the rendered file', async () => {
    const { p, secret } = vaulted()
    const r = await pgha(['render', '-i', p.path('inv.ini'), '--playbook', p.path('site.yml'), '--out', p.path('out'), '--vault-password-file', p.path('pass.txt')], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expectNowhere(r, secret)
    expect(readFileSync(`${p.path('out/node1')}${p.path('out.txt')}`, 'utf8')).toBe(`${secret}\n`)
  }, 30_000)

  it('!vault values: decrypt() and revealVault() read encrypt_string output, and the value becomes a secret', () => {
    const p = project({ 'pass.txt': 'label-pass\n' }, 'vault')
    const value = unique('inline')
    const cipher = encryptString(value, p.path('pass.txt'), 'prod')
    expect(decrypt(cipher, [{ label: 'dev', password: 'nope' }, { label: 'prod', password: 'label-pass' }])).toBe(value)
    expect(() => decrypt(cipher, [{ label: 'prod', password: 'nope' }])).toThrow(/none of the vault passwords given \(prod\) decrypts it/)
    useVaultSecrets([{ label: 'prod', password: 'label-pass' }])
    const vars = { conn: { user: 'app', key: { ciphertext: cipher } } }
    expect(revealVault(vars)).toEqual({ conn: { user: 'app', key: value } })
    expect(secretValues({ unrelated: 'x' })).toContain(value)
  })
})
