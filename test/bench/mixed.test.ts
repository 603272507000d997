// The bench's mixed workload, run by pgha on this machine with stand-ins for its account and unit
// databases (fake-accounts.ts) and real owners for its files: it converges, and the converged re-run the
// bench measures reads every fact of its 59 tasks in at most three round trips, fact gathering included,
// which is what makes it cheap on a real host.
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { mixedTasks, writeMixed } from '../../bench/lib/mixed.js'
import { fakeAccounts, unit } from '../engine/fake-accounts.js'
import { localHosts, project } from '../engine/harness.js'

const me = userInfo().username
const myGroup = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()
/** The play's accounts live in the stand-ins; its files are owned by whoever runs the test. */
const accounts = { group: 'benchapp', users: ['benchapp1', 'benchapp2', 'benchapp3', 'benchapp4'], owners: [me, me, me, me], ownerGroup: myGroup }

describe('the mixed workload of scenario (m)', () => {
  it('has the kinds of task a common role has', () => {
    const tasks = mixedTasks() as Record<string, unknown>[]
    expect(tasks.length).toBeGreaterThanOrEqual(55)
    const modules = new Set(tasks.map((t) => Object.keys(t).find((k) => k !== 'name' && k !== 'loop' && k !== 'register' && k !== 'when')))
    expect(modules).toEqual(new Set(['group', 'user', 'file', 'copy', 'systemd', 'template', 'lineinfile', 'blockinfile', 'command', 'stat']))
  })

  it('converges, and its re-run reads every fact in at most three round trips, fact gathering included', async () => {
    const p = project(localHosts(['hostA']))
    const playbook = writeMixed(p.dir, accounts)
    // The stand-ins come first on the PATH of every task.
    const [play] = parse(readFileSync(playbook, 'utf8'))
    p.write('playbook.yml', stringify([{ ...play, environment: { PATH: '{{ fake_path }}' } }]))
    const fake = fakeAccounts(join(p.dir, 'fake'), {
      passwd: accounts.users.map((u, i) => `${u}:x:${2001 + i}:2000::/home/${u}:/bin/sh`),
      group: ['benchapp:x:2000:'],
      units: { 'pgha-bench-app.service': unit(false, false), 'ssh.service': unit(true, true) },
    })
    const out = join(p.dir, 'out')
    const runIt = () => p.run({ playbook: 'playbook.yml', extraVars: [`bench_dir=${out}`, `unit_dir=${p.dir}`, `fake_path=${fake.path}`] })

    const first = await runIt()
    expect(first.recap.hostA).toMatchObject({ failed: 0 })
    expect(first.recap.hostA.changed).toBeGreaterThan(40)
    expect(readFileSync(join(fake.state, 'units/pgha-bench-app.service'), 'utf8')).toBe(unit(true, true))
    expect(readFileSync(join(out, 'settings.conf'), 'utf8')).toContain('setting08 = 24 on hostA\n# BEGIN bench block\n')
    expect(statSync(join(out, 'current-1.conf')).isFile()).toBe(true)

    const again = await runIt()
    const tasks = (mixedTasks(accounts) as unknown[]).length
    expect(again.recap.hostA).toMatchObject({ ok: tasks + 1, changed: 0, failed: 0 })
    expect(again.results('file link 2').hostA.status).toBe('ok')
    // Gathering facts shares its round trip with the batch of every task's facts, the files' contents
    // included.
    expect(again.roundTrips).toBe(1)
  }, 120_000)
})
