// YAML 1.1 holds wherever pgha reads YAML: playbooks, vars files, YAML inventories, group_vars/host_vars and
// -e. The user-visible difference: with `flag: no`, a task `when: flag` is skipped, as Ansible skips it.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { localHosts, project, type Project } from '../engine/harness.js'

/** Variables as written, and a condition that holds only when they are read as Ansible reads them. */
const VALUES: Record<string, string> = { b_no: 'no', b_off: 'Off', b_yes: 'YES', s_no: '"no"', s_on: "'on'", n_oct: '0644', s_oct: '0o644', n_time: '1:30' }
const AS_ANSIBLE = "b_no == false and b_off == false and b_yes == true and s_no == 'no' and s_on == 'on' and n_oct == 420 and s_oct == '0o644' and n_time == 90"

const mapping = (indent: string): string => Object.entries(VALUES).map(([k, v]) => `${indent}${k}: ${v}`).join('\n') + '\n'

const TASKS = `  tasks:
    - name: read as Ansible reads them
      debug: { msg: typed }
      when: ${AS_ANSIBLE}
    - name: when no
      debug: { msg: ran }
      when: b_no
`

const site = (playExtra = ''): string => `- hosts: all\n  gather_facts: false\n${playExtra}${TASKS}`

/** Each place YAML variables come from, as a project and the run options that use it. */
const PLACES: Record<string, () => { p: Project; inventory?: string; extraVars?: string[] }> = {
  'play vars': () => ({ p: project(localHosts(['hostA']), { 'site.yml': site(`  vars:\n${mapping('    ')}`) }) }),
  'vars_files': () => ({ p: project(localHosts(['hostA']), { 'site.yml': site('  vars_files: [vars.yml]\n'), 'vars.yml': mapping('') }) }),
  'a YAML inventory': () => {
    const p = project('', { 'site.yml': site(), 'inv.yml': `all:\n  hosts:\n    hostA:\n      ansible_connection: local\n${mapping('      ')}` })
    return { p, inventory: join(p.dir, 'inv.yml') }
  },
  'group_vars/all.yml': () => ({ p: project(localHosts(['hostA']), { 'site.yml': site(), 'group_vars/all.yml': mapping('') }) }),
  'host_vars/hostA.yml': () => ({ p: project(localHosts(['hostA']), { 'site.yml': site(), 'host_vars/hostA.yml': mapping('') }) }),
  '-e with a YAML mapping': () => ({ p: project(localHosts(['hostA']), { 'site.yml': site() }), extraVars: [`{${Object.entries(VALUES).map(([k, v]) => `${k}: ${v}`).join(', ')}}`] }),
  '-e @file': () => {
    const p = project(localHosts(['hostA']), { 'site.yml': site(), 'extra.yml': mapping('') })
    return { p, extraVars: [`@${join(p.dir, 'extra.yml')}`] }
  },
}

describe('YAML 1.1 values wherever YAML is read', () => {
  it.each(Object.keys(PLACES))('from %s: no/Off are false, 0644 is 420, quoted values stay strings', async (place) => {
    const { p, ...options } = PLACES[place]()
    const r = await p.run(options)
    expect(r.exitCode).toBe(0)
    expect(r.results('read as Ansible reads them').hostA.status).toBe('ok')
    expect(r.results('when no').hostA.status).toBe('skipped')
  })

  it('a key=value -e stays a string, as with ansible-playbook', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: string\n      debug: { msg: s }\n      when: b_no == 'no'\n`,
    })
    const r = await p.run({ extraVars: ['b_no=no'] })
    expect(r.results('string').hostA.status).toBe('ok')
  })

  it('keywords and module parameters take YAML 1.1 booleans and octal modes', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `- hosts: all
  gather_facts: no
  tasks:
    - name: a file with mode 0640
      copy: { content: "x\\n", dest: "{{ dir }}/f", mode: 0640, force: yes }
      check_mode: off
`,
    })
    const r = await p.run({ extraVars: [`dir=${p.dir}`] })
    expect(r.exitCode).toBe(0)
    expect((statSync(join(p.dir, 'f')).mode & 0o7777).toString(8)).toBe('640')
  })
})
