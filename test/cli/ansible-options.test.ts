// ansible-playbook's options as an Ansible user types them: --syntax-check and --list-hosts/-tasks/-tags
// print what a run would do and contact nothing; -u, -c, -b, --become-user, --private-key and -K are defaults
// that a variable naming the same thing overrides (and -u and -c the play's keywords too, as in Ansible), and
// -K's password is a secret like any other.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { askSecret } from '../../src/cli/prompt.js'
import { hostConnectionSpec } from '../../src/engine/index.js'
import { applyCommandLineDefaults } from '../../src/engine/command-line-defaults.js'
import { loadInventory } from '../../src/inventory/index.js'
import { ansibleInstalled, ansiblePlaybook, tempDir } from '../engine/ansible-oracle.js'
import { BIN } from '../built.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-ansible-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}

// Loopback addresses on a closed port: a run that tried to reach them would fail instead of printing a listing.
const inventory = write('hosts.ini', [
  '[primary]', 'db1 ansible_host=127.0.0.2 ansible_port=9', '[standby]', 'db2 ansible_host=127.0.0.3 ansible_port=9', 'db3 ansible_host=127.0.0.4 ansible_port=9 ansible_user=admin ansible_private_key_file=~/.ssh/admin',
  '[local]', 'here ansible_connection=local', '',
].join('\n'))
write('site.yml', `
- name: Databases
  hosts: primary:standby
  tags: [db]
  tasks:
    - name: install
      package: { name: postgresql }
      tags: [packages]
    - block:
        - name: configure
          lineinfile: { path: /etc/x.conf, line: "a = 1" }
          tags: [config]
      rescue:
        - name: report
          debug: { msg: failed }
    - name: only when asked
      debug: { msg: never }
      tags: [never, debugging]
  handlers:
    - name: restart
      debug: { msg: restart }
- name: Controller
  hosts: local
  tasks:
    - debug: { msg: hello }
`)

function pgha(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, timeout: 30_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('--syntax-check and --list-*', () => {
  it('--syntax-check names the playbook and exits 0, contacting nothing', () => {
    expect(pgha(['run', 'site.yml', '-i', inventory, '--syntax-check'])).toEqual({ code: 0, stdout: '\nplaybook: site.yml\n', stderr: '' })
  })

  it('--syntax-check reports a bad playbook at its place, exit 1, as a run would', () => {
    write('bad.yml', '- hosts: all\n  tasks:\n    - copyy: { src: a, dest: b }\n')
    const r = pgha(['run', 'bad.yml', '-i', inventory, '--syntax-check'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("bad.yml:3:7: unknown module 'copyy'")
    expect(r.stdout).toBe('')
  })

  it('--list-hosts prints each play, its pattern and its hosts after --limit', () => {
    const r = pgha(['run', 'site.yml', '-i', inventory, '--list-hosts', '--limit', '!db2'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe([
      '', 'playbook: site.yml',
      '', '  play #1 (primary:standby): Databases\tTAGS: [db]', "    pattern: ['primary:standby']", '    hosts (2):', '      db1', '      db3',
      '', '  play #2 (local): Controller\tTAGS: []', "    pattern: ['local']", '    hosts (1):', '      here', '',
    ].join('\n'))
  })

  it('--list-tasks lists the tasks a run would consider with their tags: blocks opened, handlers and never-tagged left out', () => {
    const r = pgha(['run', 'site.yml', '-i', inventory, '--list-tasks'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain([
      '  play #1 (primary:standby): Databases\tTAGS: [db]', '    tasks:',
      '      install\tTAGS: [db, packages]', '      configure\tTAGS: [config, db]', '      report\tTAGS: [db]',
      '', '  play #2 (local): Controller\tTAGS: []', '    tasks:', '      debug\tTAGS: []', '',
    ].join('\n'))
    const tagged = pgha(['run', 'site.yml', '-i', inventory, '--list-tasks', '--tags', 'config,debugging'])
    expect(tagged.stdout).toContain('    tasks:\n      configure\tTAGS: [config, db]\n      only when asked\tTAGS: [db, debugging, never]\n\n')
  })

  it('--list-tags prints the tags of the tasks each play would run', () => {
    const r = pgha(['run', 'site.yml', '-i', inventory, '--list-tags', '--skip-tags', 'config'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('  play #1 (primary:standby): Databases\tTAGS: [db]\n      TASK TAGS: [db, packages]\n')
    expect(r.stdout).toContain('  play #2 (local): Controller\tTAGS: []\n      TASK TAGS: []\n')
  })
})

describe('-u, -c, -b, --become-user, --private-key and -K', () => {
  it('are every host\'s defaults, which the host\'s own variables (under any of their names) override', () => {
    const inv = loadInventory(inventory)
    applyCommandLineDefaults(inv, { privateKeyFile: '/keys/deploy', becomePassword: 'pw', become: true, becomeUser: 'postgres' })
    const spec = (h: string) => hostConnectionSpec(inv.hosts.get(h)!, inv.hosts.get(h)!.vars, {})
    expect(spec('db1')).toMatchObject({ privateKeyFile: '/keys/deploy' })
    expect(spec('db3')).toMatchObject({ user: 'admin', privateKeyFile: expect.stringMatching(/\/\.ssh\/admin$/) })
    expect(inv.hosts.get('db1')!.vars).toMatchObject({ ansible_become_password: 'pw', ansible_become: true, ansible_become_user: 'postgres' })
  })

  it('-c local runs an inventory\'s ssh hosts on the controller, -b --become-user as that user; a play\'s connection and remote_user win over -c and -u', () => {
    write('cli.yml', [
      '- hosts: db1', '  gather_facts: false', '  tasks:',
      '    - { command: id -un, register: who, changed_when: false }', '    - debug: { msg: "ran as {{ who.stdout }}" }',
      '- hosts: db1', '  gather_facts: false', '  connection: ssh', '  remote_user: playuser', '  tasks:', '    - ping:',
      '- hosts: db2', '  gather_facts: false', '  connection: ssh', '  tasks:', '    - ping:', '',
    ].join('\n'))
    // db1 and db2 are loopback addresses on a closed port: the plays that connect with ssh find them unreachable.
    const r = pgha(['run', 'cli.yml', '-i', inventory, '-c', 'local', '-b', '--become-user', 'nobody', '-u', 'cliuser'])
    expect(r.stdout).toContain('ran as nobody')
    expect(r.stdout).toMatch(/db1 \(playuser@127\.0\.0\.2:9\)/)
    expect(r.stdout).toMatch(/db2 \(cliuser@127\.0\.0\.3:9\)/)
    expect(r.code).toBe(4)
  })

  it.skipIf(!ansibleInstalled)('ranks -u below a play\'s remote_user as ansible-playbook does', () => {
    const home = tempDir('pgha-ansible-u')
    write('user.yml', ['- hosts: db1', '  gather_facts: false', '  remote_user: playuser', '  tasks:', '    - ping:', ''].join('\n'))
    // ansible-playbook says whom it connects as at -vvv; the port is closed, so nothing more happens.
    const theirs = ansiblePlaybook(['-i', inventory, join(dir, 'user.yml'), '-u', 'cliuser', '-vvv'], home, { cwd: dir })
    expect(theirs.stdout).toContain('ESTABLISH SSH CONNECTION FOR USER: playuser')
    const mine = pgha(['run', 'user.yml', '-i', inventory, '-u', 'cliuser'])
    expect(mine.stdout).toMatch(/db1 \(playuser@127\.0\.0\.2:9\)/)
  }, 120_000)

  it('-b and --become-user reach the implicit localhost too', () => {
    write('local.yml', ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - { command: id -un, register: who, changed_when: false }', '    - debug: { msg: "ran as {{ who.stdout }}" }', ''].join('\n'))
    const r = pgha(['run', 'local.yml', '-i', inventory, '-b', '--become-user', 'nobody'])
    expect(r.stdout).toContain('ran as nobody')
    expect(r.code).toBe(0)
  })

  it('-K asks once and its answer reaches the hosts as ansible_become_password, masked in every output', () => {
    write('pw.yml', '- hosts: local\n  gather_facts: false\n  tasks:\n    - debug: { msg: "password={{ ansible_become_password }}" }\n')
    const r = pgha(['run', 'pw.yml', '-i', inventory, '-K'], 'Sekret-42\n')
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('BECOME password: ')
    expect(r.stdout).toContain('password=********')
    expect(r.stdout + r.stderr).not.toContain('Sekret-42')
  })

  it('the prompt reads a line from a pipe, without the newline', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream
    const output = new PassThrough()
    const answer = askSecret('BECOME password: ', input, output)
    ;(input as unknown as PassThrough).end('pw with spaces \nnext line\n')
    await expect(answer).resolves.toBe('pw with spaces ')
  })
})
