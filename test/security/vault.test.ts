// Ansible Vault: files and values encrypted by Debian's ansible-vault (the real tool, not our own
// encryption) are decrypted by pgha with --vault-password-file, --vault-id LABEL@FILE, --ask-vault-pass
// and an executable password file; their values are used by the play and are secrets everywhere, under
// any name. A wrong or missing password, a tampered file or a decrypted file with a YAML error is an
// input error naming file:line:col, with nothing contacted and no plaintext quoted.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decrypt, MASK, revealVault, secretValues, useVaultSecrets } from '../../src/secrets/index.js'
import { ansibleInstalled, ansiblePlaybook } from '../engine/ansible-oracle.js'
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

/** Run with a wrong `dev` id and the right `prod` one: the prod-labelled value is decrypted into out.txt, and shown nowhere. */
async function expectOpenedByLabel(p: ReturnType<typeof project>, args: string[], secret: string): Promise<void> {
  writeFileSync(p.path('dev.txt'), 'not-this-one\n')
  const r = await pgha([...args, '--vault-id', `dev@${p.path('dev.txt')}`, '--vault-id', `prod@${p.path('pass.txt')}`], p.dir)
  expect(r.code, r.stderr).toBe(0)
  expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
  expectNowhere(r, secret)
}

/** `pgha inventory -o json` shows node1's `greeting` masked and the secret nowhere. */
async function expectInventoryMasked(p: ReturnType<typeof project>, inventory: string, secret: string): Promise<void> {
  const r = await pgha(['inventory', '-i', p.path(inventory), '--vault-password-file', p.path('pass.txt'), '-o', 'json'], p.dir)
  expect(r.code, r.stderr).toBe(0)
  expect(JSON.parse(r.stdout).hosts.node1.vars.greeting).toBe(MASK)
  expectNowhere(r, secret)
}

/** `pgha render` of site.yml writes the secret into node1's rendered out.txt, and no output shows it (or `forms` of it). */
async function expectRenderedOnly(p: ReturnType<typeof project>, inventory: string, secret: string, ...forms: string[]): Promise<void> {
  const r = await pgha(['render', '-i', p.path(inventory), '--playbook', p.path('site.yml'), '--out', p.path('out'), '--vault-password-file', p.path('pass.txt')], p.dir)
  expect(r.code, r.stderr).toBe(0)
  expectNowhere(r, secret, ...forms)
  expect(readFileSync(`${p.path('out/node1')}${p.path('out.txt')}`, 'utf8')).toBe(`${secret}\n`)
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
    await expectOpenedByLabel(p, args, secret)
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
    await expectInventoryMasked(p, 'inv.ini', secret)
  }, 30_000)

  it('pgha render decrypts and shows the value only in the rendered file', async () => {
    const { p, secret } = vaulted()
    await expectRenderedOnly(p, 'inv.ini', secret)
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

/** `name: !vault |` with the ciphertext of `value`, indented under `indent`, as encrypt_string prints it. */
function vaultEntry(name: string, value: string, passwordFile: string, indent: string, label?: string): string {
  const cipher = encryptString(value, passwordFile, label)
  return `${indent}${name}: !vault |\n${cipher.split('\n').map((l) => `${indent}  ${l}`).join('\n')}\n`
}

type Where = 'vars_file' | 'play_vars' | 'inventory_host' | 'inventory_group' | 'group_vars' | 'extra' | 'task_vars'

/**
 * A project where `greeting` (a name that does not look secret) is an inline `!vault` value at `where`;
 * the play writes it into out.txt, prints it, passes it to a command and prints forms of it.
 */
function inlineVaulted(where: Where, opts: { label?: string } = {}) {
  const secret = unique('inline-vaulted')
  const password = unique('vault-pass')
  const p = project({ 'pass.txt': `${password}\n` }, 'vault-inline')
  const entry = (indent: string): string => vaultEntry('greeting', secret, p.path('pass.txt'), indent, opts.label)
  const inventory = where === 'inventory_host'
    ? `all:\n  hosts:\n    node1:\n      ansible_connection: local\n${entry('      ')}`
    : where === 'inventory_group'
      ? `all:\n  hosts:\n    node1:\n      ansible_connection: local\n  vars:\n${entry('    ')}`
      : 'all:\n  hosts:\n    node1:\n      ansible_connection: local\n'
  const files: Record<string, string> = { 'inv.yml': inventory }
  if (where === 'vars_file') files['vars.yml'] = `other: plain\n${entry('')}`
  if (where === 'group_vars') files['group_vars/all.yml'] = entry('')
  if (where === 'extra') files['extra.yml'] = entry('')
  const tasks = `  tasks:
    - copy: { dest: ${p.dir}/out.txt, content: "{{ greeting }}\\n" }
${where === 'task_vars' ? `      vars:\n${entry('        ')}` : ''}    - debug: { msg: "value {{ greeting }} b64 {{ greeting | b64encode }} json {{ greeting | to_json }} q {{ greeting | quote }}" }
${where === 'task_vars' ? `      vars:\n${entry('        ')}` : ''}    - command: echo {{ greeting }}
${where === 'task_vars' ? `      vars:\n${entry('        ')}` : ''}`
  files['site.yml'] = `- hosts: all
  gather_facts: false
${where === 'vars_file' ? '  vars_files: [vars.yml]\n' : ''}${where === 'play_vars' ? `  vars:\n${entry('    ')}` : ''}${tasks}`
  for (const [rel, text] of Object.entries(files)) {
    const path = p.path(rel)
    execFileSync('mkdir', ['-p', path.replace(/\/[^/]*$/, '')])
    writeFileSync(path, text)
  }
  const args = ['run', p.path('site.yml'), '-i', p.path('inv.yml'), ...(where === 'extra' ? ['-e', `@${p.path('extra.yml')}`] : [])]
  return { p, secret, password, args }
}

/** The forms of a secret the play prints (base64, JSON- and shell-quoted are the secret itself here, base64 is not). */
const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe.skipIf(!haveAnsibleVault)('inline !vault values (ansible-vault encrypt_string), decrypted by pgha', () => {
  const WHERE: Where[] = ['vars_file', 'play_vars', 'task_vars', 'inventory_host', 'inventory_group', 'group_vars', 'extra']

  it('the encrypt_string output holds no plaintext (the test encrypts for real)', () => {
    const { p, secret } = inlineVaulted('play_vars')
    const text = readFileSync(p.path('site.yml'), 'utf8')
    expect(text).toContain('!vault |')
    expect(text).toContain('$ANSIBLE_VAULT;1.1;AES256')
    expect(text).not.toContain(secret)
  })

  it.each(WHERE.flatMap((w) => [[w, ['-o', 'plain', '-vvv', '--diff']], [w, ['-o', 'json', '-vvv', '--diff']]] as [Where, string[]][]))(
    '%s, %j: the value reaches the host, no output shows it or its base64',
    async (where, flags) => {
      const { p, secret, args } = inlineVaulted(where)
      const r = await pgha([...args, '--vault-password-file', p.path('pass.txt'), ...flags], p.dir)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
      expectNowhere(r, secret, b64(secret))
      expect(r.stdout).toContain(MASK)
    },
    30_000,
  )

  it.each(WHERE)('%s on a terminal (tty, -vvv --diff): not shown', async (where) => {
    const { p, secret, args } = inlineVaulted(where)
    const r = await pghaOnTty([...args, '--vault-password-file', p.path('pass.txt'), '-o', 'tty', '--diff', '-vvv'], p.dir)
    expect(readFileSync(p.path('out.txt'), 'utf8')).toBe(`${secret}\n`)
    expect(r.stdout.includes(secret)).toBe(false)
    expect(r.stdout.includes(b64(secret))).toBe(false)
  }, 30_000)

  it('--vault-id LABEL@FILE opens a labelled value among other ids', async () => {
    const { p, secret, args } = inlineVaulted('play_vars', { label: 'prod' })
    expect(readFileSync(p.path('site.yml'), 'utf8')).toContain('$ANSIBLE_VAULT;1.2;AES256;prod')
    await expectOpenedByLabel(p, args, secret)
  }, 30_000)

  it.each(WHERE)('%s with a wrong password: exit 1 naming the value\'s file:line:col, nothing runs', async (where) => {
    const { p, args } = inlineVaulted(where)
    writeFileSync(p.path('bad.txt'), 'wrong-password\n')
    const r = await pgha([...args, '--vault-password-file', p.path('bad.txt')], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(/\.yml:\d+:\d+: cannot decrypt this !vault value; it is encrypted with Ansible Vault and none of the vault passwords given \(default\) decrypts it/)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it.each(WHERE)('%s without a vault password: using it is the input error it was, nothing written', async (where) => {
    const { p, args } = inlineVaulted(where)
    const r = await pgha(args, p.dir)
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toMatch(/\.yml:\d+:\d+: this value is encrypted with Ansible Vault: pass --vault-password-file FILE/)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it('a tampered value is refused at its file:line:col (its HMAC fails)', async () => {
    const { p, args } = inlineVaulted('play_vars')
    const lines = readFileSync(p.path('site.yml'), 'utf8').split('\n')
    const i = lines.findIndex((l) => /^\s+[0-9a-f]{20,}$/.test(l)) + 2
    lines[i] = lines[i].replace(/[0-9a-f]/, (ch) => (ch === '0' ? '1' : '0'))
    writeFileSync(p.path('site.yml'), lines.join('\n'))
    const r = await pgha([...args, '--vault-password-file', p.path('pass.txt')], p.dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/site\.yml:4:15: cannot decrypt this !vault value/)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it('pgha inventory prints an inline vaulted host variable masked', async () => {
    const { p, secret } = inlineVaulted('inventory_host')
    await expectInventoryMasked(p, 'inv.yml', secret)
  }, 30_000)

  it('pgha render decrypts it into the rendered file only', async () => {
    const { p, secret } = inlineVaulted('play_vars')
    await expectRenderedOnly(p, 'inv.yml', secret, b64(secret))
  }, 30_000)
})

// nginxinc.nginx copies its licence key with `copy: { src: ..., decrypt: true }`: Ansible's copy action
// decrypts a vault-encrypted src (decrypt is true by default) and copies it as it is with decrypt: false;
// its assemble and template actions and its file and template lookups decrypt what they read alike.
describe.skipIf(!haveAnsibleVault || !ansibleInstalled)('a vault-encrypted src of copy, assemble and template, and of the file and template lookups', () => {
  it('reaches the host decrypted, byte for byte as ansible-playbook writes it, and encrypted with decrypt: false; never shown', async () => {
    const secret = unique('key-line')
    const plain = `-----BEGIN PRIVATE KEY-----\n${secret}\n-----END PRIVATE KEY-----\n`
    const p = project({
      'inv.ini': LOCAL_INVENTORY,
      'pass.txt': `${unique('vault-pass')}\n`,
      'files/cert.key': plain,
      'files/frags/10-plain': 'plain fragment\n',
      'files/frags/20-secret': plain,
      'templates/app.conf.j2': `written by {{ out }}\n${plain}`,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { src: cert.key, dest: "{{ playbook_dir }}/{{ out }}.key", mode: "0600" }
    - copy: { src: cert.key, dest: "{{ playbook_dir }}/{{ out }}-raw.key", decrypt: false, mode: "0600" }
    - assemble: { src: frags, dest: "{{ playbook_dir }}/{{ out }}-frags", remote_src: false, mode: "0600" }
    - template: { src: app.conf.j2, dest: "{{ playbook_dir }}/{{ out }}.conf", mode: "0600" }
    - copy: { content: "{{ lookup('file', 'cert.key') }}|{{ lookup('template', 'app.conf.j2') }}", dest: "{{ playbook_dir }}/{{ out }}.lookups", mode: "0600" }
`,
    }, 'vault-copy')
    encrypt(p.path('files/cert.key'), p.path('pass.txt'))
    encrypt(p.path('files/frags/20-secret'), p.path('pass.txt'))
    encrypt(p.path('templates/app.conf.j2'), p.path('pass.txt'))
    const cipher = readFileSync(p.path('files/cert.key'), 'utf8')
    const a = ansiblePlaybook(['-i', p.path('inv.ini'), p.path('site.yml'), '--vault-password-file', p.path('pass.txt'), '-e', 'out=ansible'], p.dir, { cwd: p.dir })
    expect(a.status, a.stdout + a.stderr).toBe(0)
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '--vault-password-file', p.path('pass.txt'), '-e', 'out=pgha', '--diff', '-v'], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(readFileSync(p.path('ansible.key'), 'utf8')).toBe(plain)
    expect(readFileSync(p.path('pgha.key'), 'utf8')).toBe(plain)
    expect(readFileSync(p.path('pgha-raw.key'), 'utf8')).toBe(readFileSync(p.path('ansible-raw.key'), 'utf8'))
    expect(readFileSync(p.path('pgha-raw.key'), 'utf8')).toBe(cipher)
    expect(readFileSync(p.path('ansible-frags'), 'utf8')).toBe(`plain fragment\n${plain}`)
    expect(readFileSync(p.path('pgha-frags'), 'utf8')).toBe(readFileSync(p.path('ansible-frags'), 'utf8'))
    expect(readFileSync(p.path('ansible.conf'), 'utf8')).toBe(`written by ansible\n${plain}`)
    expect(readFileSync(p.path('pgha.conf'), 'utf8')).toBe(`written by pgha\n${plain}`)
    expect(readFileSync(p.path('ansible.lookups'), 'utf8')).toBe(`${plain.trimEnd()}|written by ansible\n${plain}`)
    expect(readFileSync(p.path('pgha.lookups'), 'utf8')).toBe(`${plain.trimEnd()}|written by pgha\n${plain}`)
    expectNowhere(r, secret)
    // Without the vault password, the task says why, before anything is written.
    const none = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-e', 'out=none'], p.dir)
    expect(none.code).not.toBe(0)
    expect(none.stdout + none.stderr).toContain('cannot decrypt src')
    expect(existsSync(p.path('none.key'))).toBe(false)
  }, 120_000)
})

describe.skipIf(!haveAnsibleVault)('a vault-encrypted src copied to several hosts at once', () => {
  it('is masked in every host\'s diff, whichever host decrypted it first', async () => {
    const secret = unique('shared-key')
    const p = project({
      'inv.ini': 'node1 ansible_connection=local\nnode2 ansible_connection=local\nnode3 ansible_connection=local\n',
      'pass.txt': `${unique('vault-pass')}\n`,
      'files/shared.key': `${secret}\n`,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - copy: { src: shared.key, dest: "{{ playbook_dir }}/{{ run }}-{{ inventory_hostname }}.key" }
    - copy: { src: shared.key, dest: "{{ playbook_dir }}/{{ run }}-{{ inventory_hostname }}-again.key" }
`,
    }, 'vault-hosts')
    encrypt(p.path('files/shared.key'), p.path('pass.txt'))
    for (const output of ['plain', 'json']) {
      const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '--vault-password-file', p.path('pass.txt'), '--diff', '-v', '-o', output, '-e', `run=${output}`], p.dir)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expectNowhere(r, secret)
    }
    for (const host of ['node1', 'node2', 'node3']) expect(readFileSync(p.path(`json-${host}-again.key`), 'utf8')).toBe(`${secret}\n`)
  }, 120_000)
})
