// loop and loop_control, register (a loop's `results` list), when, changed_when/failed_when,
// ignore_errors and retries/until/delay, checked through recaps, results and the files written.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { localHosts, play, project } from './harness.js'

const one = localHosts(['hostA'])

describe('loop', () => {
  it('runs once per item with loop_var, index_var and label, and registers a results list', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: write users
      copy: { dest: "${p.dir}/{{ user.name }}.txt", content: "{{ user.uid }} {{ idx }}\\n" }
      loop: "{{ users }}"
      loop_control: { loop_var: user, label: "{{ user.name }}", index_var: idx }
      register: written
    - name: count
      assert:
        that:
          - written.results | length == 2
          - written.results[1].user.name == 'bob'
          - written.results[0] is changed
`, '{ users: [ { name: alice, uid: 1001 }, { name: bob, uid: 1002 } ] }'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('alice.txt')).toBe('1001 0\n')
    expect(p.read('bob.txt')).toBe('1002 1\n')
    const loop = r.results('write users').hostA
    expect(loop.status).toBe('changed')
    const results = loop.result.results as { _label: string; changed: boolean }[]
    expect(results.map((x) => x._label)).toEqual(['alice', 'bob'])
    expect(r.results('count').hostA.status).toBe('ok')
    expect(r.recap.hostA).toEqual({ ok: 2, changed: 1, failed: 0, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('runs a task with loop_control but no loop once, the loop_control unread, as Ansible does', async () => {
    // Public roles keep loop_control on the tasks of a file that an include loops over with loop_var.
    const p = project(one)
    p.write('site.yml', play(`
    - name: once
      copy: { dest: "${p.dir}/once.txt", content: "{{ group.name }}\\n" }
      loop_control: { label: "{{ undefined_here }}", loop_var: other }
`, '{ group: { name: admins } }'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('once.txt')).toBe('admins\n')
    expect(r.recap.hostA).toMatchObject({ ok: 1, changed: 1, failed: 0 })
  })

  it('lets a variable name the loop_var of the include that reads it, checked before the run and rendered per item', async () => {
    // As robertdebock.users' vars name `user`, the loop_var of the include_tasks whose tasks read them.
    const p = project(one)
    p.write('greet.yml', `
- name: greet
  copy: { dest: "${p.dir}/{{ who }}.txt", content: "{{ greeting }}\\n" }
`)
    p.write('site.yml', play(`
    - include_tasks: greet.yml
      loop: [ann, bob]
      loop_control: { loop_var: who }
`, '{ greeting: "hello {{ who }}" }'))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('ann.txt')).toBe('hello ann\n')
    expect(p.read('bob.txt')).toBe('hello bob\n')
  })

  it('skips a loop over an undefined variable when its when is false without the item, else fails naming it, as Ansible does', async () => {
    // robertdebock.users: `loop: "{{ user.unauthorized_keys }}"` under `when: user.unauthorized_keys is defined`.
    const p = project(one)
    p.write('site.yml', play(`
    - name: guarded
      debug: { msg: "{{ item }}" }
      loop: "{{ user.pubkeys }}"
      when: user.pubkeys is defined
    - name: unguarded
      debug: { msg: "{{ item }}" }
      loop: "{{ user.pubkeys }}"
      when: user.name == 'ann'
`, '{ user: { name: ann } }'))
    const r = await p.run()
    expect(r.results('guarded').hostA.status).toBe('skipped')
    expect(r.results('unguarded').hostA.status).toBe('failed')
    expect(r.results('unguarded').hostA.result.msg).toContain("undefined variable 'user.pubkeys'")
    expect(r.recap.hostA).toMatchObject({ ok: 0, failed: 1, skipped: 1 })
  })

  it('checks before the run a variable its task reads only under when: X is defined as possibly undefined, warns of one under another when, and errs on any other use', async () => {
    // robertdebock.users and .postgres loop over what the user may leave out: `loop: "{{ users }}"` under `when: users is defined`.
    const p = project(one)
    p.write('site.yml', play(`
    - name: guarded
      debug: { msg: "{{ item.name }}" }
      loop: "{{ users }}"
      when:
        - users is defined
        - users | length > 0
    - name: guarded by its block
      when: users is defined and groups_extra.x is defined
      block:
        - debug: { msg: "{{ users | length }} {{ groups_extra.x }}" }
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('guarded').hostA.status).toBe('skipped')
    // Under a when that may hold, as in Ansible: the task fails if it runs; warned of before the run.
    p.write('site.yml', play(`
    - name: guarded elsewhere only
      debug: { msg: "{{ users }}" }
      when: users is not defined
    - name: never runs
      debug: { msg: "{{ users_typo }}" }
      when: false
`))
    const warned = await p.run()
    expect(warned.exitCode).toBe(2)
    expect(warned.results('guarded elsewhere only').hostA.status).toBe('failed')
    const warnings = warned.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []))
    expect(warnings).toEqual([expect.stringMatching(/undefined variable 'users' in args\.msg.*: the task fails if it runs \(its when holds\)/)])
    // Unconditional: a typo, refused before any host is contacted.
    p.write('site.yml', play(`
    - name: unguarded
      debug: { msg: "{{ users }}" }
`))
    const err = await p.run().then(() => undefined, (e: unknown) => e)
    expect(String(err)).toMatch(/undefined variable 'users' in args\.msg/)
  })

  it('evaluates when per item, and a loop where every item is skipped counts as skipped', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: some items
      copy: { dest: "${p.dir}/{{ item }}.txt", content: "x" }
      loop: [a, b, c]
      when: item != 'b'
    - name: no item
      command: "false"
      loop: [a, b]
      when: item == 'z'
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    const items = r.results('some items').hostA.result.results as { skipped?: boolean }[]
    expect(items.map((x) => !!x.skipped)).toEqual([false, true, false])
    expect(() => p.read('b.txt')).toThrow()
    expect(r.results('no item').hostA.status).toBe('skipped')
    expect(r.recap.hostA).toEqual({ ok: 1, changed: 1, failed: 0, skipped: 1, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('runs every item after a failing one, as Ansible does, and fails the task', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: items
      shell: "test {{ item }} != bad && touch ${p.dir}/{{ item }}"
      loop: [a, bad, c]
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.results('items').hostA.status).toBe('failed')
    const items = r.results('items').hostA.result.results as { failed?: boolean }[]
    expect(items.map((x) => !!x.failed)).toEqual([false, true, false])
    expect(p.read('a')).toBe('')
    expect(p.read('c')).toBe('')
  })
})

describe('loop_control.pause', () => {
  it('waits `pause` seconds between one item and the next, not before the first or after the last', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: paced
      shell: "echo {{ item }} >> ${p.dir}/count"
      with_items: [a, b, c]
      loop_control: { pause: "{{ gap }}" }
`, '{ gap: 0.3 }'))
    const items = (): number => (existsSync(join(p.dir, 'count')) ? p.read('count').split('\n').length - 1 : 0)
    const pauses = watchTimers(300, items)
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('count')).toBe('a\nb\nc\n')
    expect(pauses).toEqual([{ setAfter: 1, endedAfter: 1 }, { setAfter: 2, endedAfter: 2 }])
  })
})

describe('when, changed_when, failed_when, ignore_errors', () => {
  it('skips on a false condition, including one on a registered result', async () => {
    const p = project(localHosts(['hostA', 'hostB']))
    p.write('site.yml', play(`
    - name: probe
      shell: "test {{ inventory_hostname }} = hostA"
      register: probe
      failed_when: false
      changed_when: false
    - name: only where the probe passed
      command: "true"
      when: probe.rc == 0
    - name: listed conditions must all hold
      command: "true"
      when: [probe.rc == 0, "'hostA' in group_names or inventory_hostname == 'hostA'"]
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('probe').hostB.status).toBe('ok')
    expect(r.results('only where the probe passed').hostA.status).toBe('changed')
    expect(r.results('only where the probe passed').hostB.status).toBe('skipped')
    expect(r.recap.hostB).toEqual({ ok: 1, changed: 0, failed: 0, skipped: 2, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('changed_when and failed_when decide from the result, bare or registered', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: never changed
      command: echo hello
      changed_when: false
    - name: changed on output
      command: echo CHANGED
      register: out
      changed_when: "'CHANGED' in out.stdout"
    - name: rc 1 is fine
      shell: exit 1
      failed_when: rc > 1
    - name: fails on output
      command: echo boom
      failed_when: "'boom' in stdout"
    - name: not reached
      command: "true"
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(r.results('never changed').hostA.status).toBe('ok')
    expect(r.results('changed on output').hostA.status).toBe('changed')
    expect(r.results('rc 1 is fine').hostA.status).toBe('changed')
    expect(r.results('fails on output').hostA.status).toBe('failed')
    expect(r.tasks()).not.toContain('not reached')
    expect(r.recap.hostA).toEqual({ ok: 3, changed: 2, failed: 1, skipped: 0, unreachable: 0, ignored: 0, rescued: 0 })
  })

  it('--check does not judge a command it skipped: there is no stdout to judge', async () => {
    const p = project(one, {
      'site.yml': play(`
    - name: probe
      command: echo CHANGED
      register: out
      changed_when: "'CHANGED' in out.stdout"
      failed_when: out.rc != 0
`),
    })
    const r = await p.run({ check: true })
    expect(r.exitCode).toBe(0)
    expect(r.results('probe').hostA.status).toBe('skipped')
  })

  it('ignore_errors counts the failure as ignored, keeps the host and exits 0', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: may fail
      command: "false"
      ignore_errors: true
      register: attempt
    - name: after
      debug: { msg: "rc was {{ attempt.rc }}" }
      when: attempt is failed
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(r.results('may fail').hostA.status).toBe('ignored')
    expect(r.results('after').hostA.result.msg).toBe('rc was 1')
    expect(r.recap.hostA).toEqual({ ok: 2, changed: 0, failed: 0, skipped: 0, unreachable: 0, ignored: 1, rescued: 0 })
  })
})

describe('retries, until, delay', () => {
  it('repeats until the condition holds and records the attempts', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: third time lucky
      shell: "echo x >> ${p.dir}/count; test $(wc -l < ${p.dir}/count) -ge 3"
      register: r
      until: r.rc == 0
      retries: 5
      delay: 0
`))
    const r = await p.run()
    expect(r.exitCode).toBe(0)
    expect(p.read('count')).toBe('x\nx\nx\n')
    expect(r.results('third time lucky').hostA.result.attempts).toBe(3)
  })

  it('fails after retries + 1 attempts, each retry starting only once a delay of `delay` seconds has ended', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: never
      shell: "echo x >> ${p.dir}/count; false"
      register: r
      until: r.rc == 0
      retries: 2
      delay: 0.4
`))
    const attempts = (): number => (existsSync(join(p.dir, 'count')) ? p.read('count').split('\n').length - 1 : 0)
    const delays = watchTimers(400, attempts)
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(p.read('count')).toBe('x\nx\nx\n')
    // A 0.4 s timer after the first and the second attempt, and no attempt while one was pending.
    expect(delays).toEqual([{ setAfter: 1, endedAfter: 1 }, { setAfter: 2, endedAfter: 2 }])
    expect(String(r.results('never').hostA.result.msg)).toMatch(/retries exhausted \(3 attempts\)/)
  })
})

describe('until on a failed result', () => {
  it('is tested on a failed result too: when it holds, retrying stops at once and the task fails, as in Ansible', async () => {
    const p = project(one)
    p.write('site.yml', play(`
    - name: fails at once
      shell: "echo x >> ${p.dir}/count; false"
      register: r
      until: r is failed
      retries: 4
      delay: 0
`))
    const r = await p.run()
    expect(r.exitCode).toBe(2)
    expect(p.read('count')).toBe('x\n')
    expect(r.results('fails at once').hostA.result).toMatchObject({ failed: true, rc: 1, attempts: 1 })
  })
})

/**
 * Every timer of `ms` set during the test, with what `witness` said when it was set and when it ended: a
 * wait the run makes, seen by what happened around it rather than by how long the run took.
 */
function watchTimers(ms: number, witness: () => number): { setAfter: number; endedAfter: number }[] {
  const seen: { setAfter: number; endedAfter: number }[] = []
  const realSetTimeout = globalThis.setTimeout
  const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    if (delay !== ms) return realSetTimeout(fn, delay, ...args)
    const timer = { setAfter: witness(), endedAfter: -1 }
    seen.push(timer)
    return realSetTimeout(() => {
      timer.endedAfter = witness()
      fn(...args)
    }, delay)
  }) as typeof setTimeout)
  onTestFinished(() => {
    spy.mockRestore()
  })
  return seen
}
