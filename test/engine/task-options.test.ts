// Per-task settings and run selection: environment, timeout, no_log, tags (always/never), --skip-tags,
// --start-at-task and --limit.
import { describe, expect, it } from 'vitest'
import { isRunning } from '../processes.js'
import { localHosts, project } from './harness.js'

const one = localHosts(['hostA'])

describe('environment and timeout', () => {
  it('environment reaches the command, from the task or its block', async () => {
    const p = project(one)
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  vars: { greeting: hello }
  tasks:
    - shell: "echo $GREETING > ${p.dir}/task"
      environment: { GREETING: "{{ greeting }}" }
    - block:
        - shell: "echo $GREETING-$OTHER > ${p.dir}/block"
      environment: { GREETING: block, OTHER: x }
`)
    expect((await p.run()).exitCode).toBe(0)
    expect(p.read('task')).toBe('hello\n')
    expect(p.read('block')).toBe('block-x\n')
  })

  it('a command that outlives the task timeout is killed, the task fails as timed out and the host leaves the play', async () => {
    const p = project(one)
    // The command records its pid, then becomes a 30 s sleep: only the timeout can end it within the test's time.
    p.write('site.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: slow
      shell: echo $$ > ${p.dir}/pid; exec sleep 30
      timeout: 1
    - name: after
      command: "true"
`)
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.results('slow').hostA.status).toBe('failed')
    expect(String(r.results('slow').hostA.result.msg)).toMatch(/^command timed out after 1s: echo/)
    expect(r.tasks()).not.toContain('after')
    const pid = Number(p.read('pid'))
    expect(pid).toBeGreaterThan(0)
    expect(isRunning(pid)).toBe(false)
  })
})

describe('no_log', () => {
  it('keeps the value out of every event, whether the task succeeds, fails or loops', async () => {
    const secret = 'Wh1sper-9f3a'
    const p = project(one, {
      'site.yml': `
- hosts: all
  gather_facts: false
  vars: { token: "${secret}" }
  tasks:
    - name: uses the secret
      command: echo {{ token }}
      no_log: true
    - name: loops over it
      command: echo {{ item }}
      loop: ["{{ token }}"]
      no_log: true
    - name: fails with it
      shell: "echo {{ token }} >&2; exit 3"
      no_log: true
`,
    })
    const r = await p.run({ diff: true, verbosity: 3 })
    expect(r.exitCode).toBe(2)
    expect(r.results('uses the secret').hostA.status).toBe('changed')
    expect(r.results('fails with it').hostA.status).toBe('failed')
    expect(JSON.stringify(r.events)).not.toContain(secret)
  })
})

describe('tags, --start-at-task, --limit', () => {
  const site = `
- hosts: all
  gather_facts: false
  tasks:
    - name: a
      command: "true"
      tags: [a]
    - name: b
      command: "true"
      tags: [b]
    - name: always
      command: "true"
      tags: [always]
    - name: never
      command: "true"
      tags: [never, debug]
    - name: untagged
      command: "true"
`

  it('select tasks as Ansible does, with always and never', async () => {
    const p = project(one, { 'site.yml': site })
    expect((await p.run()).tasks()).toEqual(['a', 'b', 'always', 'untagged'])
    expect((await p.run({ tags: ['a'] })).tasks()).toEqual(['a', 'always'])
    expect((await p.run({ tags: ['debug'] })).tasks()).toEqual(['always', 'never'])
    expect((await p.run({ skipTags: ['b', 'always'] })).tasks()).toEqual(['a', 'untagged'])
    expect((await p.run({ tags: ['untagged'] })).tasks()).toEqual(['always', 'untagged'])
  })

  it('--start-at-task skips the tasks before the named one', async () => {
    const p = project(one, { 'site.yml': site })
    expect((await p.run({ startAtTask: 'always' })).tasks()).toEqual(['always', 'untagged'])
  })

  it('--limit runs only on the hosts it selects', async () => {
    const p = project(localHosts(['hostA', 'hostB', 'hostC']), { 'site.yml': site })
    const r = await p.run({ limit: 'all:!hostB' })
    expect(Object.keys(r.results('a')).sort()).toEqual(['hostA', 'hostC'])
    expect(Object.keys(r.recap).sort()).toEqual(['hostA', 'hostC'])
  })
})
