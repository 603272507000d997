// Task scopes are reused between tasks while their inputs are unchanged (src/engine/scope-cache.ts). What a
// user sees must not change: a templated variable follows the set_fact, register, task vars and other
// hosts' values it is built from, task after task.
import { describe, expect, it } from 'vitest'
import { localHosts, project, type Project } from './harness.js'

describe('templated variables follow what they are built from, task after task', () => {
  it('a set_fact or a registered result changes the templated variables that use it from the next task on', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars: { base: zero, echoed: { stdout: none }, label: "v={{ base }}", out: "o={{ echoed.stdout }}" }
  tasks:
    - name: zeroth
      debug: { msg: "{{ label }} {{ out }}" }
    - set_fact: { base: one }
    - name: first
      debug: { msg: "{{ label }}" }
    - set_fact: { base: two }
    - name: second
      debug: { msg: "{{ label }}" }
    - command: echo three
      register: echoed
    - name: third
      debug: { msg: "{{ out }}" }
    - command: echo four
      register: echoed
    - name: fourth
      debug: { msg: "{{ out }}" }
`,
    })
    const r = await p.run()
    expect(r.exitCode, JSON.stringify(r.events.filter((e) => e.type === 'host:result' && e.status === 'failed'))).toBe(0)
    expect(r.results('zeroth').hostA.result.msg).toBe('v=zero o=none')
    expect(r.results('first').hostA.result.msg).toBe('v=one')
    expect(r.results('second').hostA.result.msg).toBe('v=two')
    expect(r.results('third').hostA.result.msg).toBe('o=three')
    expect(r.results('fourth').hostA.result.msg).toBe('o=four')
  })

  it('task vars and block vars are the task\'s own, and the next task without them no longer sees them', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars: { who: play, greeting: "hi {{ who }}" }
  tasks:
    - name: a
      debug: { msg: "{{ greeting }}" }
      vars: { who: task }
    - name: b
      debug: { msg: "{{ greeting }}" }
    - block:
        - name: c
          debug: { msg: "{{ greeting }}" }
      vars: { who: block }
    - name: d
      debug: { msg: "{{ greeting }}" }
      vars: { who: task2 }
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(['a', 'b', 'c', 'd'].map((t) => r.results(t).hostA.result.msg)).toEqual(['hi task', 'hi play', 'hi block', 'hi task2'])
  })

  it("a variable built from another host's values (hostvars) follows that host's set_fact", async () => {
    const p = project('hostA ansible_connection=local mark=zero\nhostB ansible_connection=local mark=zero\n', {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars: { peer: "A has {{ hostvars.hostA.mark }}" }
  tasks:
    - name: zero
      debug: { msg: "{{ peer }}" }
      when: inventory_hostname == 'hostB'
    - set_fact: { mark: first }
    - name: one
      debug: { msg: "{{ peer }}" }
      when: inventory_hostname == 'hostB'
    - set_fact: { mark: second }
      when: inventory_hostname == 'hostA'
    - name: two
      debug: { msg: "{{ peer }}" }
      when: inventory_hostname == 'hostB'
`,
    })
    expect(await hostBMessages(p)).toEqual(['A has zero', 'A has first', 'A has second'])
  })

  it("another host's variables read through hostvars follow its set_fact and register", async () => {
    const p = project('hostA ansible_connection=local mark=zero label="a={{ mark }}" out="o={{ echoed.stdout | default(\'none\') }}"\nhostB ansible_connection=local mark=zero\n', {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: zero
      debug: { msg: "{{ hostvars.hostA.label }} {{ hostvars.hostA.out }}" }
      when: inventory_hostname == 'hostB'
    - set_fact: { mark: first }
    - name: one
      debug: { msg: "{{ hostvars.hostA.label }} {{ hostvars.hostA.out }}" }
      when: inventory_hostname == 'hostB'
    - command: echo two
      register: echoed
      when: inventory_hostname == 'hostA'
    - name: two
      debug: { msg: "{{ hostvars.hostA.label }} {{ hostvars.hostA.out }}" }
      when: inventory_hostname == 'hostB'
`,
    })
    expect(await hostBMessages(p)).toEqual(['a=zero o=none', 'a=first o=none', 'a=first o=two'])
  })
})

/** Runs the project, which must succeed, and gives what hostB's tasks zero, one and two printed. */
async function hostBMessages(p: Project): Promise<unknown[]> {
  const r = await p.run()
  expect(r.exitCode, JSON.stringify(r.events.filter((e) => e.type === 'host:result' && e.status === 'failed'))).toBe(0)
  return ['zero', 'one', 'two'].map((t) => r.results(t).hostB.result.msg)
}
