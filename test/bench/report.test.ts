import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { reportMarkdown, targets } from '../../bench/lib/report.js'

const run = (wallMs: number, cpuMs: number, load: number) => ({ wallMs, cpuMs, peakRssKb: 100 * 1024, changed: 0, failed: 0, taskMs: [], load })

/** A scenario measured over three rounds, with Mitogen or without. */
function scenario(key: string, pgha: number[], ansible: number[], mitogen?: number[]) {
  const runs = {
    pgha: pgha.map((ms, i) => run(ms, 400, 2 + i)),
    ansible: ansible.map((ms) => run(ms, 9000, 3)),
    ...(mitogen ? { mitogen: mitogen.map((ms) => run(ms, 8000, 4)) } : {}),
    taskMs: [],
  }
  return { key, title: `scenario ${key}`, hosts: 2, forks: 10, tasks: '59 mixed', runs }
}

describe('the bench report with Mitogen as the third tool', () => {
  it('gives each tool its median wall and CPU time and pgha\'s ratio to each, with the load range', () => {
    const md = reportMarkdown({ date: '2026-12-06', environment: {}, notes: [], results: [scenario('m', [600, 500, 700], [40_000, 45_000, 41_000], [19_000, 21_000, 20_000])] })
    expect(md).toContain('| (m) scenario m | 2 | 10 | 59 mixed | 3 | 2.0-4.0 | 600.0 ms (400.0 ms) | 41.00 s (9.00 s) | 68.3x | 20.00 s (8.00 s) | 33.3x |')
    expect(md).toContain('(m) Mitogen: 19.00 s, 21.00 s, 20.00 s')
  })

  it('checks the mixed and file workloads against 80x Ansible and 40x Mitogen, and site.yml against 0.6 s', () => {
    const rows = targets([
      scenario('a', [500, 500, 500], [41_000, 41_000, 41_000], [20_000, 20_000, 20_000]),
      scenario('c', [650, 650, 650], [20_000, 20_000, 20_000]),
    ]) as { label: string; met: boolean }[]
    const met = Object.fromEntries(rows.map((r) => [r.label, r.met]))
    expect(met['(a) pgha faster than ansible-playbook']).toBe(true)
    expect(met['(a) pgha faster than ansible-playbook with Mitogen']).toBe(true)
    expect(met['(c) converged site.yml re-run on 2 nodes, process start included']).toBe(false)
  })

  it('says so when a scenario ran without Mitogen', () => {
    const md = reportMarkdown({ date: '2026-12-06', environment: {}, notes: [], results: [scenario('b', [900, 900, 900], [90_000, 90_000, 90_000])] })
    expect(md).toContain('| 100.0x | not run |  |')
    expect(md).not.toContain('(b) Mitogen:')
  })
})
