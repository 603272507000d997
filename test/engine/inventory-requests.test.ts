// add_host and group_by change the run's inventory for later tasks and plays: a new host runs the plays
// that select its group, with its variables; a host grouped by a variable runs the play on that group.
import { describe, expect, it } from 'vitest'
import { localHosts, project } from './harness.js'

describe('add_host', () => {
  it('runs once per task, adds the host with its groups and variables, and a later play runs on it', async () => {
    const p = project(localHosts(['hostA', 'hostB'], '[all:vars]\ncolour=blue\n'))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: add
      add_host:
        hostname: "extra{{ item }}"
        groups: [added, more]
        ansible_connection: local
        flavour: "f{{ item }}"
      loop: [1, 2]
    - name: again
      ansible.builtin.add_host: { name: extra1, groups: added, ansible_connection: local, flavour: f1 }
- hosts: added
  gather_facts: false
  tasks:
    - name: write
      copy: { dest: "${p.dir}/{{ inventory_hostname }}", content: "{{ flavour }} {{ colour }} {{ group_names | join(',') }} {{ groups.added | join(',') }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    // Once for the task, not once per host of the play (Ansible's bypass_host_loop).
    expect(Object.keys(r.results('add'))).toEqual(['hostA'])
    expect(r.results('add').hostA.status).toBe('changed')
    expect(r.results('again').hostA.status).toBe('ok')
    expect(Object.keys(r.results('write')).sort()).toEqual(['extra1', 'extra2'])
    expect(p.read('extra1')).toBe('f1 blue added,more extra1,extra2')
    expect(p.read('extra2')).toBe('f2 blue added,more extra1,extra2')
  })

  it('registers its result, with the add_host key, on every host of the play', async () => {
    const p = project(localHosts(['hostA', 'hostB']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - add_host: { name: "db1:2222", groups: g }
      register: added
    - name: show
      copy: { dest: "${p.dir}/{{ inventory_hostname }}", content: "{{ added.add_host.host_name }} {{ added.add_host.host_vars.ansible_port }} {{ hostvars.db1.ansible_port }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('hostA')).toBe('db1 2222 2222')
    expect(p.read('hostB')).toBe('db1 2222 2222')
  })
})

describe('group_by', () => {
  it('puts each host in the group its variable names, and a later play on that group runs only there', async () => {
    const p = project('hostA ansible_connection=local role=web\nhostB ansible_connection=local role=db\nhostC ansible_connection=local role=db\n')
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: group
      group_by: { key: "role_{{ role }}", parents: [servers] }
- hosts: role_db
  gather_facts: false
  tasks:
    - name: mark
      copy: { dest: "${p.dir}/{{ inventory_hostname }}", content: "{{ group_names | join(',') }} {{ groups.servers | join(',') }}" }
- hosts: role_db
  gather_facts: false
  tasks:
    - name: regroup
      group_by: { key: "role_{{ role }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(Object.values(r.results('group')).map((x) => x.status)).toEqual(['changed', 'changed', 'changed'])
    expect(Object.keys(r.results('mark')).sort()).toEqual(['hostB', 'hostC'])
    expect(p.read('hostB')).toBe('role_db,servers hostA,hostB,hostC')
    // Already in the group: nothing changes.
    expect(Object.values(r.results('regroup')).map((x) => x.status)).toEqual(['ok', 'ok'])
  })

  it('still refuses an unknown host pattern in a playbook that never changes the inventory', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: nowhere
  gather_facts: false
  tasks:
    - command: "true"
`)
    await expect(p.run()).rejects.toThrow(/no host or group matches 'nowhere'/)
  })
})
