// A task file only include_tasks reaches, using a module pgha does not have (another OS's setup file): the
// play loads with a warning, and runs to the end where the include's when holds on no host, as Ansible never
// reads the file then; a host that does reach it fails with the load error naming file:line:col, and the
// others go on, as in Ansible.
import { describe, expect, it } from 'vitest'
import { localHosts, project } from './harness.js'

const files = (when: string): Record<string, string> => ({
  'setup-arch.yml': `
- name: install with pacman
  pacman: { name: postgresql }
`,
  'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: setup-arch.yml
      when: ${when}
    - name: after
      command: "true"
`,
})

describe('a file only include_tasks reaches, with a module pgha lacks', () => {
  it('runs the play to the end when no host reaches the include', async () => {
    const p = project(localHosts(['hostA', 'hostB']), files('os is defined'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(Object.keys(r.results('after')).sort()).toEqual(['hostA', 'hostB'])
  })

  it('fails the host that reaches it, with the load error naming file, line and module, and goes on with the others', async () => {
    const p = project(localHosts(['hostA', 'hostB']).replace('hostB ansible_connection=local', 'hostB ansible_connection=local os=arch'), files('os is defined'))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    const failed = r.results('include_tasks: setup-arch.yml').hostB
    expect(failed.status).toBe('failed')
    expect(String(failed.result.msg)).toMatch(/setup-arch\.yml:3:3: unknown module 'pacman': pgha does not have it/)
    expect(Object.keys(r.results('after'))).toEqual(['hostA'])
    expect(r.recap.hostA).toMatchObject({ ok: 1, failed: 0 })
    expect(r.recap.hostB).toMatchObject({ ok: 0, failed: 1 })
  })

  it('lets a rescue section catch it, as any failure of a host', async () => {
    const p = project(localHosts(['hostA']), {
      'setup-arch.yml': files('true')['setup-arch.yml'],
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - include_tasks: setup-arch.yml
      rescue:
        - name: rescued
          debug: { msg: "{{ ansible_failed_task.name }}" }
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('rescued').hostA.result.msg).toBe('include_tasks: setup-arch.yml')
    expect(r.recap.hostA).toMatchObject({ failed: 0, rescued: 1 })
  })
})
