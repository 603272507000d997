// Module names as Ansible users write them: every module pgha has answers to its FQCN in the collection it
// is known from (and to the names Ansible routes to it); a module pgha lacks is an input error that names
// it and the closest module pgha has, at file:line:col, when the playbook loads.
import { describe, expect, it } from 'vitest'
import { fqcnOf, getModule, modules } from '../../src/modules/index.js'
import type { Task } from '../../src/playbook/index.js'
import { load, problems } from './load-text.js'

const playOf = (tasks: string, extra = '') => `- hosts: all\n  gather_facts: false\n${extra}  tasks:\n${tasks}`

describe('module names', () => {
  it('the collection each module is known from', () => {
    expect(Object.fromEntries([...modules.keys()].map((m) => [m, fqcnOf(m)]))).toMatchObject({
      copy: 'ansible.builtin.copy',
      command: 'ansible.builtin.command',
      systemd: 'ansible.builtin.systemd',
      authorized_key: 'ansible.posix.authorized_key',
      postgresql_user: 'community.postgresql.postgresql_user',
      postgresql_db: 'community.postgresql.postgresql_db',
      postgresql_query: 'community.postgresql.postgresql_query',
      repmgr_node: 'repmgr_node',
      pg_cluster: 'pg_cluster',
    })
  })

  it('every module pgha has loads by its FQCN, by its short name, and by the names Ansible routes to it', () => {
    for (const name of modules.keys()) {
      expect(getModule(fqcnOf(name))?.name, fqcnOf(name)).toBe(name)
      expect(getModule(name)?.name).toBe(name)
    }
    for (const alias of ['ansible.legacy.copy', 'ansible.builtin.postgresql_user', 'community.general.postgresql_user', 'ansible.builtin.authorized_key', 'ansible.builtin.systemd_service', 'systemd_service']) {
      expect(getModule(alias), alias).toBeDefined()
    }
    expect(getModule('ansible.posix.copy')).toBeUndefined()
    // ansible-core names its systemd module systemd_service too
    expect(getModule('ansible.builtin.systemd_service')?.name).toBe('systemd')
  })

  it('resolves the FQCNs a real role writes, and short names with collections: listed', () => {
    const pb = load(playOf(`
    - community.postgresql.postgresql_user: { name: app }
    - ansible.posix.authorized_key: { user: app, key: "ssh-ed25519 AAAA" }
    - postgresql_db: { name: app }
    - ansible.builtin.debug: { msg: hi }
`, '  collections: [community.postgresql]\n'))
    expect(pb.plays[0].tasks.map((t) => (t as Task).module)).toEqual(['postgresql_user', 'authorized_key', 'postgresql_db', 'debug'])
    expect(pb.plays[0].collections).toEqual(['community.postgresql'])
  })

  it('a module pgha lacks, a misspelt one and one in the wrong collection are errors naming what pgha has', () => {
    expect(problems(playOf(`
    - community.general.modprobe: { name: dummy }
    - ansible.builtin.copyy: { dest: /x, content: x }
    - community.general.copy: { dest: /x, content: x }
    - seboolean: { name: httpd_can_network_connect, state: true }
    - postgresql_usr: { name: app }
`))).toEqual([
      "5:7: unknown module 'community.general.modprobe': pgha does not have it; the nearest it has is 'ansible.builtin.add_host' (npx pgha doc lists every module)",
      "6:7: unknown module 'ansible.builtin.copyy' (did you mean 'ansible.builtin.copy'?)",
      "7:7: unknown module 'community.general.copy': pgha's copy is 'ansible.builtin.copy'",
      "8:7: unknown module 'seboolean': pgha does not have it; the nearest it has is 'reboot' (npx pgha doc lists every module)",
      "9:7: unknown module 'postgresql_usr' (did you mean 'postgresql_user', 'postgresql_db' or 'postgresql_ext'?)",
    ])
  })

  it("a module Ansible has is one pgha lacks, not a misspelling of a module pgha has that is a letter or two away", () => {
    expect(problems(playOf(`
    - pkgng: { name: nginx }
    - pkgin: { name: nginx }
    - community.general.zypper_repository: { name: r }
    - pnig: { data: x }
`)).map((p) => p.replace(/; the nearest .*$/, ''))).toEqual([
      "5:7: unknown module 'pkgng': pgha does not have it",
      "6:7: unknown module 'pkgin': pgha does not have it",
      "7:7: unknown module 'community.general.zypper_repository': pgha does not have it",
      "8:7: unknown module 'pnig' (did you mean 'ping' or 'pip'?)",
    ])
  })

  it("a module Ansible has is not a misspelt keyword either, however near one it is (npm is not 'name')", () => {
    // geerlingguy.nodejs installs packages with npm: the task's module, which pgha lacks.
    expect(problems(playOf(`
    - name: Install packages defined in a given package.json.
      npm: { path: /srv/app }
`)).map((p) => p.replace(/; the nearest .*$/, ''))).toEqual(["6:7: unknown module 'npm': pgha does not have it"])
  })
})
