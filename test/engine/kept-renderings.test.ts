// A host's templated variables are not rendered again for each new scope when what they read is unchanged
// (src/engine/resolve-vars.ts, src/vars/jinja/pure.ts). What a user sees must not change: a variable follows
// every name it reads, tested or not, and one whose template reads a file, calls anything or reaches a
// variable by a computed name is rendered again in every scope, as before.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pureTemplateReads, pureValueReads, UnsafeText } from '../../src/vars/index.js'
import { localHosts, project } from './harness.js'

describe('renderings kept between scopes', () => {
  it('follow every name they read, through chains and tests, per host', async () => {
    const p = project(localHosts(['hostA', 'hostB']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    base: zero
    upper: "{{ base | upper }}"
    chain: "{{ upper }}-{{ inventory_hostname }}"
    guarded: "{{ extra if extra is defined else 'none' }}"
  tasks:
    - name: zeroth
      debug: { msg: "{{ chain }} {{ guarded }}" }
    - command: echo one
      register: echoed
    - set_fact: { base: "{{ echoed.stdout }}" }
    - name: first
      debug: { msg: "{{ chain }} {{ guarded }}" }
    - set_fact: { extra: "{{ inventory_hostname }}" }
      when: inventory_hostname == 'hostB'
    - name: second
      debug: { msg: "{{ chain }} {{ guarded }}" }
`,
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('zeroth').hostA.result.msg).toBe('ZERO-hostA none')
    expect(r.results('zeroth').hostB.result.msg).toBe('ZERO-hostB none')
    expect(r.results('first').hostA.result.msg).toBe('ONE-hostA none')
    expect(r.results('second').hostA.result.msg).toBe('ONE-hostA none')
    expect(r.results('second').hostB.result.msg).toBe('ONE-hostB hostB')
  })

  it('are not kept for a template that reads a file: each new scope reads it again', async () => {
    const p = project(localHosts(['hostA']), { 'state.txt': 'before\n' })
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { state: "{{ lookup('file', '${join(p.dir, 'state.txt')}') }}" }
  tasks:
    - name: first
      debug: { msg: "{{ state }}" }
    - copy: { content: "after\\n", dest: "${join(p.dir, 'state.txt')}" }
      register: written
    - name: second
      debug: { msg: "{{ state }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('first').hostA.result.msg).toBe('before')
    expect(r.results('second').hostA.result.msg).toBe('after')
  })

  it('a list or mapping of templates follows every name its templates read, and one with a lookup is read again', async () => {
    const p = project(localHosts(['hostA', 'hostB']), { 'state.txt': 'before\n' })
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars:
    base: zero
    settings: { archive_command: "'{{ base }} %p'", keep: 8GB, nested: ["{{ base | upper }}", 3, { host: "{{ inventory_hostname }}" }] }
    mixed: { state: "{{ lookup('file', '${join(p.dir, 'state.txt')}') }}", base: "{{ base }}" }
  tasks:
    - name: zeroth
      debug: { msg: "{{ [settings, mixed] }}" }
    - copy: { content: "after\\n", dest: "${join(p.dir, 'state.txt')}" }
      register: written
    - set_fact: { base: one }
      when: inventory_hostname == 'hostB'
    - name: first
      debug: { msg: "{{ [settings, mixed] }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const settings = (base: string, host: string): unknown => ({ archive_command: `'${base} %p'`, keep: '8GB', nested: [base.toUpperCase(), 3, { host }] })
    expect(r.results('zeroth').hostA.result.msg).toEqual([settings('zero', 'hostA'), { state: 'before', base: 'zero' }])
    expect(r.results('first').hostA.result.msg).toEqual([settings('zero', 'hostA'), { state: 'after', base: 'zero' }])
    expect(r.results('first').hostB.result.msg).toEqual([settings('one', 'hostB'), { state: 'after', base: 'one' }])
  })

  it.each([
    [{ a: '{{ x }}', b: ['{{ y | upper }}', 1, null], c: 'text' }, ['x', 'y']],
    [['{{ x }}', { d: '{{ z }}' }], ['x', 'z']],
    [{ a: '{{ x }}', b: "{{ lookup('env', 'HOME') }}" }, undefined],
    [{ a: new UnsafeText('{{ lookup("env", "HOME") }}') }, []],
  ])('the structure %j reads %j and nothing else', (value, reads) => {
    expect(pureValueReads(value)?.sort()).toEqual(reads)
  })

  it.each([
    ['{{ pg_prefix }}/bin', ['pg_prefix']],
    ["{{ a if b is defined else c | default('x') | upper }}", ['a', 'b', 'c']],
    ["{{ '/bin/true' if 'witness' in group_names else d ~ ' x' }}", ['d', 'group_names']],
    ["{{ lookup('env', 'HOME') }}", undefined],
    ['{{ x | random }}', undefined],
    ['{{ vars[name] }}', undefined],
    ['{{ hostvars[h].x }}', undefined],
    ["{{ s.split(',') }}", undefined],
    ['{% if a %}{{ b }}{% endif %}', undefined],
    ["{{ l | select('file') }}", undefined],
  ])('%s reads %j and nothing else', (text, reads) => {
    expect(pureTemplateReads(text)?.sort()).toEqual(reads)
  })
})
