// A secret-named variable a task's scope defines (set_fact, task vars) is masked from that task on, each
// value it takes: scopes that differ only by registered results share what was found in them, and one that
// defines a new value is searched again.
import { describe, expect, it } from 'vitest'
import { localHosts, project } from '../engine/harness.js'

describe('secrets of a task scope', () => {
  it('masks each value a secret-named variable takes, with registered results in between', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { app_password: first-secret-value }
    - command: echo one
      register: one
    - name: first
      debug: { msg: "is {{ app_password }}" }
    - set_fact: { app_password: second-secret-value }
    - command: echo two
      register: two
    - name: second
      debug: { msg: "was first-secret-value, is {{ app_password }}" }
    - name: third
      debug: { msg: "task vars {{ other_token }}" }
      vars: { other_token: third-secret-value }
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('first').hostA.result.msg).toBe('is ********')
    expect(r.results('second').hostA.result.msg).toBe('was ********, is ********')
    expect(r.results('third').hostA.result.msg).toBe('task vars ********')
  })
})
