// block/rescue/always, include_tasks with loop and when, import_tasks and import_playbook, serial,
// meta end_play/end_host, run_once and delegate_to.
import { describe, expect, it } from 'vitest'
import { localHosts, project } from './harness.js'

const two = localHosts(['hostA', 'hostB'])

describe('block, rescue, always', () => {
  it('rescues a failed host, runs always on every host, and the recap shows no failure', async () => {
    const p = project('hostA ansible_connection=local cmd=true\nhostB ansible_connection=local cmd=false\n')
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: guarded
      block:
        - name: may fail
          command: "{{ cmd }}"
        - name: after the failure
          command: "true"
      rescue:
        - name: recover
          copy: { dest: "${p.dir}/rescued-{{ inventory_hostname }}", content: "{{ ansible_failed_task.name }}" }
      always:
        - name: cleanup
          copy: { dest: "${p.dir}/always-{{ inventory_hostname }}", content: "x" }
    - name: next
      command: "true"
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(Object.keys(r.results('after the failure'))).toEqual(['hostA'])
    expect(Object.keys(r.results('recover'))).toEqual(['hostB'])
    expect(Object.keys(r.results('cleanup')).sort()).toEqual(['hostA', 'hostB'])
    expect(Object.keys(r.results('next')).sort()).toEqual(['hostA', 'hostB'])
    expect(p.read('always-hostA')).toBe('x')
    expect(() => p.read('rescued-hostA')).toThrow()
    expect(p.read('rescued-hostB')).toBe('may fail')
    expect(r.recap.hostB).toEqual({ ok: 3, changed: 3, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 1 })
  })

  it('without rescue, always still runs and the host then leaves the play failed', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: "false"
      always:
        - name: cleanup
          command: "true"
    - name: next
      command: "true"
`)
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.results('cleanup').hostA.status).toBe('changed')
    expect(r.tasks()).not.toContain('next')
  })

  it('a failing rescue fails the host', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: "false"
      rescue:
        - name: rescue fails too
          command: "false"
    - name: next
      command: "true"
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.tasks()).not.toContain('next')
    expect(r.recap.hostA).toMatchObject({ failed: 1, rescued: 1 })
  })
})

describe('include_tasks and imports', () => {
  it('include_tasks loops over items, honours when per host, and takes a templated file name', async () => {
    const p = project(two.replace('hostB ansible_connection=local', 'hostB ansible_connection=local flavour=b'), {
      'tasks/write.yml': `
- name: write one
  copy: { dest: "{{ out }}/{{ inventory_hostname }}-{{ name }}", content: "{{ name }}" }
`,
      'tasks/flavour-b.yml': `
- name: flavour b
  command: "true"
`,
    })
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { out: "${p.dir}" }
  tasks:
    - include_tasks: tasks/write.yml
      loop: [one, two]
      loop_control: { loop_var: name }
      when: inventory_hostname == 'hostA'
    - include_tasks: "tasks/flavour-{{ flavour }}.yml"
      when: flavour is defined
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('hostA-one')).toBe('one')
    expect(p.read('hostA-two')).toBe('two')
    expect(() => p.read('hostB-one')).toThrow()
    expect(r.tasks().filter((t) => t === 'write one')).toHaveLength(2)
    expect(Object.keys(r.results('flavour b'))).toEqual(['hostB'])
  })

  it('import_tasks and import_playbook bring their tasks and plays in, with the import\'s when and tags', async () => {
    const p = project(two, {
      'tasks/common.yml': `
- name: imported
  command: "true"
`,
      'other.yml': `
- hosts: hostB
  gather_facts: false
  tasks:
    - name: from imported playbook
      command: "true"
`,
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - import_tasks: tasks/common.yml
      when: inventory_hostname == 'hostA'
      tags: [common]
- import_playbook: other.yml
`,
    })
    const r = await p.run()
    expect(r.results('imported').hostA.status).toBe('changed')
    expect(r.results('imported').hostB.status).toBe('skipped')
    expect(Object.keys(r.results('from imported playbook'))).toEqual(['hostB'])
    const tagged = await p.run({ tags: ['common'] })
    expect(tagged.tasks()).toEqual(['imported'])
  })
})

describe('serial, meta, run_once, delegate_to', () => {
  it('serial runs the whole play on one batch before the next', async () => {
    const p = project(localHosts(['hostA', 'hostB', 'hostC']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - name: one
      command: "true"
    - name: two
      command: "true"
`,
    })
    const r = await p.run()
    expect(r.trail().map((t) => t.split('/')[0])).toEqual(['one', 'one', 'two', 'two', 'one', 'two'])
    expect(r.trail().slice(4)).toEqual(['one/hostC', 'two/hostC'])
  })

  it('meta: end_host ends the play for the hosts whose condition holds; end_play for all', async () => {
    const p = project(two, {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - meta: end_host
      when: inventory_hostname == 'hostA'
    - name: only hostB
      command: "true"
    - meta: end_play
    - name: never
      command: "true"
- hosts: all
  gather_facts: false
  tasks:
    - name: next play
      command: "true"
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(Object.keys(r.results('only hostB'))).toEqual(['hostB'])
    expect(r.tasks()).not.toContain('never')
    expect(Object.keys(r.results('next play')).sort()).toEqual(['hostA', 'hostB'])
  })

  it('run_once runs on the first host only and registers its result on every host', async () => {
    const p = project(two)
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: once
      shell: "echo {{ inventory_hostname }} >> ${p.dir}/once"
      run_once: true
    - name: once registered
      command: echo {{ inventory_hostname }}
      run_once: true
      register: first
    - name: show
      debug: { msg: "{{ first.stdout }}" }
`)
    const r = await p.run()
    expect(p.read('once')).toBe('hostA\n')
    expect(r.results('show').hostB.result.msg).toBe('hostA')
  })

  it('delegate_to runs the task on another host with the delegating host\'s variables', async () => {
    const p = project('hostA ansible_connection=local\nhostB ansible_connection=local\ncontrol ansible_connection=local\n')
    p.write('site.yml', `
- hosts: hostA:hostB
  gather_facts: false
  tasks:
    - name: delegated
      shell: "echo {{ inventory_hostname }} >> ${p.dir}/log"
      delegate_to: control
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('log').split('\n').filter(Boolean).sort()).toEqual(['hostA', 'hostB'])
    expect(Object.keys(r.results('delegated')).sort()).toEqual(['hostA', 'hostB'])
  })
})
