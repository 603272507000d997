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
})
