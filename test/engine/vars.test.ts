// Variable precedence (inventory group < host < play vars < vars_files < registered/set_fact < extra vars),
// -e in its three forms, the magic variables, set_fact across hosts and plays, and debug verbosity.
import { describe, expect, it } from 'vitest'
import { localHosts, project, run } from './harness.js'

describe('variable precedence', () => {
  it('takes each variable from the highest layer that defines it', async () => {
    const p = project(`
[db]
hostA ansible_connection=local b=host c=host

[db:vars]
a=group
b=group
`, {
      'vars/main.yml': 'd: file\ne: file\n',
      'extra.yml': 'g: extra-file\n',
      'site.yml': `
- hosts: db
  gather_facts: false
  vars: { c: play, d: play, f: play }
  vars_files: [vars/main.yml]
  tasks:
    - set_fact: { e: fact, f: fact, j: fact }
    - name: show
      debug: { msg: "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ g }} {{ h }} {{ i }} {{ j }}" }
      vars: { d: task, h: task, j: task }
`,
    })
    const r = await p.run({ extraVars: ['f=extra i=kv', '{"h": "json"}', `@${p.dir}/extra.yml`] })
    expect(r.exitCode).toBe(0)
    // task vars beat vars_files (d), set_fact beats task vars (j), extra vars beat everything (f, h)
    expect(r.results('show').hostA.result.msg).toBe('group host play task fact extra extra-file json kv fact')
  })

  it('set_fact values outlive the play; registered results are per host', async () => {
    const p = project(localHosts(['hostA', 'hostB']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { mark: "t-{{ inventory_hostname }}" }
    - command: echo {{ inventory_hostname }}
      register: echoed
- hosts: hostB
  gather_facts: false
  tasks:
    - name: show
      debug: { msg: "{{ mark }} {{ echoed.stdout }} {{ hostvars.hostA.mark }} {{ hostvars.hostA.echoed.stdout }}" }
`,
    })
    const r = await p.run()
    expect(r.results('show').hostB.result.msg).toBe('t-hostB hostB t-hostA hostA')
  })
})

describe('variables defined from a loop variable', () => {
  it('a play variable naming the task\'s loop_var is rendered per item, as Ansible renders it when used', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    line: "{{ user }} done"
    both: "{{ line }} and {{ user }}"
  tasks:
    - name: each
      debug: { msg: "{{ both }}" }
      loop: [ann, bob]
      loop_control: { loop_var: user }
    - name: without the loop
      debug: { msg: "{{ both }}" }
      ignore_errors: true
`,
    })
    const r = await p.run()
    expect((r.results('each').hostA.result.results as { msg: string }[]).map((x) => x.msg)).toEqual(['ann done and ann', 'bob done and bob'])
    // Where no loop defines it, the variable fails where it is used, naming what is undefined.
    expect(r.results('without the loop').hostA.status).toBe('ignored')
    expect(String(r.results('without the loop').hostA.result.msg)).toMatch(/user/)
  })
})

describe('values that came from a host are data', () => {
  it('a command output holding a template is not rendered again through block vars or set_fact', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { secret_var: s3cr3t }
  tasks:
    - command: printf '%s' '{{ "{{" }} secret_var {{ "}}" }}'
      register: printed
    - set_fact: { copied: "{{ printed.stdout }}" }
    - block:
        - name: write
          copy: { dest: "${p.dir}/out.txt", content: "{{ out }}|{{ copied }}" }
      vars: { out: "{{ printed.stdout }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('out.txt')).toBe('{{ secret_var }}|{{ secret_var }}')
  })
})

describe('magic variables', () => {
  it('inventory_hostname, group_names, groups, hostvars and ansible_play_hosts', async () => {
    const p = project(`
[web]
hostA ansible_connection=local port=80
hostB ansible_connection=local port=81

[db]
hostB
`, {
      'site.yml': `
- hosts: web
  gather_facts: false
  tasks:
    - name: show
      debug: { msg: "{{ inventory_hostname }}|{{ group_names | join(',') }}|{{ groups.web | join(',') }}|{{ hostvars.hostB.port }}|{{ ansible_play_hosts | join(',') }}" }
    - name: condition
      command: "true"
      when: "'db' in group_names and hostvars['hostA'].port == 80"
`,
    })
    const r = await p.run()
    expect(r.results('show').hostA.result.msg).toBe('hostA|web|hostA,hostB|81|hostA,hostB')
    expect(r.results('show').hostB.result.msg).toBe('hostB|db,web|hostA,hostB|81|hostA,hostB')
    expect(r.results('condition').hostA.status).toBe('skipped')
    expect(r.results('condition').hostB.status).toBe('changed')
  })

  it('ansible_check_mode is true under --check, and a task can opt out with check_mode: false', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: show
      debug: { msg: "check={{ ansible_check_mode }}" }
    - name: real write even in check mode
      copy: { dest: "${p.dir}/always.txt", content: "x" }
      check_mode: false
    - name: planned only
      copy: { dest: "${p.dir}/planned.txt", content: "x" }
`)
    const r = await p.run({ check: true })
    expect(r.exitCode).toBe(0)
    // Jinja2 prints Python's booleans
    expect(r.results('show').hostA.result.msg).toBe('check=True')
    expect(p.read('always.txt')).toBe('x')
    expect(() => p.read('planned.txt')).toThrow()
    expect(r.results('planned only').hostA.status).toBe('changed')
    expect((await p.run()).results('show').hostA.result.msg).toBe('check=False')
  })
})

describe('debug verbosity', () => {
  it('is skipped below its verbosity and shown at it', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: detail
      debug: { msg: detail, verbosity: 2 }
`,
    })
    expect((await p.run({ verbosity: 1 })).results('detail').hostA.status).toBe('skipped')
    const shown = (await p.run({ verbosity: 2 })).results('detail').hostA
    expect(shown.status).toBe('ok')
    expect(shown.result.msg).toBe('detail')
  })
})

describe('template files by extension', () => {
  it('renders .j2 as Ansible’s template module (loops, trim_blocks, lookups next to the playbook) and .hbs with Handlebars', async () => {
    const p = project(localHosts(['hostA']), {
      'templates/hosts.conf.j2': '# {{ lookup("file", "banner.txt") }}\n{% for h in servers %}\nserver {{ loop.index }} {{ h }}\n{% endfor %}\n',
      'templates/hosts.conf.hbs': '{{#each servers}}server {{this}}\n{{/each}}',
      'files/banner.txt': 'managed by pgha\n',
    })
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { servers: [db1, db2] }
  tasks:
    - template: { src: hosts.conf.j2, dest: "${p.dir}/jinja.conf" }
    - template: { src: hosts.conf.hbs, dest: "${p.dir}/hbs.conf" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('jinja.conf')).toBe('# managed by pgha\nserver 1 db1\nserver 2 db2\n')
    expect(p.read('hbs.conf')).toBe('server db1\nserver db2\n')
  })

  it('renders .hbs with Handlebars when the playbook is named by a relative path (npx pgha run playbooks/site.yml)', async () => {
    const p = project(localHosts(['hostA']), { 'templates/unit.hbs': '{{#if enabled}}Environment=ON{{/if}}\n' })
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { enabled: true }
  tasks:
    - template: { src: unit.hbs, dest: "${p.dir}/unit.conf" }
`)
    const cwd = process.cwd()
    process.chdir(p.dir)
    try {
      const r = await run({ playbook: 'site.yml', inventory: 'inventory.ini' })
      expect(r.events.filter((e) => e.type === 'host:result' && e.status === 'failed')).toEqual([])
      expect(r.exitCode).toBe(0)
    } finally {
      process.chdir(cwd)
    }
    expect(p.read('unit.conf')).toBe('Environment=ON\n')
  })
})
