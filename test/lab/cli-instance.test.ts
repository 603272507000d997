// `pgha lab ... --instance N` as a user types it: every subcommand takes the flag, a bad instance is an
// input error (exit 1) before anything is touched, and the flag picks the instance's own state.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/index.js'
import { useTempLabDir } from './temp-lab-dir.js'

const saved = process.env.PGHA_LAB_INSTANCE
afterEach(() => {
  if (saved === undefined) delete process.env.PGHA_LAB_INSTANCE
  else process.env.PGHA_LAB_INSTANCE = saved
  process.exitCode = undefined
  vi.restoreAllMocks()
})

async function pgha(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true })
  const code = await main(['node', 'pgha', ...args])
  vi.restoreAllMocks()
  return { code, stdout, stderr }
}

describe('pgha lab --instance', () => {
  useTempLabDir()

  it('is offered by every lab subcommand', async () => {
    for (const sub of ['up', 'down', 'status', 'exec', 'cut', 'heal', 'reset']) {
      const r = await pgha('lab', sub, '--help')
      expect(r.stdout, sub).toMatch(/--instance <n>\s+lab instance 0\.\.9/)
    }
  })

  it('is offered by demo (npm start), which like lab up replaces a running lab only with --force', async () => {
    const demo = await pgha('demo', '--help')
    expect(demo.stdout).toMatch(/--instance <n>\s+lab instance 0\.\.9/)
    expect(demo.stdout).toMatch(/--force\s+replace a running lab of this instance/)
    expect((await pgha('lab', 'up', '--help')).stdout).toMatch(/--force\s+replace a running lab of this instance/)
    const bad = await pgha('demo', '--instance', '12')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('lab: --instance must be a number 0..9, not "12"')
  })

  it('refuses an instance outside 0..9 with exit 1, from the flag or from PGHA_LAB_INSTANCE', async () => {
    const flag = await pgha('lab', 'status', '--instance', '12')
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain('lab: --instance must be a number 0..9, not "12"')
    process.env.PGHA_LAB_INSTANCE = 'x'
    const env = await pgha('lab', 'status')
    expect(env.code).toBe(1)
    expect(env.stderr).toContain('lab: PGHA_LAB_INSTANCE must be a number 0..9, not "x"')
  })

  it('reads the state of the instance the flag names, which wins over PGHA_LAB_INSTANCE', async () => {
    process.env.PGHA_LAB_INSTANCE = '5'
    const r = await pgha('lab', 'status', '--instance', '6')
    expect(r).toMatchObject({ code: 0, stdout: 'lab: no lab is up in instance 6\n' })
    delete process.env.PGHA_LAB_INSTANCE
    expect((await pgha('lab', 'status')).stdout).toBe('lab: no lab is up\n')
  })
})
