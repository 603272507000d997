// Controller-side modules through the module registry: what a user sees in their results.
import { describe, expect, it } from 'vitest'
import { getModule } from '../../src/modules/index.js'
import { fakeClock, interruptWhileWaiting } from './harness.js'
import { runLocal } from './local-host.js'

describe('control modules', () => {
  it('assert with quiet leaves the success message out', async () => {
    const { result } = await runLocal('assert', { that: 'x == 1', quiet: 'yes' }, { vars: { x: 1 } })
    expect(result).toEqual({})
  })

  it('pause asks the run for the given seconds or minutes and reports the pause', async () => {
    const clock = fakeClock()
    const { result } = await runLocal('pause', { seconds: 0.3 }, { sleep: clock.sleep })
    expect(result).toMatchObject({ stdout: 'Paused for 0.3 seconds', delta: 0 })
    const long = await runLocal('pause', { minutes: 2 }, { sleep: clock.sleep })
    expect(long.result).toMatchObject({ stdout: 'Paused for 2 minutes', delta: 120 })
    expect(clock.sleeps).toEqual([300, 120_000])
  })

  it('pause ends with "interrupted" when the run is interrupted while it waits', async () => {
    const ac = new AbortController()
    // A five-minute pause: only the interrupt can end it within the test's time.
    await expect(runLocal('pause', { minutes: 5 }, { signal: ac.signal, sleep: interruptWhileWaiting(ac) })).rejects.toThrow('interrupted while pausing')
  })

  it('controller-side modules never reach the host', async () => {
    for (const [name, args] of [['debug', { msg: 'x' }], ['set_fact', { a: 1 }], ['fail', {}], ['meta', { cmd: 'noop' }], ['assert', { that: true }]] as const) {
      const { host } = await runLocal(name, args)
      expect(host.commands, name).toEqual([])
      expect(getModule(name)?.local, name).toBe(true)
    }
  })
})
