// Task order and handlers: each task runs on every host before the next (hosts in parallel); handlers run once,
// at the end of the play or at flush_handlers, only where notified, in the order they are defined.
import { describe, expect, it } from 'vitest'
import { localHosts, play, project } from './harness.js'

const three = localHosts(['hostA', 'hostB', 'hostC'])

describe('task order', () => {
  it('runs each task on all hosts before the next task starts', async () => {
    const p = project('')
    // hostA is slow on the first task: with a per-host pipeline its second task would come before hostA's first.
    p.write('inventory.ini', 'hostA ansible_connection=local delay=3\nhostB ansible_connection=local delay=0\nhostC ansible_connection=local delay=0\n')
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: first
      command: sleep 0.{{ delay }}
    - name: second
      command: "true"
`)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const trail = r.trail()
    expect(trail.slice(0, 3).every((t) => t.startsWith('first/'))).toBe(true)
    expect(trail.slice(3).sort()).toEqual(['second/hostA', 'second/hostB', 'second/hostC'])
  })

  it('runs a task on all its hosts at the same time: each host waits until every host has started it', async () => {
    const p = project(three)
    p.write('site.yml', play(`
    - shell: ${atOnce(p.dir, 3)}
`))
    const r = await p.run()
    expect(r.recap).toMatchObject({ hostA: { failed: 0 }, hostB: { failed: 0 }, hostC: { failed: 0 } })
    expect(r.exitCode).toBe(0)
  })

  it.each([1, 2])('works on at most forks=%i hosts at once', async (forks) => {
    const p = project(three)
    // With two forks two hosts must meet; with one a host meets only itself.
    p.write('site.yml', play(`
    - shell: ${atOnce(p.dir, forks)}
`))
    const r = await p.run({ forks })
    expect(r.exitCode).toBe(0)
    expect(mostAtOnce(p.read('log'))).toBe(forks)
  })
})

/**
 * A shell task that logs `+host` and `-host` around a wait until `n` hosts have started it. A host gets
 * past the wait only when n hosts ran the task at the same time; one that waits in vain fails after 200
 * checks (10 s) rather than leaving the test to hang.
 */
function atOnce(dir: string, n: number): string {
  return `'echo +{{ inventory_hostname }} >> ${dir}/log; i=0; until [ "$(grep -c "^+" ${dir}/log)" -ge ${n} ]; do i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.05; done; echo -{{ inventory_hostname }} >> ${dir}/log'`
}

/** The most hosts between their `+` and `-` lines at any point of the log. */
function mostAtOnce(log: string): number {
  let now = 0
  let most = 0
  for (const line of log.trim().split('\n')) {
    now += line.startsWith('+') ? 1 : -1
    most = Math.max(most, now)
  }
  return most
}

describe('handlers', () => {
  const handlers = `
  handlers:
    - name: first handler
      command: "true"
    - name: second handler
      command: "true"
    - name: topic handler
      command: "true"
      listen: config changed
`

  it('run only on hosts where a notifying task changed something, once, in the order they are defined', async () => {
    const p = project(three)
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: write a file
      copy: { dest: "${p.dir}/{{ inventory_hostname }}.conf", content: "x\\n" }
      notify: [second handler, first handler]
    - name: write it again (no change)
      copy: { dest: "${p.dir}/{{ inventory_hostname }}.conf", content: "x\\n" }
      notify: second handler
    - name: change it again
      copy: { dest: "${p.dir}/{{ inventory_hostname }}.conf", content: "y\\n" }
      notify: second handler
${handlers}`)
    p.write('hostB.conf', 'x\n') // hostB already has the first content: only its third task changes
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.tasks()).toEqual(['write a file', 'write it again (no change)', 'change it again', 'first handler', 'second handler'])
    expect(Object.keys(r.results('first handler')).sort()).toEqual(['hostA', 'hostC'])
    expect(Object.keys(r.results('second handler')).sort()).toEqual(['hostA', 'hostB', 'hostC'])
    expect(r.trail().filter((t) => t.startsWith('second handler/'))).toHaveLength(3) // once per host
    expect(r.recap.hostB).toEqual({ ok: 4, changed: 2, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('run at meta: flush_handlers and again at the end when notified again', async () => {
    const p = project(localHosts(['hostA']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: one
      command: "true"
      notify: first handler
    - meta: flush_handlers
    - name: two
      command: "true"
      notify: [first handler, config changed]
${handlers}`)
    const r = await p.run()
    expect(r.tasks()).toEqual(['one', 'first handler', 'two', 'first handler', 'topic handler'])
    expect(r.recap.hostA.ok).toBe(5)
  })

  it('do not run on a host that failed after being notified, and handlers flush after pre_tasks', async () => {
    const p = project(localHosts(['hostA', 'hostB']))
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  pre_tasks:
    - name: pre
      command: "true"
      notify: second handler
  tasks:
    - name: notify
      command: "true"
      notify: first handler
    - name: hostB fails
      fail: { msg: boom }
      when: inventory_hostname == 'hostB'
${handlers}`)
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.tasks()).toEqual(['pre', 'second handler', 'notify', 'hostB fails', 'first handler'])
    expect(Object.keys(r.results('second handler')).sort()).toEqual(['hostA', 'hostB'])
    expect(Object.keys(r.results('first handler'))).toEqual(['hostA'])
  })
})

describe('failure policy', () => {
  const playbook = (keywords: string) => `
- hosts: all
  gather_facts: false
  ${keywords}
  tasks:
    - name: fails on hostB
      command: "false"
      when: inventory_hostname == 'hostB'
    - name: next
      command: "true"
- hosts: all
  gather_facts: false
  tasks:
    - name: second play
      command: "true"
`

  it('a failed host leaves the run and the others carry on', async () => {
    const p = project(three, { 'site.yml': playbook('') })
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(Object.keys(r.results('next')).sort()).toEqual(['hostA', 'hostC'])
    expect(Object.keys(r.results('second play')).sort()).toEqual(['hostA', 'hostC'])
    expect(r.recap.hostB).toEqual({ ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
    expect(r.recap.hostA).toEqual({ ok: 2, changed: 2, failed: 0, skipped: 1, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('any_errors_fatal stops every host after the failing task', async () => {
    const r = await project(three, { 'site.yml': playbook('any_errors_fatal: true') }).run()
    expect(r.exitCode).toBe(2)
    expect(r.tasks()).toEqual(['fails on hostB'])
    expect(r.recap.hostA.ok + r.recap.hostC.ok).toBe(0)
  })

  it('max_fail_percentage stops the run only when more hosts than allowed failed', async () => {
    const over = await project(three, { 'site.yml': playbook('max_fail_percentage: 30') }).run()
    expect(over.tasks()).toEqual(['fails on hostB'])
    expect(over.exitCode).toBe(2)
    const under = await project(three, { 'site.yml': playbook('max_fail_percentage: 34') }).run()
    expect(under.tasks()).toEqual(['fails on hostB', 'next', 'second play'])
  })
})
