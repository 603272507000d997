import { describe, expect, it } from 'vitest'
import { mountsUnder } from '../../src/lab/mounts.js'

describe('mountsUnder', () => {
  it('finds a mount point and those below it, deepest first', () => {
    const found = mountsUnder('/proc')
    expect(found).toContain('/proc')
    expect(found.at(-1)).toBe('/proc')
  })

  it('does not take a sibling that merely shares the prefix', () => {
    expect(mountsUnder('/pro')).toEqual([])
    expect(mountsUnder('/proc/')).toContain('/proc')
  })
})
