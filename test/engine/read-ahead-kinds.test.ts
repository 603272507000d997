// Read-ahead of every fact kind through the engine on a local host whose accounts and units are files
// (fake-accounts.ts): a converged mixed play (packages installed on this machine, a group, users in a loop, directories with owners, a systemd
// unit, a template, a lineinfile loop, a blockinfile, a command with creates, stat and a link under its
// `when`, copies) reads all its facts in the round trip that gathers facts and one more, and a change made after the batch was read, by a task
// of another kind than the one that reads the fact, is seen by the tasks after it.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { fakeAccounts, unit, type FakeAccounts } from './fake-accounts.js'
import { localHosts, project, type Project } from './harness.js'

const me = userInfo().username
const myGroup = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()

/** A play on all hosts whose tasks (indented by four spaces) run in a block with the stand-ins on the PATH. */
const playWith = (tasks: string, gather = false): string => `
- hosts: all
  gather_facts: ${gather}
  tasks:
    - environment: { PATH: "{{ fake_path }}" }
      block:
${tasks.replace(/^ {4}/gm, '        ')}`

const MIXED = `
    - name: packages
      package: { name: [coreutils, sed], state: present }
    - name: group
      group: { name: app }
    - name: users
      user: { name: "{{ item }}", group: app, shell: /bin/sh }
      loop: [app1, app2, app3]
    - name: directories
      file: { path: "{{ root }}/{{ item }}", state: directory, owner: "${me}", group: "${myGroup}", mode: "0750" }
      loop: [etc, data, log]
    - name: service
      systemd: { name: web, state: started, enabled: true }
    - name: config
      template: { src: app.conf.j2, dest: "{{ root }}/etc/app.conf", mode: "0640" }
    - name: limits
      lineinfile: { path: "{{ root }}/etc/limits.conf", line: "{{ item }}", create: true }
      loop: [nofile 4096, nproc 512, core 0]
    - name: hosts
      blockinfile: { path: "{{ root }}/etc/hosts", block: "10.0.0.1 db1\\n10.0.0.2 db2", create: true }
    - name: initialize
      command: { cmd: "touch {{ root }}/data/initialized", creates: "{{ root }}/data/initialized" }
    - name: look
      stat: { path: "{{ root }}/etc/app.conf" }
      register: conf
    - name: link
      file: { src: "{{ root }}/etc/app.conf", path: "{{ root }}/current.conf", state: link }
      when: conf.stat.exists
    - name: copy 1
      copy: { dest: "{{ root }}/etc/one.conf", content: "one\\n" }
    - name: copy 2
      copy: { dest: "{{ root }}/etc/two.conf", content: "two\\n" }`

function mixedProject(): { p: Project; fake: FakeAccounts } {
  const p = project(localHosts(['hostA']), {
    'site.yml': playWith(MIXED, true),
    'templates/app.conf.j2': 'listen = {{ port }}\n',
  })
  const fake = fakeAccounts(join(p.dir, 'fake'), {
    passwd: ['app1:x:1001:1000::/home/app1:/bin/sh', 'app2:x:1002:1000::/home/app2:/bin/sh', 'app3:x:1003:1000::/home/app3:/bin/sh'],
    group: ['app:x:1000:'],
    units: { 'web.service': unit(false, false) },
  })
  return { p, fake }
}

const runIn = (p: Project, fake: FakeAccounts) =>
  p.run({ extraVars: [`root=${join(p.dir, 'tree')}`, `fake_path=${fake.path}`, 'port=5432'] })

describe('read-ahead of every fact kind', () => {
  it('reads every fact of a converged mixed play in the round trip that gathers facts', async () => {
    const { p, fake } = mixedProject()
    const first = await runIn(p, fake)
    expect(first.recap.hostA).toMatchObject({ failed: 0 })
    expect(first.recap.hostA.changed).toBeGreaterThan(0)
    expect(readFileSync(join(fake.state, 'units/web.service'), 'utf8')).toBe(unit(true, true))
    const again = await runIn(p, fake)
    // Thirteen tasks and Gathering Facts.
    expect(again.recap.hostA).toMatchObject({ ok: 14, changed: 0, failed: 0 })
    expect(again.results('link').hostA.status).toBe('ok')
    // The one round trip gathers facts and reads every fact of the play, the files' contents with them
    // (the packages of whichever manager the host turns out to have).
    expect(again.roundTrips).toBe(1)
  })

  it('reads ahead for service and apt as for systemd and package, in a play that gathers no facts', async () => {
    const tasks = `
    - name: core
      apt: { name: coreutils }
    - name: web
      service: { name: web, state: started }
    - name: db
      service: { name: db, enabled: true }
    - name: editor
      apt: { name: sed }`
    const p = project(localHosts(['hostA']), { 'site.yml': playWith(tasks) })
    const fake = fakeAccounts(join(p.dir, 'fake'), { passwd: [], group: [], units: { 'web.service': unit(false, false), 'db.service': unit(true, false) } })
    const first = await p.run({ extraVars: [`fake_path=${fake.path}`] })
    expect(first.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    const again = await p.run({ extraVars: [`fake_path=${fake.path}`] })
    expect(again.recap.hostA).toMatchObject({ ok: 4, changed: 0, failed: 0 })
    // The host's facts (its package manager), what is installed and both units, in one round trip.
    expect(again.roundTrips).toBe(1)
    // Stopped behind our back: started again.
    writeFileSync(join(fake.state, 'units/web.service'), unit(false, false))
    const drift = await p.run({ extraVars: [`fake_path=${fake.path}`] })
    expect(drift.recap.hostA).toMatchObject({ changed: 1, failed: 0 })
    expect(readFileSync(join(fake.state, 'units/web.service'), 'utf8')).toBe(unit(true, false))
  })

  it('plans a user task from the account a task of another kind changed after the batch was read', async () => {
    const tasks = `
    - name: group
      group: { name: app }
    - name: shell of app1
      lineinfile: { path: "{{ passwd }}", regexp: "^app1:", line: "app1:x:1001:1000::/home/app1:/bin/bash" }
    - name: app1
      user: { name: app1, group: app, shell: /bin/bash }
    - name: app2
      user: { name: app2, group: app, shell: /bin/sh }`
    const p = project(localHosts(['hostA']), { 'site.yml': playWith(tasks) })
    const fake = fakeAccounts(join(p.dir, 'fake'), {
      passwd: ['app1:x:1001:1000::/home/app1:/bin/sh', 'app2:x:1002:1000::/home/app2:/bin/sh'],
      group: ['app:x:1000:'],
      units: {},
    })
    // app1 was read ahead with /bin/sh; after the edit the user task must see /bin/bash and change nothing
    // (the stand-ins have no usermod: planning from the stale account would fail the task).
    const r = await p.run({ extraVars: [`fake_path=${fake.path}`, `passwd=${join(fake.state, 'passwd')}`] })
    expect(r.recap.hostA).toMatchObject({ changed: 1, failed: 0 })
    expect(r.results('shell of app1').hostA.status).toBe('changed')
    expect(r.results('app1').hostA.status).toBe('ok')
  })

  it('plans a service task from the unit state a task of another kind changed after the batch was read', async () => {
    const tasks = `
    - name: db
      systemd: { name: db, enabled: true }
    - name: web stopped behind our back
      copy: { dest: "{{ unit_file }}", content: "${unit(false, true).replace(/\n/g, '\\n')}" }
    - name: web
      systemd: { name: web, state: started }
    - name: again
      systemd: { name: web, state: started }`
    const p = project(localHosts(['hostA']), { 'site.yml': playWith(tasks) })
    const fake = fakeAccounts(join(p.dir, 'fake'), { passwd: [], group: [], units: { 'db.service': unit(true, true), 'web.service': unit(true, true) } })
    const r = await p.run({ extraVars: [`fake_path=${fake.path}`, `unit_file=${join(fake.state, 'units/web.service')}`] })
    expect(r.recap.hostA).toMatchObject({ changed: 2, failed: 0 })
    expect(r.results('web').hostA.status).toBe('changed')
    expect(r.results('again').hostA.status).toBe('ok')
    expect(readFileSync(join(fake.state, 'units/web.service'), 'utf8')).toBe(unit(true, true))
  })

  it('reads sysctl, getent and file facts in one batch, and after a command that runs every time reads the rest in one more', async () => {
    const tasks = `
    - name: kernel
      sysctl: { name: kernel.ostype, value: Linux, sysctl_file: "{{ root }}/sysctl.conf", reload: false }
    - name: root account
      getent: { database: passwd, key: root }
    - name: always
      command: "true"
      changed_when: false
    - name: root group
      getent: { database: group, key: root }
    - name: conf
      stat: { path: "{{ root }}/sysctl.conf" }
    - name: again
      sysctl: { name: kernel.ostype, value: Linux, sysctl_file: "{{ root }}/sysctl.conf", reload: false }`
    const p = project(localHosts(['hostA']), { 'site.yml': playWith(tasks) })
    const fake = fakeAccounts(join(p.dir, 'fake'), { passwd: ['root:x:0:0:root:/root:/bin/sh'], group: ['root:x:0:'], units: {} })
    const vars = { extraVars: [`fake_path=${fake.path}`, `root=${p.dir}`] }
    const first = await p.run(vars)
    expect(first.recap.hostA).toMatchObject({ changed: 1, failed: 0 })
    expect(readFileSync(join(p.dir, 'sysctl.conf'), 'utf8')).toBe('kernel.ostype=Linux\n')
    const again = await p.run(vars)
    expect(again.recap.hostA).toMatchObject({ ok: 6, changed: 0, failed: 0 })
    expect(again.results('root group').hostA.status).toBe('ok')
    // The two tasks before the command in one batch, the command, the three after it in one more.
    expect(again.roundTrips).toBe(3)
  })
})
