// The mixed workload: one play of what a common role does on a converged host (a group, users in a loop,
// directories with owners, a systemd unit's state and enablement, templates, a lineinfile loop,
// blockinfile, commands guarded by `creates`, stat then a link under `when`, copies), written in the syntax
// pgha, ansible-playbook and ansible-playbook with Mitogen all accept, so the same file is run by all
// three. Every task converges: the second run of any of them changes nothing. Accounts and the unit are
// machine-wide, so this workload is for hosts that are machines of their own (the lab's nodes).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { writeWorkloadFiles } from './workload.js'

/** Where each host's files go. */
export const MIXED_DIR = '/var/tmp/pgha-mixed/{{ inventory_hostname }}'

/**
 * The accounts: the group and users the play manages, and who owns the files (on the lab, those users;
 * a test on this machine, whose accounts are stand-ins, gives real ones).
 * @typedef {{ group: string, users: string[], owners: string[], ownerGroup: string }} Accounts
 */

/** @type {Accounts} */
const LAB_ACCOUNTS = { group: 'benchapp', users: ['benchapp1', 'benchapp2', 'benchapp3', 'benchapp4'], owners: ['benchapp1', 'benchapp2', 'benchapp3', 'benchapp4'], ownerGroup: 'benchapp' }
const OWNED_DIRS = 8
const LINE_FILES = 8
const LIMITS = ['nofile 4096', 'nproc 512', 'core 0', 'memlock 64', 'stack 8192', 'rtprio 0']
const CONTENT_COPIES = 16
const SRC_COPIES = 3
const TEMPLATES = 4
const MODES = 4

/** A unit that needs nothing the lab's nodes lack and can run forever. */
const UNIT = '[Unit]\nDescription=pgha bench mixed workload\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n'

const pad = (n) => String(n).padStart(2, '0')

/**
 * The play's tasks, in order, each a task as the playbook holds it.
 * @param {Accounts} [accounts] @returns {Record<string, unknown>[]}
 */
export function mixedTasks(accounts = LAB_ACCOUNTS) {
  const { group, users, owners, ownerGroup } = accounts
  const tasks = []
  const add = (module, name, params, extra = {}) => tasks.push({ name: `${module} ${name}`, [module]: params, ...extra })
  add('group', group, { name: group, state: 'present' })
  add('user', 'accounts', { name: '{{ item }}', group, shell: '/bin/sh', create_home: false }, { loop: users })
  add('file', 'base dir', { path: '{{ bench_dir }}', state: 'directory', mode: '0755' })
  add('file', 'a dir per user', { path: '{{ bench_dir }}/{{ item.user }}', state: 'directory', owner: '{{ item.owner }}', group: ownerGroup, mode: '0750' }, { loop: users.map((user, i) => ({ user, owner: owners[i] })) })
  for (let i = 1; i <= OWNED_DIRS; i++) {
    add('file', `dir ${pad(i)}`, { path: `{{ bench_dir }}/d${pad(i)}`, state: 'directory', owner: owners[(i - 1) % owners.length], group: ownerGroup, mode: '0755' })
  }
  add('copy', 'unit file', { dest: '{{ unit_dir }}/pgha-bench-app.service', content: UNIT, mode: '0644' })
  add('systemd', 'unit running and enabled', { name: 'pgha-bench-app', state: 'started', enabled: true })
  add('systemd', 'ssh running and enabled', { name: 'ssh', state: 'started', enabled: true })
  for (let i = 1; i <= TEMPLATES; i++) {
    add('template', `${i}`, { src: 'bench.conf.tmpl', dest: `{{ bench_dir }}/d${pad(i)}/templated-${i}.conf`, owner: owners[0], group: ownerGroup, mode: '0640' })
  }
  add('lineinfile', 'limits', { path: '{{ bench_dir }}/limits.conf', line: '{{ item }}', create: true }, { loop: LIMITS })
  for (let i = 1; i <= LINE_FILES; i++) {
    add('lineinfile', `setting ${pad(i)}`, {
      path: `{{ bench_dir }}/settings.conf`,
      regexp: `^setting${pad(i)}\\s*=`,
      line: `setting${pad(i)} = ${i * 3} on {{ inventory_hostname }}`,
      create: true,
    })
  }
  add('blockinfile', 'hosts block', { path: '{{ bench_dir }}/hosts', block: '10.0.0.1 db1\n10.0.0.2 db2\n', create: true })
  add('blockinfile', 'settings block', { path: '{{ bench_dir }}/settings.conf', block: 'max_connections = 100\nshared_buffers = 128MB\n', marker: '# {mark} bench block' })
  add('command', 'initialize data', { cmd: 'touch {{ bench_dir }}/d01/initialized', creates: '{{ bench_dir }}/d01/initialized' })
  add('command', 'initialize log', { cmd: 'touch {{ bench_dir }}/d02/initialized', creates: '{{ bench_dir }}/d02/initialized' })
  for (let i = 1; i <= 2; i++) {
    add('stat', `templated ${i}`, { path: `{{ bench_dir }}/d${pad(i)}/templated-${i}.conf` }, { register: `templated_${i}` })
    add('file', `link ${i}`, { src: `{{ bench_dir }}/d${pad(i)}/templated-${i}.conf`, path: `{{ bench_dir }}/current-${i}.conf`, state: 'link' }, { when: `templated_${i}.stat.exists` })
  }
  for (let i = 1; i <= CONTENT_COPIES; i++) {
    add('copy', `content ${pad(i)}`, {
      dest: `{{ bench_dir }}/d${pad(((i - 1) % OWNED_DIRS) + 1)}/copied-${pad(i)}.conf`,
      content: `# copy ${i} for {{ inventory_hostname }}\nsetting_${i} = ${i * 7}\n`,
      owner: owners[(i - 1) % owners.length],
      group: ownerGroup,
      mode: '0644',
    })
  }
  for (let i = 1; i <= SRC_COPIES; i++) add('copy', `src ${i}`, { src: `static-${i}.txt`, dest: `{{ bench_dir }}/static-${i}.txt`, mode: '0644' })
  // Attributes only, on files lineinfile, blockinfile and a command created without a mode.
  const edited = ['limits.conf', 'settings.conf', 'hosts', 'd01/initialized']
  for (let i = 0; i < MODES; i++) add('file', `${edited[i]} mode`, { path: `{{ bench_dir }}/${edited[i]}`, state: 'file', mode: '0640' })
  return tasks
}

/** @param {Accounts} [accounts] @returns {string} the playbook's YAML */
export function mixedPlaybook(accounts) {
  const vars = { bench_dir: MIXED_DIR, unit_dir: '/etc/systemd/system' }
  const play = { name: 'mixed workload', hosts: 'all', gather_facts: true, vars, tasks: mixedTasks(accounts) }
  return `# Generated by bench/lib/mixed.js: run by pgha and by ansible-playbook (with and without Mitogen) alike.\n${stringify([play], { lineWidth: 0, aliasDuplicateObjects: false })}`
}

/**
 * Writes playbook.yml, templates/ and files/ into dir.
 * @param {string} dir @param {Accounts} [accounts] @returns {string} the playbook's path
 */
export function writeMixed(dir, accounts) {
  writeWorkloadFiles(dir)
  const playbook = join(dir, 'playbook.yml')
  writeFileSync(playbook, mixedPlaybook(accounts))
  return playbook
}
