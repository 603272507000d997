// wait_for_connection through the engine, counting logins: each wait logs in afresh once, on a host that
// answers as after a connection that died (a wait is there to prove a new login works: sshd may refuse
// new logins while an open session still runs commands), and the tasks after it share that login.
import { describe, expect, it } from 'vitest'
import { UnreachableError } from '../../src/errors.js'
import { FakeTransport, type ConnectionSpec, type ExecOptions, type ExecResult, type Transport } from '../../src/transport/index.js'
import { project } from './harness.js'

/** A fake host whose connection dies after the command `drop` (as a reboot or a moved address does it). */
class DroppingHost extends FakeTransport {
  private dead = false

  override async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    if (this.dead) throw new UnreachableError(this.host, `connection to ${this.host} lost: connection closed by the host`)
    if (command === 'drop') this.dead = true
    return super.exec(command, options)
  }
}

function hosts() {
  const logins: string[] = []
  const open = (spec: ConnectionSpec): Transport => {
    const t = new DroppingHost(spec.host)
    const connect = t.connect.bind(t)
    t.connect = async () => {
      logins.push(spec.host)
      await connect()
    }
    return t
  }
  return { open, logins: (host: string) => logins.filter((h) => h === host).length }
}

const inventory = '[db]\ndb1\ndb2\n'

describe('wait_for_connection in a run', () => {
  it('logs in once per wait, on a host that answers and after its connection died, and the next task uses that login', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - name: first
      command: "true"
    - name: wait while up
      wait_for_connection:
    - name: drop
      command: drop
      when: inventory_hostname == 'db2'
    - name: wait after the drop
      wait_for_connection: { sleep: 5 }
    - name: after
      command: "true"
`,
    })
    const f = hosts()
    const started = Date.now()
    const r = await p.run({ openTransport: f.open })
    expect(r.exitCode).toBe(0)
    expect(r.recap.db1).toMatchObject({ ok: 4, changed: 2, failed: 0, unreachable: 0 })
    expect(r.recap.db2).toMatchObject({ ok: 5, changed: 3, failed: 0, unreachable: 0 })
    // The first task's login, then one per wait.
    expect(f.logins('db1')).toBe(3)
    expect(f.logins('db2')).toBe(3)
    // The dead connection was replaced at the first try, not after a `sleep` of 5 s.
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('logs in when the host has no connection yet (the wait opens the play)', async () => {
    const p = project(inventory, {
      'site.yml': `
- hosts: db
  gather_facts: false
  tasks:
    - wait_for_connection:
    - command: "true"
`,
    })
    const f = hosts()
    const r = await p.run({ openTransport: f.open })
    expect(r.exitCode).toBe(0)
    expect(f.logins('db1')).toBe(1)
    expect(f.logins('db2')).toBe(1)
  })
})
