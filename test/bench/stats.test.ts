import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { fmtKb, fmtMs, median, speedup } from '../../bench/lib/stats.js'

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 100])).toBe(3.5)
    expect(median([])).toBeNaN()
  })

  it('reports how many times faster pgha is (ansible / pgha)', () => {
    expect(speedup(500, 16_000)).toBe(32)
    expect(speedup(0, 100)).toBeNaN()
  })

  it('formats milliseconds and kilobytes for the results table', () => {
    expect(fmtMs(1234)).toBe('1.23 s')
    expect(fmtMs(4.25)).toBe('4.3 ms')
    expect(fmtKb(150 * 1024)).toBe('150 MB')
  })
})
