// Read-ahead through the engine on local hosts: a converged run of file tasks reads all their facts in
// one batch, and no task ever plans from a fact read before something could have changed it: not after
// an earlier task in the window applied a change, not across a task whose module does not say what it
// reads (here a pause during which the file changes), not for a task that runs as another user.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openTransport, type ConnectionSpec } from '../../src/transport/index.js'
import { localHosts, play, project, type Project } from './harness.js'

/** Runs a play of file tasks working under `root`, the project's tree/. */
const runIn = (p: Project) => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`] })

/** Twelve file tasks; `between` goes after each (a task whose module does not say what it reads closes the window). */
const twelve = (between = ''): string => Array.from({ length: 4 }, (_, i) => `
    - name: dir ${i}
      file: { path: "{{ root }}/d${i}", state: directory, mode: "0755" }${between}
    - name: line ${i}
      lineinfile: { path: "{{ root }}/d${i}/lines.conf", line: "key = ${i}", create: true }${between}
    - name: copy ${i}
      copy: { dest: "{{ root }}/d${i}/copied.conf", content: "copy ${i}\\n" }${between}`).join('')

const NOTE = `
    - meta: noop`

describe('read-ahead', () => {
  it('reads every fact of a converged run of twelve file tasks in one round trip', async () => {
    const p = project(localHosts(['hostA']), { 'site.yml': play(twelve()) })
    const first = await runIn(p)
    expect(first.recap.hostA).toMatchObject({ changed: 12, failed: 0 })
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 12, changed: 0, failed: 0 })
    // The stats, the lines' and copies' contents together.
    expect(again.roundTrips).toBe(1)
    // The same tasks each followed by a meta task never read ahead: twelve reads.
    const apart = project(localHosts(['hostA']), { 'site.yml': play(twelve(NOTE)) })
    await runIn(apart)
    expect((await runIn(apart)).roundTrips).toBe(12)
  })

  it('costs a first run, where every task changes something, no more than one batch', async () => {
    const together = project(localHosts(['hostA']), { 'site.yml': play(twelve()) })
    const apart = project(localHosts(['hostA']), { 'site.yml': play(twelve(NOTE)) })
    const [a, b] = [await runIn(together), await runIn(apart)]
    expect(a.recap.hostA).toMatchObject({ changed: 12, failed: 0 })
    expect(a.roundTrips - b.roundTrips).toBeLessThanOrEqual(2)
  })

  it('reads a converged loop in one batch, and costs a first run whose items all change no more than one batch', async () => {
    const items = Array.from({ length: 8 }, (_, i) => `f${i}`)
    const tree = `
    - name: tree
      file: { path: "{{ root }}", state: directory }${NOTE}`
    const loop = project(localHosts(['hostA']), { 'site.yml': play(`${tree}
    - name: lines
      lineinfile: { path: "{{ root }}/{{ item }}.conf", line: "key = {{ item }}", create: true }
      loop: ${JSON.stringify(items)}`) })
    const apart = project(localHosts(['hostA']), { 'site.yml': play(tree + items.map((f) => `
    - name: line ${f}
      lineinfile: { path: "{{ root }}/${f}.conf", line: "key = ${f}", create: true }${NOTE}`).join('')) })
    const [a, b] = [await runIn(loop), await runIn(apart)]
    expect(a.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(a.roundTrips - b.roundTrips).toBeLessThanOrEqual(2)
    expect(loop.read('tree/f7.conf')).toBe('key = f7\n')
    const again = await runIn(loop)
    expect(again.recap.hostA).toMatchObject({ ok: 2, changed: 0 })
    // The directory's own read, then the eight files and their contents in one batch.
    expect(again.roundTrips).toBe(2)
  })

  it('plans a later task from the file an earlier task of the same batch changed', async () => {
    const tasks = `
    - name: dir
      file: { path: "{{ root }}", state: directory }
    - name: look
      stat: { path: "{{ root }}/b.conf" }
    - name: first
      copy: { dest: "{{ root }}/a.conf", content: "one\\n", force: false }
    - name: second
      lineinfile: { path: "{{ root }}/a.conf", line: "two" }
    - name: third
      lineinfile: { path: "{{ root }}/a.conf", line: "three" }`
    const p = project(localHosts(['hostA']), { 'site.yml': play(tasks) })
    await runIn(p)
    expect(p.read('tree/a.conf')).toBe('one\ntwo\nthree\n')
    // Drift in the middle of a converged batch: repaired, and the tasks after it see the repair.
    writeFileSync(join(p.dir, 'tree/a.conf'), 'one\n')
    const drift = await runIn(p)
    expect(drift.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(p.read('tree/a.conf')).toBe('one\ntwo\nthree\n')
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 0 })
  })

  it('does not read past a task whose module does not say what it reads', async () => {
    const tasks = `
    - name: look 1
      stat: { path: "{{ root }}/x1" }
    - name: look 2
      stat: { path: "{{ root }}/x2" }
    - name: look 3
      stat: { path: "{{ root }}/x3" }
    - name: wait
      pause: { seconds: 1 }
    - name: edit
      lineinfile: { path: "{{ root }}/b.conf", line: "added" }`
    const p = project(localHosts(['hostA']), { 'site.yml': play(tasks), 'tree/b.conf': 'old\n' })
    // Another process rewrites the file during the pause; the edit must start from what it wrote.
    const timer = setTimeout(() => writeFileSync(join(p.dir, 'tree/b.conf'), 'new\n'), 400)
    const r = await runIn(p)
    clearTimeout(timer)
    expect(r.recap.hostA).toMatchObject({ failed: 0 })
    expect(readFileSync(join(p.dir, 'tree/b.conf'), 'utf8')).toBe('new\nadded\n')
  })
  // A task's window goes on past the end of its included file or block, and into the blocks and literal
  // includes after it; an include whose `when` is known not to hold is stepped over, a looped one ends it.
  const included = (loop: string) => project(localHosts(['hostA']), {
    'site.yml': play(`
    - name: the first two, included
      include_tasks: inc.yml
    - name: a block
      block:
        - name: dir c
          file: { path: "{{ root }}/c", state: directory }
        - name: copy c
          copy: { dest: "{{ root }}/c/conf", content: "c\\n" }
    - name: never included
      include_tasks: never.yml
      when: false
    - name: included per item
      include_tasks: item.yml${loop}
    - name: dir d
      file: { path: "{{ root }}/d", state: directory }`),
    'inc.yml': `
- name: dir a
  file: { path: "{{ root }}/a", state: directory }
- name: copy a
  copy: { dest: "{{ root }}/a/conf", content: "a\\n" }`,
    'never.yml': `
- name: not run
  pause: { seconds: 1 }`,
    'item.yml': `
- name: dir b
  file: { path: "{{ root }}/b-{{ item | default('one') }}", state: directory }`,
  })

  it('reads past the end of an included file and into the blocks and includes after it', async () => {
    const p = included('')
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 6, failed: 0 })
    const again = await runIn(p)
    // the 6 tasks and the 2 includes that ran (an ok each, as Ansible counts them); the one never included is a skip
    expect(again.recap.hostA).toMatchObject({ ok: 8, changed: 0, failed: 0, skipped: 1 })
    expect(again.roundTrips).toBe(1)
  })

  it('ends the window at an include with a loop', async () => {
    const p = included(`
      loop: [x]`)
    expect((await runIn(p)).recap.hostA).toMatchObject({ changed: 6, failed: 0 })
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 8, changed: 0, failed: 0, skipped: 1 })
    // The tasks up to the looped include, then the included task and the one after it.
    expect(again.roundTrips).toBe(2)
  })

  it('reads on into the later plays a host is in, past those it is not in', async () => {
    const files = (tag: string) => `
    - name: dir ${tag}
      file: { path: "{{ root }}/{{ inventory_hostname }}-${tag}", state: directory }
    - name: copy ${tag}
      copy: { dest: "{{ root }}/{{ inventory_hostname }}-${tag}/conf", content: "${tag}\\n" }`
    const playOn = (hosts: string, tag: string) => play(files(tag)).replace('- hosts: all', `- hosts: ${hosts}`)
    const p = project(localHosts(['hostA', 'hostB']), { 'site.yml': [playOn('all', 'one'), playOn('hostB', 'two'), playOn('all', 'three')].join('') })
    const first = await runIn(p)
    expect(first.recap).toMatchObject({ hostA: { changed: 4, failed: 0 }, hostB: { changed: 6, failed: 0 } })
    const again = await runIn(p)
    expect(again.recap).toMatchObject({ hostA: { ok: 4, changed: 0 }, hostB: { ok: 6, changed: 0 } })
    // One batch per host for the three plays (it was one per host and play).
    expect(again.roundTrips).toBe(2)
    expect(existsSync(join(p.dir, 'tree/hostA-two'))).toBe(false)
  })

  it('goes past a command whose when cannot be told yet; when it runs, the tasks after it see what it did', async () => {
    const tasks = `
    - name: flag
      stat: { path: "{{ root }}/flag" }
      register: flag
    - name: before
      copy: { dest: "{{ root }}/a.conf", content: "one\\n" }
    - name: scribble
      shell: "echo scribbled > {{ root }}/a.conf"
      when: flag.stat.exists
    - name: after
      copy: { dest: "{{ root }}/a.conf", content: "one\\n" }
    - name: other
      copy: { dest: "{{ root }}/b.conf", content: "two\\n" }`
    const p = project(localHosts(['hostA']), { 'site.yml': play(tasks), 'tree/.keep': '' })
    await runIn(p)
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 4, skipped: 1, changed: 0 })
    // The stat and the copies' files and contents in one batch: the skipped command did not end it.
    expect(again.roundTrips).toBe(1)
    writeFileSync(join(p.dir, 'tree/flag'), '')
    const ran = await runIn(p)
    expect(ran.results('scribble').hostA.status).toBe('changed')
    // Planned from the file as the command left it, not from the batch read before it ran.
    expect(ran.results('after').hostA.status).toBe('changed')
    expect(p.read('tree/a.conf')).toBe('one\n')
  })

  it('reads a checksum ahead only for a task sure to run; one that may not (its when, or its include\'s, not told yet) reads its own', async () => {
    const tasks = `
    - name: flag
      stat: { path: "{{ root }}/flag", get_checksum: false }
      register: flag
    - name: sure
      stat: { path: "{{ root }}/sure.bin", checksum_algorithm: sha256 }
      register: sure
    - name: maybe
      stat: { path: "{{ root }}/maybe.bin", checksum_algorithm: sha256 }
      register: maybe
      when: flag.stat.exists
    - include_tasks: inc.yml
      when: flag.stat.exists
    - name: after
      copy: { dest: "{{ root }}/a.conf", content: "one\\n" }`
    const p = project(localHosts(['hostA']), {
      'site.yml': play(tasks), 'inc.yml': `
- name: included
  stat: { path: "{{ root }}/inc.bin", checksum_algorithm: sha512 }
  register: inc`,
      'tree/sure.bin': 'sure', 'tree/maybe.bin': 'maybe', 'tree/inc.bin': 'inc',
    })
    const commands: string[] = []
    const recording = {
      openTransport: (spec: ConnectionSpec) => {
        const t = openTransport(spec)
        const exec = t.exec.bind(t)
        t.exec = (command, o) => (commands.push(command), exec(command, o))
        return t
      },
    }
    const go = () => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`], ...recording })
    await go()
    commands.length = 0
    const again = await go()
    expect(again.recap.hostA).toMatchObject({ ok: 3, changed: 0, failed: 0 })
    expect(again.results('maybe').hostA.status).toBe('skipped')
    // One batch: the sure stat's checksum in it; the two that are then skipped never read at all.
    expect(again.roundTrips).toBe(1)
    expect(commands.join('\n')).toContain('sha256sum')
    expect(commands.join('\n')).not.toMatch(/maybe\.bin|inc\.bin/)
    expect(again.results('sure').hostA.result).toMatchObject({ stat: { checksum: createHash('sha256').update('sure').digest('hex') } })
    // When they run after all, each reads its own, with the right checksum.
    writeFileSync(join(p.dir, 'tree/flag'), '')
    const ran = await go()
    expect(ran.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(ran.results('maybe').hostA.result).toMatchObject({ stat: { checksum: createHash('sha256').update('maybe').digest('hex') } })
    expect(ran.results('included').hostA.result).toMatchObject({ stat: { checksum: createHash('sha512').update('inc').digest('hex') } })
  })

  it('reads ahead for a host while it waits on a task only the others run, so the hosts\' batches overlap', async () => {
    const tasks = `
    - name: slow on hostA
      shell: "sleep 0.3; cat {{ root }}/a.conf"
      args: { creates: "{{ root }}/a.conf" }
      when: inventory_hostname == 'hostA'
    - name: copy on hostB
      copy: { dest: "{{ root }}/b-{{ inventory_hostname }}.conf", content: "b\\n" }
      when: inventory_hostname == 'hostB'
    - name: look on hostB
      stat: { path: "{{ root }}/b-{{ inventory_hostname }}.conf" }
      when: inventory_hostname == 'hostB'`
    const p = project(localHosts(['hostA', 'hostB']), { 'site.yml': play(tasks), 'tree/a.conf': 'a\n' })
    let task = ''
    const sent: string[] = []
    const recording = {
      onEvent: (e: { type: string; name?: string }) => {
        if (e.type === 'task:start') task = e.name ?? ''
      },
      openTransport: (spec: ConnectionSpec) => {
        const t = openTransport(spec)
        const exec = t.exec.bind(t)
        t.exec = (command, o) => (sent.push(`${task}/${spec.host}`), exec(command, o))
        return t
      },
    }
    const go = () => p.run({ extraVars: [`root=${join(p.dir, 'tree')}`], ...recording })
    expect((await go()).recap.hostB).toMatchObject({ changed: 1, failed: 0 })
    sent.length = 0
    const again = await go()
    expect(again.recap).toMatchObject({ hostA: { ok: 1, changed: 0 }, hostB: { ok: 2, changed: 0 } })
    // hostB's reads went while hostA's task (converged: its command does not run) was under way.
    expect(sent.filter((s) => s.endsWith('/hostB'))).toEqual(['slow on hostA/hostB'])
    expect(again.results('look on hostB').hostB.result).toMatchObject({ stat: { exists: true, size: 2 } })
    // A change hostB's batch could not foresee still shows: planned from the file as it is then.
    writeFileSync(join(p.dir, 'tree/b-hostB.conf'), 'drifted\n')
    const drift = await go()
    expect(drift.results('copy on hostB').hostB.status).toBe('changed')
    expect(p.read('tree/b-hostB.conf')).toBe('b\n')
  })

  it('drops what a waiting host read when the task it waited on changed something (it may have changed that host)', async () => {
    // hostA and hostB are this machine: hostA's command rewrites the file hostB's copy then converges,
    // after hostB has read it while waiting (as a switchover restarts the old primary over SSH).
    const tasks = `
    - name: rewrite from hostA
      shell: "sleep 0.3; echo rewritten > {{ root }}/b.conf"
      when: inventory_hostname == 'hostA'
    - name: copy on hostB
      copy: { dest: "{{ root }}/b.conf", content: "b\\n" }
      when: inventory_hostname == 'hostB'`
    const p = project(localHosts(['hostA', 'hostB']), { 'site.yml': play(tasks), 'tree/b.conf': 'b\n' })
    const r = await p.run({ extraVars: [`root=${join(p.dir, 'tree')}`] })
    expect(r.results('copy on hostB').hostB.status).toBe('changed')
    expect(p.read('tree/b.conf')).toBe('b\n')
  })

  it('plans a task from its own arguments when a variable it was guessed with changed in between', async () => {
    const tasks = `
    - name: first
      copy: { dest: "{{ root }}/{{ target }}", content: "one\\n" }
    - name: retarget
      set_fact: { target: b.conf }
    - name: second
      copy: { dest: "{{ root }}/{{ target }}", content: "two\\n" }`
    const p = project(localHosts(['hostA']), { 'site.yml': play(tasks, '{ target: a.conf }'), 'tree/.keep': '' })
    const r = await runIn(p)
    expect(r.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect([p.read('tree/a.conf'), p.read('tree/b.conf')]).toEqual(['one\n', 'two\n'])
    const again = await runIn(p)
    expect(again.recap.hostA).toMatchObject({ ok: 3, changed: 0 })
  })
})
