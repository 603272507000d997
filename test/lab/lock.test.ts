import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withLabLock } from '../../src/lab/lock.js'

describe('withLabLock', () => {
  let saved: string | undefined
  beforeEach(() => {
    saved = process.env.PGHA_LAB_DIR
    process.env.PGHA_LAB_DIR = mkdtempSync(join(tmpdir(), 'pgha-lab-'))
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.PGHA_LAB_DIR
    else process.env.PGHA_LAB_DIR = saved
  })

  it('runs one operation at a time and releases the lock after', async () => {
    const order: string[] = []
    const op = (name: string) => withLabLock(async () => {
      order.push(`${name} start`)
      await new Promise((r) => setTimeout(r, 50))
      order.push(`${name} end`)
    })
    await Promise.all([op('a'), op('b')])
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end'])
    expect(existsSync(join(process.env.PGHA_LAB_DIR!, 'lock'))).toBe(false)
  })

  it('takes over a lock left by a process that is gone', async () => {
    writeFileSync(join(process.env.PGHA_LAB_DIR!, 'lock'), '999999999')
    expect(await withLabLock(async () => 'ran', 1_000)).toBe('ran')
  })

  it('gives up with the holder named when a live process keeps the lock', async () => {
    writeFileSync(join(process.env.PGHA_LAB_DIR!, 'lock'), String(process.ppid))
    await expect(withLabLock(async () => 'ran', 600)).rejects.toThrow(`another lab operation (pid ${process.ppid})`)
  })
})
