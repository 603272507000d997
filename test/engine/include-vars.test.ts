// Variables as real roles set them: include_vars (a file, a directory, under a name, in a loop, from a
// role's vars/) at Ansible's level (above task vars and vars_files, below set_fact and -e), set_fact with
// cacheable (a fact too), `omit` leaving an argument out, hostvars rendered for the host they belong to,
// and the vars lookup; each misuse an input error at its file:line:col before any host is contacted.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { localHosts, play, project, run } from './harness.js'

/** The input errors of a run of site.yml, as `line:col: message`, and whether any host was reported on. */
async function refused(p: ReturnType<typeof project>): Promise<string[]> {
  const events: unknown[] = []
  const err = await run({ playbook: join(p.dir, 'site.yml'), inventory: join(p.dir, 'inventory.ini'), onEvent: (e) => events.push(e) }).catch((e: unknown) => e)
  if (!(err instanceof ConfigErrors)) throw new Error(`expected input errors, got ${String(err)}`)
  expect(events).toEqual([])
  return err.errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)
}

describe('include_vars', () => {
  it('ranks above task vars and vars_files, below set_fact and extra vars, and renders what it loads', async () => {
    const p = project(localHosts(['hostA']), {
      'vars/common.yml': 'a: file\nb: vars_files\n',
      'extra/one.yml': 'a: included\nb: included\nc: included\nd: included\nport: 5432\nurl: "pg://{{ inventory_hostname }}:{{ port }}"\n',
      'site.yml': `
- hosts: all
  gather_facts: false
  vars_files: [vars/common.yml]
  tasks:
    - include_vars: extra/one.yml
      register: loaded
    - set_fact: { c: fact }
    - name: show
      debug: { msg: "{{ a }} {{ b }} {{ c }} {{ d }} {{ url }} {{ loaded.ansible_included_var_files | map('basename') | list }}" }
      vars: { a: task }
`,
    })
    const r = await p.run({ extraVars: ['d=extra'] })
    expect(r.exitCode).toBe(0)
    expect(r.results('show').hostA.result.msg).toBe("included included fact extra pg://hostA:5432 ['one.yml']")
  })

  it('loads a directory in name order with depth, files_matching, ignore_files and extensions, under a name', async () => {
    const p = project(localHosts(['hostA']), {
      'conf/10-a.yml': 'x: a\nfrom_a: 1\n',
      'conf/20-b.yaml': 'x: b\n',
      'conf/30-c.json': '{"x": "c"}',
      'conf/40-skip.yml': 'x: skipped\n',
      'conf/notes.txt': 'not vars\n',
      'conf/sub/50-deep.yml': 'deep: yes\n',
      'site.yml': play(`
    - include_vars: { dir: conf, ignore_files: ['skip.yml'], ignore_unknown_extensions: true, depth: 1 }
    - name: top
      debug: { msg: "{{ x }} {{ from_a }} {{ deep is defined }}" }
    - include_vars: { dir: conf, files_matching: '^[12]0-', extensions: [yml, yaml], name: cfg }
    - name: named
      debug: { msg: "{{ cfg.x }} {{ cfg | dictsort }}" }
    - include_vars: { dir: conf, ignore_unknown_extensions: yes }
    - name: deep
      debug: { msg: "{{ x }} {{ deep }}" }`),
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('top').hostA.result.msg).toBe('c 1 False')
    expect(r.results('named').hostA.result.msg).toBe("b [('from_a', 1), ('x', 'b')]")
    expect(r.results('deep').hostA.result.msg).toBe('skipped True')
  })

  it('a directory with a file of another extension fails the task, naming the file', async () => {
    const p = project(localHosts(['hostA']), {
      'conf/a.yml': 'x: a\n',
      'conf/notes.txt': 'not vars\n',
      'site.yml': play('    - include_vars: { dir: conf }'),
    })
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(Object.values(r.results('include_vars: dir=conf'))[0]?.result.msg).toMatch(/conf\/notes\.txt does not have a valid extension: json, yaml, yml/)
  })

  it('works in a loop, later files winning, and finds a role\'s files in its vars/', async () => {
    const p = project(localHosts(['hostA']), {
      'roles/db/vars/Debian.yml': 'pkg: postgresql\nsvc: debian\n',
      'roles/db/vars/Debian-12.yml': 'svc: bookworm\n',
      'roles/db/tasks/main.yml': `
- include_vars: "{{ item }}"
  loop: [Debian.yml, Debian-12.yml]
- name: role
  debug: { msg: "{{ pkg }} {{ svc }}" }
`,
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [db]\n',
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.tasks()).toContain('db : role')
    expect(r.results('db : role').hostA.result.msg).toBe('postgresql bookworm')
  })

  it('a file whose directory is templated defines names unknown before it runs; a templated file name in a known directory does not', async () => {
    const p = project(localHosts(['hostA']), {
      'env/prod.yml': 'db_port: 6432\n',
      'vars/Debian.yml': 'db_user: app\n',
      'site.yml': play(`
    - include_vars: "{{ playbook_dir }}/env/{{ stage }}.yml"
    - name: port
      debug: { msg: "port {{ db_port }}" }`, '{ stage: prod }'),
      'typo.yml': play(`
    - include_vars: "vars/{{ family }}.yml"
    - name: user
      debug: { msg: "{{ db_usr }}" }`, '{ family: Debian }'),
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('port').hostA.result.msg).toBe("port 6432")
    const typo = await run({ playbook: join(p.dir, 'typo.yml'), inventory: join(p.dir, 'inventory.ini') }).catch((e: unknown) => e)
    expect(typo).toBeInstanceOf(ConfigErrors)
    expect((typo as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
      "9:25: undefined variable 'db_usr' in args.msg (did you mean 'db_user'?)",
    ])
  })

  it('refuses a misuse before any host is contacted, at its position', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': play(`
    - include_vars: { file: a.yml, dir: conf }
    - include_vars: { file: a.yml, hash_behaviour: merge }
    - include_vars: { file: a.yml, files_matching: x }
    - include_vars: { dir: conf, files_matching: '(' }
    - include_vars: { file: a.yml, name: 'not a name' }`),
    })
    const errors = await refused(p)
    expect(errors).toEqual([
      expect.stringMatching(/^7:7: .*include_vars needs exactly one of a file \(free form or file:\) and dir:/),
      "8:36: module 'include_vars' has no parameter 'hash_behaviour'",
      "9:52: parameter 'files_matching' of module 'include_vars': files_matching applies only with dir",
      expect.stringMatching(/^10:50: parameter 'files_matching' of module 'include_vars': not a regular expression: /),
      "11:42: parameter 'name' of module 'include_vars': must be a valid variable name",
    ])
  })
})

describe('set_fact cacheable, omit, hostvars, the vars lookup', () => {
  it('a cacheable set_fact is a fact too; a plain one is not', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': play(`
    - set_fact: { kept: one, cacheable: true }
    - set_fact: { plain: two }
    - name: show
      debug: { msg: "{{ ansible_facts.kept }} {{ kept }} {{ ansible_facts.plain is defined }} {{ plain }}" }`),
    })
    const r = await p.run()
    expect(r.results('show').hostA.result.msg).toBe('one one False two')
  })

  it('an argument set to omit is left out, as if it were not written', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: write
      copy: { dest: "${p.dir}/out.txt", content: "x\\n", mode: "{{ wanted_mode | default(omit) }}", owner: "{{ omit }}" }
    - name: show
      debug: { msg: "{{ {'a': omit, 'b': 1} | length }}" }`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('out.txt')).toBe('x\n')
    // Only module arguments drop it: elsewhere it is a value like any other.
    expect(r.results('show').hostA.result.msg).toBe('2')
  })

  it("renders another host's templated variables against that host's own", async () => {
    const p = project(localHosts(['hostA', 'hostB'], '[all:vars]\nport=5432\nconninfo="host={{ inventory_hostname }} port={{ port }}"\n'), {
      'site.yml': `
- hosts: hostA
  gather_facts: false
  tasks:
    - include_vars: { file: more.yml }
- hosts: hostB
  gather_facts: false
  tasks:
    - name: show
      debug: { msg: "{{ hostvars['hostA'].conninfo }} / {{ hostvars.hostA.extra }} / {{ lookup('vars', 'conninfo') }} / {{ lookup('vars', 'nope', default='-') }}" }
`,
      'more.yml': 'extra: "{{ port | int + 1 }} on {{ inventory_hostname }}"\n',
    })
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('show').hostB.result.msg).toBe('host=hostA port=5432 / 5433 on hostA / host=hostB port=5432 / -')
  })
})
