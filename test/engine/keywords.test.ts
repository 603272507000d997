// Task and play keywords real Ansible content uses: values given as templates (evaluated per host, after
// `when`), action/local_action, the deprecated bare include, order, throttle, any_errors_fatal on a task,
// and the keywords accepted with a note or refused with where they are written.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import type { EngineEvent } from '../../src/engine/index.js'
import { localHosts, play, project, type Run } from './harness.js'

const two = localHosts(['hostA', 'hostB'])

const warnings = (r: Run): string[] => (r.events as EngineEvent[]).flatMap((e) => (e.type === 'warning' ? [e.message] : []))

describe('keywords given as templates', () => {
  it('evaluates retries, delay, ignore_errors, environment and run_once with each host\'s variables', async () => {
    const p = project(localHosts(['hostA', 'hostB'], '[all:vars]\ntries=1\n[b]\nhostB\n[b:vars]\nlenient=yes\n'))
    p.write('site.yml', play(`
    - name: counted
      shell: "echo x >> ${p.dir}/{{ inventory_hostname }}.count; false"
      register: r
      until: r.rc == 0
      retries: "{{ tries }}"
      delay: "{{ 0 }}"
      ignore_errors: "{{ lenient | default(false) }}"
    - name: env
      shell: "echo $GREETING > ${p.dir}/{{ inventory_hostname }}.env"
      environment: "{{ env_for_task }}"
    - name: once
      shell: "echo {{ inventory_hostname }} >> ${p.dir}/once"
      run_once: "{{ 1 == 1 }}"
`, '{ env_for_task: { GREETING: "hello {{ inventory_hostname }}" } }'))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect([p.read('hostA.count'), p.read('hostB.count')]).toEqual(['x\nx\n', 'x\nx\n'])
    expect(r.results('counted').hostA.status).toBe('failed')
    expect(r.results('counted').hostB.status).toBe('ignored')
    expect(p.read('hostB.env')).toBe('hello hostB\n')
    expect(p.read('once')).toBe('hostB\n')
  })

  it('fails the task on a host where a keyword template gives a wrong value, naming the keyword and where it is', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', play(`
    - name: bad
      command: "true"
      ignore_errors: "{{ 'perhaps' }}"
    - name: skipped, so not evaluated
      command: "true"
      retries: "{{ undefined_count }}"
      when: false
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(String(r.results('bad').hostA.result.msg)).toMatch(/site\.yml:9:22: ignore_errors must be true or false, the template gave "perhaps"/)
  })

  it('renders hosts with the play vars and extra vars before the play', async () => {
    const p = project(two)
    p.write('site.yml', `
- hosts: "{{ target }}"
  gather_facts: false
  tasks:
    - copy: { dest: "${p.dir}/{{ inventory_hostname }}", content: "x" }
`)
    const r = await p.run({ extraVars: ['target=hostB'] })
    expect(r.exitCode).toBe(0)
    expect(() => p.read('hostA')).toThrow()
    expect(p.read('hostB')).toBe('x')
    // A play without a name is shown by its hosts as rendered, as ansible-playbook shows `PLAY [hostB]`.
    expect(r.events.flatMap((e) => (e.type === 'play:start' ? [e.name] : []))).toEqual(['hostB'])
    await expect(p.run()).rejects.toThrow(/site\.yml:2:14: undefined variable 'target'/)
  })
})

describe('connection and remote_user', () => {
  it('runs a play with connection: local on the controller for hosts that set no ansible_connection', async () => {
    // ansible_port=1: were the keyword ignored, the ssh connection would be refused.
    const p = project('far ansible_host=127.0.0.1 ansible_port=1\n')
    p.write('site.yml', `
- hosts: far
  connection: local
  remote_user: nobody
  tasks:
    - copy: { dest: "${p.dir}/{{ inventory_hostname }}", content: "facts {{ ansible_distribution is defined }}" }
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('far')).toBe('facts True')
  })
})

describe("a host's connection from its variables", () => {
  it('follows a connection variable set by a task for the tasks after it, not only the first connection', async () => {
    // Once ansible_connection is ssh, to port 1 of 127.0.0.1, the connection is refused.
    const p = project('far ansible_connection=local ansible_host=127.0.0.1\n')
    p.write('site.yml', play(`
    - copy: { dest: "${p.dir}/first", content: "local" }
    - copy: { dest: "${p.dir}/second", content: "local" }
    - set_fact: { ansible_connection: ssh, ansible_port: 1 }
    - copy: { dest: "${p.dir}/third", content: "over ssh" }
`))
    const r = await p.run()
    expect(p.read('second')).toBe('local')
    expect(() => p.read('third')).toThrow()
    expect(r.recap.far).toMatchObject({ ok: 3, unreachable: 1 })
  })
})

describe('action, local_action and include', () => {
  it('runs the module action and local_action name, local_action on localhost', async () => {
    const p = project(`hostA ansible_connection=local\nlocalhost ansible_connection=local\n`)
    p.write('site.yml', `
- hosts: hostA
  gather_facts: false
  tasks:
    - action: copy dest=${p.dir}/free content=free-form
    - action: { module: copy, dest: "${p.dir}/mapped", content: "{{ inventory_hostname }}" }
    - name: on the controller
      local_action: shell echo {{ inventory_hostname }} > ${p.dir}/local
      register: out
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('free')).toBe('free-form')
    expect(p.read('mapped')).toBe('hostA')
    expect(p.read('local')).toBe('hostA\n')
  })

  it('runs a bare include (static here, as Ansible 2.14 makes it), with a deprecation warning naming where it is', async () => {
    const p = project(localHosts(['hostA']))
    p.write('more.yml', `- copy: { dest: "${p.dir}/included", content: "{{ what }}" }\n`)
    p.write('site.yml', play(`
    - include: more.yml
      vars: { what: yes-included }
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('included')).toBe('yes-included')
    expect(warnings(r).join('\n')).toMatch(/site\.yml:7:7: 'include' is deprecated in Ansible: write import_tasks/)
  })
})

describe('order, throttle, any_errors_fatal, strategy, become_method, debugger', () => {
  it('runs hosts in the play\'s order, one at a time under throttle, and stops the run on a task\'s any_errors_fatal', async () => {
    const p = project(localHosts(['hostB', 'hostA', 'hostC']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  order: reverse_sorted
  strategy: free
  tasks:
    - name: in order
      shell: "echo {{ inventory_hostname }} >> ${p.dir}/order"
      throttle: 1
      debugger: on_failed
    - name: fatal
      command: "{{ 'false' if inventory_hostname == 'hostA' else 'true' }}"
      any_errors_fatal: true
    - name: never
      command: "true"
`)
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(p.read('order')).toBe('hostC\nhostB\nhostA\n')
    expect(r.tasks()).not.toContain('never')
    expect(warnings(r).join('\n')).toMatch(/site\.yml:5:13: strategy 'free' runs as 'linear' here/)
    expect(warnings(r).join('\n')).toMatch(/site\.yml:10:7: debugger is accepted and ignored/)
  })

  it('refuses become_method other than sudo, an unknown order or strategy, and the keywords pgha lacks, each where written', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  order: random
  strategy: host_pinned
  connection: telnet
  tasks:
    - command: "true"
      become_method: su
    - command: "true"
      become_flags: -H
`)
    const err = await p.run().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigErrors)
    const lines = (err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)
    expect(lines).toEqual([
      "3:10: order must be one of inventory, reverse_inventory, sorted, reverse_sorted, shuffle, got 'random'",
      "4:13: strategy must be linear or free, got 'host_pinned'",
      "5:15: connection must be local or ssh (pgha's transports), got the string \"telnet\"",
      "8:22: become_method 'su' is not supported: pgha becomes through sudo (become_method: sudo)",
      '10:7: become_flags is not supported: pgha becomes with sudo -n -u USER',
    ])
  })
})

describe('delegate_facts, ignore_unreachable and diff', () => {
  it('gives the facts a delegated task sets to the delegated host with delegate_facts, to the task\'s host without', async () => {
    const p = project(localHosts(['h1', 'h2']))
    p.write('site.yml', play(`
    - set_fact: { x: "from {{ inventory_hostname }}" }
      delegate_to: h2
      delegate_facts: true
      when: inventory_hostname == 'h1'
    - set_fact: { y: "from {{ inventory_hostname }}" }
      delegate_to: h2
      when: inventory_hostname == 'h1'
    - name: show
      debug: { msg: "{{ x | default('none') }} / {{ y | default('none') }}" }
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    // What ansible-playbook 2.14 prints for the same play.
    expect(r.results('show').h1.result.msg).toBe('none / from h1')
    expect(r.results('show').h2.result.msg).toBe('from h1 / none')
  })

  it('keeps an unreachable host in the play when the task ignores it, counted as ignored, and takes it out at the next', async () => {
    // Port 1: nothing listens, the connection is refused at once.
    const p = project('far ansible_host=127.0.0.1 ansible_port=1\nnear ansible_connection=local\n')
    p.write('site.yml', play(`
    - name: first
      ping:
      ignore_unreachable: true
    - name: second
      debug: { msg: still here }
    - name: third
      ping:
    - name: fourth
      debug: { msg: gone }
`))
    const r = await p.run()
    expect(r.results('first').far.status).toBe('ignored')
    expect(r.results('first').far.result.unreachable).toBe(true)
    expect(r.results('second').far.status).toBe('ok')
    expect(r.results('third').far.status).toBe('unreachable')
    expect(r.results('fourth').far).toBeUndefined()
    // ansible-playbook's recap of the same play: ok=2 unreachable=1 ignored=1 for far, exit code 4.
    expect(r.recap.far).toMatchObject({ ok: 2, unreachable: 1, ignored: 1, failed: 0 })
    expect(r.exitCode).toBe(4)
  })

  it('computes and shows a task\'s diff by its diff keyword, a play\'s for its tasks, whatever --diff says', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  diff: false
  tasks:
    - name: shown
      copy: { dest: "${p.dir}/a", content: "new\\n" }
      diff: true
    - name: hidden
      copy: { dest: "${p.dir}/b", content: "new\\n" }
`)
    const r = await p.run({ diff: true })
    expect(r.exitCode).toBe(0)
    const shown = r.results('shown').hostA
    expect([shown.diff, shown.result.diff]).toEqual([true, [{ path: `${p.dir}/a`, before: '', after: 'new\n' }]])
    const hidden = r.results('hidden').hostA
    expect([hidden.diff, hidden.result.diff]).toEqual([false, undefined])
  })
})

describe('play-level environment', () => {
  it('reaches every task and handler of the play, a task\'s own variables winning', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  environment: { GREETING: hello, OTHER: play }
  tasks:
    - shell: "echo $GREETING $OTHER > ${p.dir}/task"
      environment: { OTHER: task }
      notify: handle
  handlers:
    - name: handle
      shell: "echo $GREETING $OTHER > ${p.dir}/handler"
`)
    expect((await p.run()).exitCode).toBe(0)
    expect([p.read('task'), p.read('handler')]).toEqual(['hello task\n', 'hello play\n'])
  })
})

describe('import_playbook with a templated name', () => {
  it('renders it with the extra vars and the import\'s vars, as Ansible does when it loads the playbook', async () => {
    const p = project(localHosts(['hostA'], '[all:vars]\nfrom_inventory=child\n'))
    p.write('child.yml', play(`
    - copy: { dest: "${p.dir}/ran", content: "child" }
`))
    p.write('by-e.yml', '- import_playbook: "{{ pb }}.yml"\n')
    p.write('by-vars.yml', '- import_playbook: "{{ pb }}.yml"\n  vars: { pb: child }\n')
    p.write('by-inventory.yml', '- import_playbook: "{{ from_inventory }}.yml"\n')
    expect((await p.run({ playbook: 'by-e.yml', extraVars: ['pb=child'] })).exitCode).toBe(0)
    expect(p.read('ran')).toBe('child')
    expect((await p.run({ playbook: 'by-vars.yml' })).exitCode).toBe(0)
    // -e wins over the import's vars, so this names a playbook that does not exist.
    await expect(p.run({ playbook: 'by-vars.yml', extraVars: ['pb=nope'] })).rejects.toThrow(/nope\.yml/)
    // Inventory variables do not exist yet when the playbook is loaded (ansible-playbook: 'from_inventory' is undefined).
    await expect(p.run({ playbook: 'by-inventory.yml' })).rejects.toThrow(/by-inventory\.yml:1:24: undefined variable 'from_inventory'/)
  })
})
