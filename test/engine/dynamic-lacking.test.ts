// A task file only include_tasks reaches, using a module pgha does not have (another OS's setup file): the
// play loads with a warning, and runs to the end where the include's when holds on no host, as Ansible never
// reads the file then; when a host does reach it, the run stops with the load error naming file:line:col.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { localHosts, project } from './harness.js'

const files = (when: string): Record<string, string> => ({
  'setup-arch.yml': `
- name: install with nosuch_pkg_manager
  nosuch_pkg_manager: { name: postgresql }
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

describe("a file only include_tasks reaches, with a module neither pgha nor the controller's Ansible has", () => {
  it('runs the play to the end when no host reaches the include', async () => {
    const p = project(localHosts(['hostA', 'hostB']), files('os is defined'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(Object.keys(r.results('after')).sort()).toEqual(['hostA', 'hostB'])
  })

  it('fails with the load error, naming the file, line and module, when a host reaches it', async () => {
    const p = project(localHosts(['hostA', 'hostB']).replace('hostB ansible_connection=local', 'hostB ansible_connection=local os=arch'), files('os is defined'))
    const err = await p.run().then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    const [only] = (err as ConfigErrors).errors
    expect(only.loc?.file).toMatch(/setup-arch\.yml$/)
    expect([only.loc?.line, only.loc?.col]).toEqual([3, 3])
    expect(only.message).toMatch(/^unknown module 'nosuch_pkg_manager': pgha does not have it, nor does the controller's Ansible/)
  })

  it("does not report as undefined what such a file may register: it is only known if the include runs", async () => {
    // devsec.ssh_hardening sets variables in a file that also uses community.general.pamd, and reads them later.
    const p = project(localHosts(['hostA']), {
      'setup-arch.yml': `
- name: install with nosuch_pkg_manager
  nosuch_pkg_manager: { name: postgresql }
  register: arch_install
`,
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: setup-arch.yml
      when: os is defined
    - name: after
      command: "true"
      when: os is defined and arch_install is changed
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('after').hostA.status).toBe('skipped')
  })
})
