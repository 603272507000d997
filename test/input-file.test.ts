// Input files are read whole and exactly, whatever size they report: a small file, one larger than a read,
// one the kernel reports as empty (procfs), and one over the bound is refused.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRegularFile } from '../src/input-file.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-input-'))

describe('readRegularFile', () => {
  it('reads small and large files byte for byte, again and again', () => {
    for (const bytes of [0, 1, 500, 64 * 1024, 64 * 1024 + 1, 300_000]) {
      const data = randomBytes(bytes)
      const file = join(dir, `f${bytes}`)
      writeFileSync(file, data)
      for (let i = 0; i < 3; i++) expect(readRegularFile(file).equals(data)).toBe(true)
    }
  })

  it('reads a file that reports no size to its end (procfs)', () => {
    const text = readRegularFile('/proc/self/status').toString('utf8')
    expect(text).toMatch(/^Name:/)
    expect(text).toContain('\nPid:')
    expect(readFileSync('/proc/self/mountinfo').length).toBeGreaterThan(0)
    expect(readRegularFile('/proc/self/mountinfo').length).toBeGreaterThan(0)
  })

  it('refuses a file over the bound, by its size and by what it holds', () => {
    const file = join(dir, 'big')
    writeFileSync(file, randomBytes(2000))
    expect(() => readRegularFile(file, 1000)).toThrow(/over the 1000 B|over the/)
    expect(() => readRegularFile('/proc/self/mountinfo', 10)).toThrow(/holds more than/)
  })
})
