import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { fmtKb, fmtMs, fmtPct, median, paired, signTest, speedup } from '../../bench/lib/stats.js'

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

  it('compares two builds round by round: the median difference, the rounds each way, the sign test', () => {
    const before = [300, 310, 290, 305, 295]
    const after = [320, 300, 310, 330, 295]
    expect(paired(before, after)).toEqual({ medianDelta: 20, relative: 20 / 300, slower: 3, faster: 1, p: 0.625 })
    expect(fmtPct(20 / 300)).toBe('+6.7%')
    expect(fmtPct(-0.05)).toBe('-5.0%')
  })

  it('gives the two-sided sign test exactly: 10 of 10 rounds one way is 2/1024, 5 of 10 is no evidence', () => {
    expect(signTest(10, 10)).toBeCloseTo(2 / 1024, 12)
    expect(signTest(0, 10)).toBeCloseTo(2 / 1024, 12)
    expect(signTest(8, 10)).toBeCloseTo(112 / 1024, 12)
    expect(signTest(5, 10)).toBe(1)
    expect(signTest(0, 0)).toBe(1)
  })
})
