// A fact module's facts are host facts for later tasks: package_facts on this Debian machine gives
// ansible_facts.packages and packages, with the version dpkg has installed.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { localHosts, project } from './harness.js'

describe('package_facts', () => {
  it('sets ansible_facts.packages and packages with the installed version of each package', async () => {
    const version = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'bash'], { encoding: 'utf8' })
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: read
      ansible.builtin.package_facts: { manager: apt }
    - name: show
      copy: { dest: "${p.dir}/out", content: "{{ ansible_facts.packages.bash[0].version }} {{ packages.bash[0].source }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('read').hostA.status).toBe('ok')
    expect(p.read('out')).toBe(`${version} apt`)
  })
})
