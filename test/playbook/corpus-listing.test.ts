// Whole public roles of the corpus through `--syntax-check` and `--list-tasks`, by pgha and by
// ansible-playbook, byte for byte: the roles pgha loads whole (the others need templates the corpus leaves
// out, or modules pgha lacks: corpus.test.ts says which), and a playbook of unnamed tasks, which both list
// by their action as written, without their role.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ansibleInstalled, ansiblePlaybook, tempDir } from '../engine/ansible-oracle.js'
import { BIN } from '../built.js'

const CORPUS = resolve(__dirname, '../fixtures/corpus')
// devsec.ssh_hardening left when its includes' modules (pamd) came to load through the controller's
// Ansible: the included files are now read ahead, and their templates are among those the corpus leaves out.
const WHOLE = [
  'geerlingguy.apache', 'geerlingguy.docker', 'geerlingguy.haproxy', 'geerlingguy.memcached', 'geerlingguy.ntp',
  'geerlingguy.pip', 'geerlingguy.swap', 'robertdebock.fail2ban', 'mrlesmithjr.netplan', 'nginxinc.nginx', 'oefenweb.ufw',
]

function both(dir: string, book: string, option: string, rolesPath: string) {
  const env = { ANSIBLE_ROLES_PATH: rolesPath }
  const a = ansiblePlaybook(['-i', 'hosts', book, option], dir, { cwd: dir, env })
  const p = spawnSync(process.execPath, [BIN, 'run', book, '-i', 'hosts', option], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 60_000 })
  return { ansible: { code: a.status, stdout: a.stdout }, pgha: { code: p.status, stdout: p.stdout, stderr: p.stderr } }
}

describe.skipIf(!ansibleInstalled)('whole roles, listed as ansible-playbook lists them', () => {
  it.each(WHOLE)('%s: --syntax-check and --list-tasks print what ansible-playbook prints', (role) => {
    const dir = tempDir('pgha-corpus-listing-')
    writeFileSync(join(dir, 'hosts'), 'localhost ansible_connection=local\n')
    writeFileSync(join(dir, 'site.yml'), `- hosts: localhost\n  gather_facts: false\n  roles:\n    - role: ${role}\n`)
    for (const option of ['--syntax-check', '--list-tasks']) {
      const { ansible, pgha } = both(dir, 'site.yml', option, CORPUS)
      expect(pgha.stderr).toBe('')
      expect(pgha).toMatchObject(ansible)
      expect(pgha.code).toBe(0)
    }
  }, 120_000)

  it('lists unnamed tasks, includes and include_role by their action as written, without the role', () => {
    const dir = tempDir('pgha-unnamed-listing-')
    const write = (rel: string, text: string) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true })
      writeFileSync(join(dir, rel), text)
    }
    write('hosts', 'localhost ansible_connection=local\n')
    write('roles/r1/tasks/main.yml', '- command: echo in role\n- ansible.builtin.debug: msg=x\n- include_tasks: other.yml\n- include_tasks: "setup-{{ ansible_os_family }}.yml"\n- import_tasks: other.yml\n- name: named include\n  include_tasks: other.yml\n- include_role: { name: r2 }\n- block:\n    - ping:\n- action: command echo from action\n')
    write('roles/r1/tasks/other.yml', '- debug: msg=other\n')
    write('roles/r2/tasks/main.yml', '- debug: msg=r2\n')
    write('site.yml', '- hosts: localhost\n  gather_facts: false\n  roles: [r1]\n  tasks:\n    - command: echo hi\n    - ansible.builtin.shell: echo hi\n    - ansible.builtin.include_tasks: roles/r1/tasks/other.yml\n    - include_role: { name: r2 }\n    - import_role: { name: r2 }\n    - set_fact: { a: 1 }\n    - name: named\n      debug: msg=y\n')
    const { ansible, pgha } = both(dir, 'site.yml', '--list-tasks', join(dir, 'roles'))
    expect(pgha).toMatchObject(ansible)
    expect(pgha.stdout).toContain('\n      r1 : named include\tTAGS: []\n      include_role\tTAGS: []\n      ping\tTAGS: []\n      command\tTAGS: []\n      command\tTAGS: []\n      ansible.builtin.shell\tTAGS: []\n      ansible.builtin.include_tasks\tTAGS: []\n')
  }, 120_000)
})
