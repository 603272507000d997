// Controller-side modules through the module registry: what a user sees in their results.
import { describe, expect, it } from 'vitest'
import { getModule } from '../../src/modules/index.js'
import { runLocal } from './local-host.js'

describe('control modules', () => {
  it('assert with quiet leaves the success message out', async () => {
    const { result } = await runLocal('assert', { that: 'x == 1', quiet: 'yes' }, { vars: { x: 1 } })
    expect(result).toEqual({})
  })

  it('pause sleeps the asked time and stops at once on interrupt', async () => {
    const t0 = Date.now()
    const { result } = await runLocal('pause', { seconds: 0.3 })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
    expect(result.stdout).toBe('Paused for 0.3 seconds')
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const t1 = Date.now()
    await expect(runLocal('pause', { minutes: 5 }, { signal: ac.signal })).rejects.toThrow('interrupted while pausing')
    expect(Date.now() - t1).toBeLessThan(1000)
  })

  it('controller-side modules never reach the host', async () => {
    for (const [name, args] of [['debug', { msg: 'x' }], ['set_fact', { a: 1 }], ['fail', {}], ['meta', { cmd: 'noop' }], ['assert', { that: true }]] as const) {
      const { host } = await runLocal(name, args)
      expect(host.commands, name).toEqual([])
      expect(getModule(name)?.local, name).toBe(true)
    }
  })
})
