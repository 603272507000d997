// startNewRun runs every reset registered with onNewRun, each time it is called, even when one throws: a
// failing reset must not leave another's state (a vault password) behind.
import { expect, it } from 'vitest'
import { onNewRun, startNewRun } from '../src/run-state.js'

it('runs every reset at each call, and reports the first that failed after running the rest', () => {
  const calls: string[] = []
  onNewRun(() => {
    calls.push('first')
    throw new Error('first failed')
  })
  onNewRun(() => void calls.push('second'))
  expect(() => startNewRun()).toThrow('first failed')
  expect(() => startNewRun()).toThrow('first failed')
  expect(calls).toEqual(['first', 'second', 'first', 'second'])
})
