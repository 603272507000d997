import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withLabLock } from '../../src/lab/lock.js'
import { useTempLabDir } from './temp-lab-dir.js'

describe('withLabLock', () => {
  const dir = useTempLabDir()

  it('runs one operation at a time and releases the lock after', async () => {
    const order: string[] = []
    const op = (name: string) => withLabLock(async () => {
      order.push(`${name} start`)
      await new Promise((r) => setTimeout(r, 50))
      order.push(`${name} end`)
    })
    await Promise.all([op('a'), op('b')])
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end'])
    expect(existsSync(join(dir(), 'lock'))).toBe(false)
  })

  it('takes over a lock left by a process that is gone', async () => {
    writeFileSync(join(dir(), 'lock'), '999999999')
    expect(await withLabLock(async () => 'ran', 1_000)).toBe('ran')
  })

  it('gives up with the holder named when a live process keeps the lock', async () => {
    writeFileSync(join(dir(), 'lock'), String(process.ppid))
    await expect(withLabLock(async () => 'ran', 600)).rejects.toThrow(`another lab operation (pid ${process.ppid})`)
  })
})
