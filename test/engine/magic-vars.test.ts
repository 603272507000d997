// The magic variables roles read besides the facts: ansible_play_hosts and ansible_play_batch (the serial
// batch running now), play_hosts, inventory_dir, playbook_dir, ansible_version and ansible_managed; and a
// gather_subset pgha does not gather refused at its file:line:col before any host is contacted.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { localHosts, project, run } from './harness.js'

describe('magic variables', () => {
  it('says which hosts run, in which batch, from where, under which Ansible version', async () => {
    const p = project(localHosts(['hostA', 'hostB']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - name: show
      debug:
        msg: "{{ ansible_play_hosts }} {{ ansible_play_batch }} {{ play_hosts | length }} {{ inventory_dir == playbook_dir }} {{ ansible_version.full is version('2.9', '>=') }} {{ ansible_managed }}"
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const msg = (h: string) => r.results('show')[h].result.msg
    expect(msg('hostA')).toBe("['hostA', 'hostB'] ['hostA'] 2 True True Ansible managed")
    expect(msg('hostB')).toBe("['hostA', 'hostB'] ['hostB'] 2 True True Ansible managed")
  })

  it('refuses a gather_subset pgha does not gather, at its position', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': '- hosts: all\n  gather_subset: [network, "!hardwre", facter]\n  tasks: []\n',
    })
    const events: unknown[] = []
    const err = await run({ playbook: join(p.dir, 'site.yml'), inventory: join(p.dir, 'inventory.ini'), onEvent: (e) => events.push(e) }).catch((e: unknown) => e)
    if (!(err instanceof ConfigErrors)) throw new Error(`expected input errors, got ${String(err)}`)
    expect(events).toEqual([])
    expect(err.errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      "2:28: gather_subset 'hardwre' is not one pgha gathers (it knows all, min, network, hardware, virtual, selinux) (did you mean 'hardware'?)",
      "2:40: gather_subset 'facter' is not one pgha gathers (it knows all, min, network, hardware, virtual, selinux)",
    ])
  })
})
