// wait_for_connection on a fake host: a fresh login per try bounded by connect_timeout, `sleep` between
// tries, the timeout's message as Ansible words it, check mode skipped, and no wait that can outlast the
// timeout even when a login neither succeeds nor fails.
import { describe, expect, it, vi } from 'vitest'
import { fakeClock, runModule } from './harness.js'
import { RebootingHost } from './rebooting-host.js'
import { track, useFakeClock } from '../fake-time.js'

describe('wait_for_connection', () => {
  it('logs in afresh and runs a command: done at the first try', async () => {
    const host = new RebootingHost()
    const { result } = await runModule('wait_for_connection', {}, host, { link: host.link() })
    expect(result).toEqual({ elapsed: 0 })
    expect(host.logins).toEqual([5000]) // connect_timeout's default, 5 s
    expect(host.commands).toEqual(['true'])
  })

  it('tries again every `sleep` seconds until a login works, after `delay`', async () => {
    const host = new RebootingHost()
    host.refuseLogins = 3
    const clock = fakeClock()
    const { result } = await runModule('wait_for_connection', { delay: 2, sleep: 3, connect_timeout: 7 }, host, { link: host.link(), sleep: clock.sleep })
    expect(clock.sleeps).toEqual([2000, 3000, 3000, 3000])
    expect(host.logins).toEqual([7000, 7000, 7000, 7000])
    expect(result).toEqual({ elapsed: 11 })
  })

  it('fails after `timeout` with the last failure, as Ansible says it', async () => {
    const host = new RebootingHost()
    host.refuseLogins = 1000
    const clock = fakeClock()
    const { result } = await runModule('wait_for_connection', { timeout: 4, sleep: 1 }, host, { link: host.link(), sleep: clock.sleep })
    expect(result).toEqual({
      failed: true,
      elapsed: 4,
      msg: 'timed out waiting for ping module test: cannot connect to node1 (10.0.0.1:22): connect ECONNREFUSED 10.0.0.1:22',
    })
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000])
    expect(host.logins).toHaveLength(4)
    expect(host.commands).toEqual([])
  })

  it('never waits past the timeout, even for a login that never answers', async () => {
    useFakeClock()
    const host = new RebootingHost()
    host.loginsHang = true
    const waiting = runModule('wait_for_connection', { timeout: 12, connect_timeout: 5 }, host, { link: host.link() })
    const t = track(waiting)
    await vi.advanceTimersByTimeAsync(11_999)
    expect(t.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(t.settled).toBe(true)
    // Logins at 0 s and 6 s, each given up after connect_timeout's 5 s, a 1 s sleep after each: 12 s.
    expect(host.logins).toEqual([5000, 5000])
    expect((await waiting).result).toEqual({ failed: true, elapsed: 12, msg: 'timed out waiting for ping module test: the login to node1 did not answer within 5 s' })
  })

  it('bounds the command after the login too', async () => {
    useFakeClock()
    const host = new RebootingHost()
    host.exec = () => new Promise(() => undefined)
    const t = track(runModule('wait_for_connection', { timeout: 3 }, host, { link: host.link() }))
    await vi.advanceTimersByTimeAsync(3000)
    expect(t.settled).toBe(true)
  })

  it('is skipped in check mode, with nothing tried', async () => {
    const host = new RebootingHost()
    const { result } = await runModule('wait_for_connection', {}, host, { link: host.link(), check: true })
    expect(result).toEqual({ skipped: true })
    expect(host.logins).toEqual([])
  })
})
