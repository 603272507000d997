import { describe, expect, it } from 'vitest'
import { RecapCounter, formatRecap, type Recap } from '../../src/output/recap.js'
import { createStyle } from '../../src/output/style.js'
import { events, recap } from './fixture.js'

const style = createStyle(false)

function count(list = events({ end: false })): Recap {
  const c = new RecapCounter()
  for (const e of list) c.onEvent(e)
  return c.result()
}

describe('recap', () => {
  it('counts like Ansible: a loop once, changed and ignored also as ok, each host seen at run start', () => {
    expect(count()).toEqual({
      node1: { ok: 5, changed: 3, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 1 },
      node2: { ok: 2, changed: 0, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 },
      witness1: { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    })
  })

  it("prints the engine's counts from run:end, which the exit code comes from", () => {
    const engine = { ...recap, node2: { ...recap.node2, failed: 7 }, late: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, ignored: 0 } }
    const list = [...events({ end: false }), { type: 'run:end' as const, recap: engine, elapsedMs: 1, interrupted: false }]
    const r = count(list)
    expect(r.node2.failed).toBe(7)
    expect(r.late).toEqual({ ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 })
    expect(Object.keys(r)).toEqual(['node1', 'node2', 'witness1', 'late'])
  })

  it('aligns host names and every column whatever the widths', () => {
    const rows: Recap = {
      'pg-primary.example': { ok: 12, changed: 0, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 },
      n2: { ok: 3, changed: 10, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    }
    expect(formatRecap(rows, 1234, style)).toEqual([
      '',
      `PLAY RECAP ${'*'.repeat(69)}`,
      'pg-primary.example : ok=12 changed=0  unreachable=0 failed=0 skipped=1 rescued=0 ignored=0',
      'n2                 : ok=3  changed=10 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0',
      '',
      'elapsed 1.23s',
    ])
  })

  it('keeps the alignment when the numbers are colored', () => {
    const rows: Recap = {
      a: { ok: 12, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      bb: { ok: 3, changed: 1, unreachable: 0, failed: 2, skipped: 0, rescued: 0, ignored: 0 },
    }
    const strip = (s: string): string => s.replace(/\u001b\[\d+m/g, '')
    const lines = formatRecap(rows, 61_500, createStyle(true)).map(strip)
    expect(lines[2]).toBe('a  : ok=12 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0')
    expect(lines[3]).toBe('bb : ok=3  changed=1 unreachable=0 failed=2 skipped=0 rescued=0 ignored=0')
    expect(lines[5]).toBe('elapsed 1m01.50s')
  })
})
