// Read-ahead as a become user no plan has run as yet on the host, through the engine on this machine (run
// as root, so a local connection logs in as root and sudo never prompts): its shell is opened for the
// batch only when the login user is root and the account is known to exist (a user task read it); never
// for an account that is missing, nor for one whose existence is not known, nor with a login user sudo
// could ask a password of.
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { LocalTransport, openTransport, type ConnectionSpec, type Transport } from '../../src/transport/index.js'
import { localHosts, project } from './harness.js'
import { crossingPlay, recorded } from './become-crossing.js'

const MISSING = 'pgha-no-such-user'

/** `account` (a user task that reads the account, or nothing), then a batch as root, then a stat as `who`. */
const playbook = (who: string, account: string) => crossingPlay(account, `
    - name: as ${who}
      stat: { path: /tmp }
      become_user: ${who}
      register: seen
      ignore_errors: true`)
const present = (who: string) => `
    - name: account
      user: { name: ${who}, state: present }`

describe.runIf(userInfo().username === 'root')('read-ahead as a become user no plan has run as', () => {
  it('opens the shell of an existing account with a root login: its stat joins the batch', async () => {
    const rec = recorded()
    const p = project(localHosts(['hostA']), { 'site.yml': playbook('nobody', present('nobody')) })
    const r = await p.run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(r.results('as nobody').hostA.result).toMatchObject({ stat: { exists: true, isdir: true } })
    expect(rec.users('stat a')).toEqual(['nobody', 'root'])
    expect(rec.users('as nobody')).toEqual([])
    // The account's read, one batch as root with one as nobody beside it.
    expect(r.roundTrips).toBe(3)
  })

  it('reads ahead as the account while waiting on a task as it that only another host runs', async () => {
    const rec = recorded()
    const play = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: account
      user: { name: nobody, state: present }
    - meta: noop
    - name: as nobody on hostA
      command: sleep 0.3
      args: { creates: /tmp }
      become_user: nobody
      when: inventory_hostname == 'hostA'
    - name: as nobody
      stat: { path: /tmp }
      become_user: nobody
`
    const r = await project(localHosts(['hostA', 'hostB']), { 'site.yml': play }).run(rec)
    expect(r.recap).toMatchObject({ hostA: { failed: 0, changed: 0 }, hostB: { failed: 0, changed: 0 } })
    // hostB read its stat as nobody while hostA's task (converged: the command does not run) was under way.
    expect(rec.users('as nobody on hostA')).toEqual(['nobody', 'nobody'])
    expect(rec.users('as nobody').filter((u) => u === 'nobody').length).toBeLessThanOrEqual(1)
    expect(r.results('as nobody').hostB.result).toMatchObject({ stat: { exists: true, isdir: true } })
  })

  it('does not read ahead while waiting as an account not known to exist on the waiting host', async () => {
    // hostB skips a task as nobody that hostA runs, then runs one as nobody itself. No task read nobody's
    // account: hostB must not try its sudo while it waits, only at its own task.
    let task = ''
    const sent: { task: string; host: string; user: string }[] = []
    const open = (spec: ConnectionSpec): Transport => {
      const t = openTransport(spec)
      const exec = t.exec.bind(t)
      t.exec = (command, o) => (sent.push({ task, host: spec.host, user: o?.become ? (o.user ?? 'root') : '' }), exec(command, o))
      return t
    }
    const play = `
- hosts: all
  gather_facts: false
  become: true
  tasks:
    - name: as nobody on hostA
      stat: { path: /tmp }
      become_user: nobody
      when: inventory_hostname == 'hostA'
    - name: later as nobody
      stat: { path: /etc }
      become_user: nobody
`
    const onEvent = (e: { type: string; name?: string }): void => {
      if (e.type === 'task:start') task = e.name ?? ''
    }
    const r = await project(localHosts(['hostA', 'hostB']), { 'site.yml': play }).run({ openTransport: open, onEvent })
    expect(r.recap).toMatchObject({ hostA: { ok: 2, failed: 0 }, hostB: { ok: 1, skipped: 1, failed: 0 } })
    expect(sent.filter((s) => s.host === 'hostB')).toEqual([{ task: 'later as nobody', host: 'hostB', user: 'nobody' }])
  })

  it('does not when the account is not known to exist', async () => {
    const rec = recorded()
    const r = await project(localHosts(['hostA']), { 'site.yml': playbook('nobody', '') }).run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(rec.users('stat a')).toEqual(['root'])
    expect(rec.users('as nobody')).toEqual(['nobody'])
  })

  it('does not as an account that is missing', async () => {
    const rec = recorded()
    const absent = `
    - name: account
      user: { name: ${MISSING}, state: absent }`
    const r = await project(localHosts(['hostA']), { 'site.yml': playbook(MISSING, absent) }).run(rec)
    expect(r.recap.hostA).toMatchObject({ changed: 0, ignored: 1 })
    expect(rec.users('stat a')).toEqual(['root'])
    expect(r.results(`as ${MISSING}`).hostA.status).toBe('ignored')
  })

  it('does not when the login user is not root (sudo could ask it a password)', async () => {
    // An SSH host logging in as `admin`, its commands run here: only the login user differs.
    const rec = recorded((spec) => new LocalTransport(spec))
    const r = await project('hostA ansible_host=127.0.0.1 ansible_user=admin\n', { 'site.yml': playbook('nobody', present('nobody')) }).run(rec)
    expect(r.recap.hostA).toMatchObject({ failed: 0, changed: 0 })
    expect(rec.users('stat a')).toEqual(['root'])
    expect(rec.users('as nobody')).toEqual(['nobody'])
  })
})
