// A process that serves several commands (the run server) gives each the result a fresh process gives,
// whatever the previous one was given: its vault passwords, cwd, environment and files. Each command is run
// as the server runs it (startNewRun, then main() in this process) and compared with `node bin/pgha.js`
// run afresh with the same arguments, cwd and environment.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Vault } from 'ansible-vault'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index.js'
import { sourceLine } from '../../src/errors.js'
import { startNewRun } from '../../src/run-state.js'
import { haveVaultSecrets, revealedVaultValues } from '../../src/secrets/vault.js'
import { compileTemplate } from '../../src/vars/jinja/index.js'
import { haveAnsible } from '../modules/ansible-differential.js'
import { pgha as fresh, type Captured } from '../secrets/cli.js'

const root = mkdtempSync(join(tmpdir(), 'pgha-run-state-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Writes the files (paths relative to a new directory under root) and returns that directory. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  mkdirSync(dir, { recursive: true })
  return dir
}

/** The environment both kinds of run get on top of this process's (undefined: unset). */
type Env = Record<string, string | undefined>

/** `pgha ARGS` as the run server runs it: startNewRun, then main() in this process, in `cwd`, with `env`. */
async function served(args: string[], cwd: string, env: Env = {}): Promise<Captured> {
  startNewRun()
  const before = { cwd: process.cwd(), env: { ...process.env } }
  let stdout = ''
  let stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true))
  try {
    process.chdir(cwd)
    for (const [k, v] of Object.entries({ NO_COLOR: '1', CI: '1', ...env })) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    const code = await main(['node', 'pgha', ...args])
    return { code, stdout, stderr }
  } finally {
    vi.restoreAllMocks()
    process.chdir(before.cwd)
    for (const k of Object.keys(process.env)) if (!(k in before.env)) delete process.env[k]
    Object.assign(process.env, before.env)
  }
}

/** The same command in a new process; the run's time, which differs from run to run, left out. */
async function afresh(args: string[], cwd: string, env: Env = {}): Promise<Captured> {
  return untimed(await fresh(args, cwd, { ...process.env, ...env }))
}

const untimed = (r: Captured): Captured => ({ ...r, stdout: r.stdout.replace(/^elapsed \S+$/m, 'elapsed (time)') })

const INVENTORY = 'node1 ansible_connection=local\n'

describe('a process serving several commands', () => {
  describe('vault passwords', () => {
    const password = 'run-one-password'
    const secret = 'plaintext-of-run-one'
    const ciphertext = new Vault({ password }).encryptSync(secret, '')
    const dir = tree('vault', {
      'inv.ini': INVENTORY,
      'right.txt': `${password}\n`,
      'wrong.txt': 'another-password\n',
      'site.yml': `- hosts: all
  gather_facts: false
  vars:
    db_password: !vault |
${ciphertext.split('\n').map((l) => `      ${l}`).join('\n')}
  tasks:
    - debug: { msg: "value {{ db_password }}" }
`,
    })
    const run = (...more: string[]): string[] => ['run', join(dir, 'site.yml'), '-i', join(dir, 'inv.ini'), ...more]

    it("run 1's password cannot decrypt in run 2 when run 2 gives none, and its plaintext is not kept", async () => {
      const first = await served(run('--vault-password-file', join(dir, 'right.txt')), dir)
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout).toContain('value ********')
      startNewRun()
      expect(haveVaultSecrets()).toBe(false)
      expect(revealedVaultValues()).not.toContain(secret)
      const second = await served(run(), dir)
      expect(second.code).toBe(2)
      expect(second.stdout).toContain('this value is encrypted with Ansible Vault: pass --vault-password-file FILE')
      expect(untimed(second)).toEqual(await afresh(run(), dir))
    })

    it('a wrong password in run 2 fails, although run 1 opened the same file with the right one', async () => {
      expect((await served(run('--vault-password-file', join(dir, 'right.txt')), dir)).code).toBe(0)
      const second = await served(run('--vault-password-file', join(dir, 'wrong.txt')), dir)
      expect(second.code).toBe(1)
      expect(second.stderr).toContain('none of the vault passwords given')
      expect(second.stdout + second.stderr).not.toContain(secret)
      expect(second).toEqual(await afresh(run('--vault-password-file', join(dir, 'wrong.txt')), dir))
    })
  })

  it("a failed run's exit code is not the next command's", async () => {
    const dir = tree('exit-code', {
      'inv.ini': INVENTORY,
      'fails.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: { msg: planned }\n',
    })
    expect((await served(['run', join(dir, 'fails.yml'), '-i', join(dir, 'inv.ini')], dir)).code).toBe(2)
    const inventory = ['inventory', '-i', join(dir, 'inv.ini'), '-o', 'json']
    const second = await served(inventory, dir)
    expect(second.code).toBe(0)
    expect(second).toEqual(await afresh(inventory, dir))
  })

  it('leaves no listener behind per command (a server serving hundreds would warn of a leak)', async () => {
    const dir = tree('listeners', { 'inv.ini': INVENTORY })
    const inventory = ['inventory', '-i', join(dir, 'inv.ini')]
    await served(inventory, dir)
    const before = process.stdout.listenerCount('error')
    for (let i = 0; i < 3; i++) expect((await served(inventory, dir)).code).toBe(0)
    expect(process.stdout.listenerCount('error')).toBe(before)
  })

  it("run 1's -e texts, passwords among them, are not kept for quoting after it", async () => {
    const dir = tree('extra-vars', { 'inv.ini': INVENTORY, 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks: []\n' })
    const check = ['run', join(dir, 'site.yml'), '-i', join(dir, 'inv.ini'), '--syntax-check', '-e', 'db_password=hunter2-of-run-one']
    expect((await served(check, dir)).code).toBe(0)
    expect(sourceLine({ file: '-e #1', line: 1, col: 1 })).toContain('hunter2-of-run-one')
    startNewRun()
    expect(sourceLine({ file: '-e #1', line: 1, col: 1 })).toBeUndefined()
  })

  describe("the library path of ansible.cfg, read from the cwd's", () => {
    const project = tree('library', {
      'inv.ini': INVENTORY,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - own_module: {}\n',
    })
    const module = '#!/bin/sh\n# WANT_JSON\necho \'{"changed": false}\'\n'
    const check = ['run', join(project, 'site.yml'), '-i', join(project, 'inv.ini'), '--syntax-check']

    it('follows a change of cwd', async () => {
      const withLibrary = tree('library/cwd-a', { 'ansible.cfg': '[defaults]\nlibrary = lib\n', 'lib/own_module': module })
      const without = tree('library/cwd-b', { 'README': 'no ansible.cfg here\n' })
      const first = await served(check, withLibrary)
      expect(first.code, first.stderr).toBe(0)
      const second = await served(check, without)
      expect(second.code).toBe(1)
      expect(second.stderr).toContain('own_module')
      expect(second).toEqual(await afresh(check, without))
    })

    it('follows an edit of ansible.cfg', async () => {
      const cwd = tree('library/cwd-c', { 'ansible.cfg': '[defaults]\nlibrary = lib\n', 'lib/own_module': module, 'empty/README': 'no modules\n' })
      expect((await served(check, cwd)).code).toBe(0)
      writeFileSync(join(cwd, 'ansible.cfg'), '[defaults]\nlibrary = empty\n')
      const second = await served(check, cwd)
      expect(second.code).toBe(1)
      expect(second).toEqual(await afresh(check, cwd))
    })
  })

  it.skipIf(!haveAnsible)("Ansible's modules are built with this run's Ansible settings, not those the payload helper started with", async () => {
    // A module of a collection of the test's own that reports what Ansible's configuration gave it.
    const dir = tree('ansible-helper', {
      'inv.ini': INVENTORY,
      'collections/ansible_collections/pgha_test/state/plugins/modules/facility.py': `from ansible.module_utils.basic import AnsibleModule
module = AnsibleModule(argument_spec={})
module.exit_json(changed=False, facility=module._syslog_facility)
`,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - pgha_test.state.facility: {}\n      register: r\n    - debug: { msg: "facility={{ r.facility }}" }\n',
    })
    const run = ['run', join(dir, 'site.yml'), '-i', join(dir, 'inv.ini')]
    const env = (facility: string): Env => ({ ANSIBLE_COLLECTIONS_PATH: join(dir, 'collections'), ANSIBLE_SYSLOG_FACILITY: facility })
    const first = await served(run, dir, env('LOG_LOCAL1'))
    expect(first.stdout, first.stderr).toContain('facility=LOG_LOCAL1')
    const second = await served(run, dir, env('LOG_LOCAL2'))
    expect(second.stdout, second.stderr).toContain('facility=LOG_LOCAL2')
    expect(untimed(second)).toEqual(await afresh(run, dir, env('LOG_LOCAL2')))
  }, 120_000)

  it('Jinja2 extensions enabled by the environment of run 1 are not enabled for run 2', async () => {
    const dir = tree('extensions', {
      'inv.ini': INVENTORY,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{% for i in [1, 2] %}{{ i }}{% break %}{% endfor %}" }\n',
    })
    const check = ['run', join(dir, 'site.yml'), '-i', join(dir, 'inv.ini'), '--syntax-check']
    expect((await served(check, dir, { ANSIBLE_JINJA2_EXTENSIONS: 'jinja2.ext.loopcontrols' })).code).toBe(0)
    startNewRun()
    // A fresh process has none until a playbook's ansible.cfg or environment names them (a command that
    // loads no playbook renders with none).
    expect(() => compileTemplate('{% for i in [1, 2] %}{{ i }}{% break %}{% endfor %}', 'string')).toThrow(/jinja2\.ext\.loopcontrols/)
  })
})
