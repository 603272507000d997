// The engine over FakeTransport: what reaches each host (commands, become, environment, writes), an
// unreachable host leaving the run with exit code 4, and --check making no write at all.
import { describe, expect, it } from 'vitest'
import { UnreachableError } from '../../src/errors.js'
import { FakeTransport, type ConnectionSpec, type Transport } from '../../src/transport/index.js'
import { project } from './harness.js'

/** Hosts answered by fakes (nothing is contacted); `down` hosts refuse to connect. */
function fakes(down: string[] = []) {
  const byHost = new Map<string, FakeTransport>()
  const connects: string[] = []
  const open = (spec: ConnectionSpec): Transport => {
    const t = new FakeTransport(spec.host)
    t.connect = async () => {
      connects.push(spec.host)
      if (down.includes(spec.host)) throw new UnreachableError(spec.host, `connect to ${spec.host}: connection refused`)
    }
    byHost.set(spec.host, t)
    return t
  }
  return { open, byHost, connects, commands: (h: string) => byHost.get(h)!.calls.filter((c) => c.kind === 'exec') }
}

const inventory = '[db]\ndb1\ndb2\n\n[db:vars]\nansible_user=admin\n'

describe('engine on the fake transport', () => {
  it('sends each command once per host with the task\'s become user, environment and timeout', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - name: as postgres
      command: psql -c 'select 1'
      become: true
      become_user: postgres
      environment: { PGPORT: "5433" }
      timeout: 7
`,
    })
    const f = fakes()
    const r = await p.run({ openTransport: f.open })
    expect(r.exitCode).toBe(0)
    for (const h of ['db1', 'db2']) {
      const [call] = f.commands(h)
      expect(f.commands(h)).toHaveLength(1)
      expect(call.command).toContain('psql')
      expect(call.options).toMatchObject({ become: true, user: 'postgres', env: { PGPORT: '5433' }, timeoutMs: 7000 })
    }
  })

  it('an unreachable host is tried once, counted unreachable, and the run exits 4 while others carry on', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - name: one
      command: "true"
    - name: two
      command: "true"
- hosts: db
  gather_facts: false
  tasks:
    - name: three
      command: "false"
      when: inventory_hostname == 'db1'
`,
    })
    const f = fakes(['db2'])
    const r = await p.run({
      openTransport: (spec) => {
        const t = f.open(spec)
        if (spec.host === 'db1') (t as FakeTransport).respond('false', { rc: 1 })
        return t
      },
    })
    expect(r.exitCode).toBe(4) // unreachable outranks the failure on db1
    expect(f.connects.filter((h) => h === 'db2')).toHaveLength(1)
    expect(r.results('one').db2.status).toBe('unreachable')
    expect(Object.keys(r.results('two'))).toEqual(['db1'])
    expect(r.results('three').db1.status).toBe('failed')
    expect(r.recap.db2).toEqual({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 1, ignored: 0, rescued: 0 })
  })

  it('meta: reset_connection logs in again before the next command, on the hosts whose when holds', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - command: "true"
    - meta: reset_connection
      when: inventory_hostname == 'db1'
    - command: "true"
`,
    })
    const f = fakes()
    const r = await p.run({ openTransport: f.open })
    expect(r.exitCode).toBe(0)
    expect(f.connects.filter((h) => h === 'db1')).toHaveLength(2)
    expect(f.connects.filter((h) => h === 'db2')).toHaveLength(1)
  })

  it('--check plans from facts and writes nothing', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: /etc/app.conf, content: "x\\n" }
    - name: line
      lineinfile: { path: /etc/app.conf, line: "y", create: true }
`,
    })
    const f = fakes()
    const absent = (spec: ConnectionSpec): Transport => (f.open(spec) as FakeTransport).respond(/stat/, { stdout: 'f.stat=absent\n' })
    const check = await p.run({ openTransport: absent, check: true })
    expect(check.exitCode).toBe(0)
    expect(check.results('config').db1.status).toBe('changed')
    expect(check.results('line').db2.status).toBe('changed')
    expect(check.results('config').db1.changes).toEqual(['create /etc/app.conf'])
    expect([...f.byHost.values()].flatMap((t) => t.calls).filter((c) => c.kind === 'write' || c.kind === 'put')).toEqual([])
  })

  it('--check on a fresh host previews what needs an account or a unit file an earlier task creates, instead of failing', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db1
  gather_facts: false
  become: true
  tasks:
    - name: account
      user: { name: app }
    - name: key pair as app
      command: ssh-keygen -q -N '' -f /home/app/.ssh/id_ed25519
      args: { creates: /home/app/.ssh/id_ed25519 }
      become_user: app
    - name: read as app, even in check mode
      command: cat /home/app/.ssh/id_ed25519.pub
      become_user: app
      check_mode: false
      register: pub
      until: pub.rc == 0
      retries: 3
    - name: keys of app
      authorized_key: { user: app, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample peer" }
    - name: unit
      copy: { dest: /etc/systemd/system/app.service, content: "[Service]\\nExecStart=/bin/true\\n" }
    - name: app running
      systemd: { name: app.service, state: started }
`,
    })
    const f = fakes()
    // A fresh host: no account app, no file, no unit loaded.
    const fresh = (spec: ConnectionSpec): Transport => (f.open(spec) as FakeTransport)
      .respond(/echo nouser/, { stdout: 'nouser\n' })
      .respond(/getent passwd/, { stdout: '' })
      .respond(/stat/, { stdout: 'f.stat=absent\n' })
      .respond(/systemctl show/, { stdout: 'Id=app.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\nNeedDaemonReload=no\n' })
    const check = await p.run({ openTransport: fresh, check: true })
    expect(check.exitCode).toBe(0)
    expect(check.results('account').db1.status).toBe('changed')
    for (const t of ['key pair as app', 'read as app, even in check mode']) {
      expect(check.results(t).db1.status, t).toBe('skipped')
      expect(check.results(t).db1.result.msg, t).toBe('runs as app, which an earlier task creates: it would run')
    }
    expect(check.results('keys of app').db1.status).toBe('changed')
    expect(check.results('app running').db1).toMatchObject({ status: 'changed', changes: ['start app.service'] })
    // Nothing ran as app (sudo to a missing user fails), nothing was written.
    const calls = [...f.byHost.values()].flatMap((t) => t.calls)
    expect(calls.filter((c) => c.kind === 'exec' && c.options?.user === 'app')).toEqual([])
    expect(calls.filter((c) => c.kind === 'write' || c.kind === 'put')).toEqual([])
  })
})
