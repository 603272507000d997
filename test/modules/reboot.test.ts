// reboot on a fake host that goes down and comes back: the commands Ansible's plugin runs on Linux
// (boot id, shutdown found in search_paths, the id again, test_command), its messages and result keys,
// check mode and the local connection (nothing run), facts forgotten, and every wait bounded.
import { describe, expect, it, vi } from 'vitest'
import { FactCache } from '../../src/facts/index.js'
import { crontabFact } from '../../src/facts/crontab.js'
import { fakeClock, runModule } from './harness.js'
import { BOOT_ID, RebootingHost } from './rebooting-host.js'
import { track, useFakeClock } from '../fake-time.js'

/** Ansible's retry pause without its jitter: 1, 2, 4, 8, 12, 12 ... s. */
function noJitter(): void {
  vi.spyOn(Math, 'random').mockReturnValue(0)
}

const SEARCH = `if [ -e /sbin/shutdown ]; then printf '%s\\n' /sbin/shutdown; exit 0; fi; if [ -e /bin/shutdown ]; then printf '%s\\n' /bin/shutdown; exit 0; fi; if [ -e /usr/sbin/shutdown ]; then printf '%s\\n' /usr/sbin/shutdown; exit 0; fi; if [ -e /usr/bin/shutdown ]; then printf '%s\\n' /usr/bin/shutdown; exit 0; fi; if [ -e /usr/local/sbin/shutdown ]; then printf '%s\\n' /usr/local/sbin/shutdown; exit 0; fi`

describe('reboot', () => {
  it('reboots with shutdown -r, waits for a new boot id, then runs test_command', async () => {
    noJitter()
    const host = new RebootingHost()
    host.refuseLogins = 2
    const clock = fakeClock()
    const { plan, result } = await runModule('reboot', {}, host, { link: host.link(), sleep: clock.sleep, become: { become: true } })
    expect(plan.changes.map((c) => c.description)).toEqual(['reboot node1'])
    expect(host.commands).toEqual([BOOT_ID, SEARCH, `/sbin/shutdown -r 0 'Reboot initiated by Ansible'`, BOOT_ID, 'whoami'])
    // Become applies to every command, as Ansible runs them sudoable.
    expect(host.calls.every((c) => c.options && 'become' in c.options && c.options.become)).toBe(true)
    expect(host.logins).toEqual([10_000, 10_000, 10_000]) // the connection's own connect timeout
    expect(clock.sleeps).toEqual([1000, 2000])
    expect(result).toEqual({ rebooted: true, elapsed: 3 })
  })

  it('gives shutdown the delay in whole minutes and the message; connect_timeout bounds each login', async () => {
    const host = new RebootingHost()
    await runModule('reboot', { pre_reboot_delay: 150, msg: "kernel's update", connect_timeout: 3, test_command: 'uptime' }, host, { link: host.link() })
    expect(host.commands).toEqual([BOOT_ID, SEARCH, `/sbin/shutdown -r 2 'kernel'\\''s update'`, BOOT_ID, 'uptime'])
    expect(host.logins).toEqual([3000])
  })

  it('runs reboot_command as given when its program is a path, else finds it in search_paths', async () => {
    const direct = new RebootingHost()
    await runModule('reboot', { reboot_command: '/usr/bin/systemctl reboot', boot_time_command: BOOT_ID }, direct, { link: direct.link() })
    expect(direct.commands).toEqual([BOOT_ID, '/usr/bin/systemctl reboot', BOOT_ID, 'whoami'])
    const missing = new RebootingHost()
    missing.shutdownAt = undefined
    const { result } = await runModule('reboot', { reboot_command: 'systemctl reboot', search_paths: '/opt/a,/opt/b' }, missing, { link: missing.link() })
    expect(missing.commands.at(-1)).toBe(`if [ -e /opt/a/systemctl ]; then printf '%s\\n' /opt/a/systemctl; exit 0; fi; if [ -e /opt/b/systemctl ]; then printf '%s\\n' /opt/b/systemctl; exit 0; fi`)
    expect(result).toEqual({ changed: false, failed: true, rebooted: false, elapsed: 0, msg: `Unable to find command "systemctl" in search paths: ['/opt/a', '/opt/b']` })
  })

  it('fails with the reboot command\'s output when it fails, and waits for nothing', async () => {
    const host = new RebootingHost()
    host.rebootAnswer = { rc: 1, stdout: 'out\n', stderr: 'Failed to talk to init daemon.\n' }
    const { result } = await runModule('reboot', {}, host, { link: host.link() })
    expect(result).toEqual({ changed: false, failed: true, rebooted: false, elapsed: 0, msg: "Reboot command failed. Error was: 'out, Failed to talk to init daemon.'" })
    expect(host.logins).toEqual([])
  })

  it('takes a connection dropped by the reboot command for the reboot under way', async () => {
    const host = new RebootingHost()
    host.rebootAnswer = 'drop'
    const { result } = await runModule('reboot', {}, host, { link: host.link() })
    expect(result).toEqual({ rebooted: true, elapsed: 0 })
  })

  it('fails when the boot id never changes within reboot_timeout, backing off as Ansible does', async () => {
    noJitter()
    const host = new RebootingHost()
    host.comesBack = false
    const clock = fakeClock()
    const { result } = await runModule('reboot', { reboot_timeout: 30 }, host, { link: host.link(), sleep: clock.sleep })
    expect(result).toEqual({ changed: false, failed: true, rebooted: true, elapsed: 30, msg: 'Timed out waiting for last boot time check (timeout=30)' })
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 12_000, 3000])
    expect(host.commands.filter((c) => c === 'whoami')).toEqual([])
  })

  it('fails when test_command never succeeds after the reboot', async () => {
    noJitter()
    const host = new RebootingHost()
    host.respond('whoami', { rc: 1, stderr: 'whoami: cannot find name for user ID 0' })
    const clock = fakeClock()
    const { result } = await runModule('reboot', { reboot_timeout: 10 }, host, { link: host.link(), sleep: clock.sleep })
    expect(result).toEqual({ changed: false, failed: true, rebooted: true, elapsed: 10, msg: 'Timed out waiting for post-reboot test command (timeout=10)' })
    // After each failed test the module logs in again: the host may have rebooted once more.
    expect(host.logins.length).toBe(host.commands.filter((c) => c === 'whoami').length)
  })

  it('never waits past reboot_timeout, even for logins that never answer', async () => {
    noJitter()
    useFakeClock()
    const host = new RebootingHost()
    host.loginsHang = true
    const t = track(runModule('reboot', { reboot_timeout: 20, connect_timeout: 5 }, host, { link: host.link() }))
    await vi.advanceTimersByTimeAsync(19_999)
    expect(t.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.settled).toBe(true)
    expect(host.logins).toEqual([5000, 5000, 5000]) // at 0, 6 and 13 s; the 4 s pause then cut to 2 s
  })

  it('forgets what it knew of the host: it is a new boot', async () => {
    const facts = new FactCache()
    facts.seed(crontabFact, { user: 'root' }, 'old', '')
    const host = new RebootingHost()
    await runModule('reboot', {}, host, { link: host.link(), facts })
    expect(facts.has(crontabFact, { user: 'root' }, '')).toBe(false)
  })

  it('in check mode: changed and rebooted, as Ansible reports it, with nothing run', async () => {
    const host = new RebootingHost()
    const { plan, result, applied } = await runModule('reboot', {}, host, { link: host.link(), check: true })
    expect(plan.changes).toHaveLength(1)
    expect(result).toEqual({ rebooted: true, elapsed: 0 })
    expect(applied).toBeUndefined()
    expect(host.commands).toEqual([])
  })

  it('refuses to reboot the controller: nothing runs over a local connection', async () => {
    const host = new RebootingHost()
    for (const check of [false, true]) {
      const { plan, result } = await runModule('reboot', {}, host, { link: host.link('local'), check })
      expect(plan.changes).toEqual([])
      expect(result).toEqual({ failed: true, rebooted: false, elapsed: 0, msg: 'Running reboot with local connection would reboot the control node.' })
    }
    expect(host.commands).toEqual([])
  })
})
