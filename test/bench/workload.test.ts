import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
// @ts-expect-error plain JS module without declarations (the bench runs with node, unbuilt)
import { workloadTasks, writeWorkload } from '../../bench/lib/workload.js'
import { runPlaybook } from '../../src/engine/index.js'
import { exitCodeOf } from '../../src/cli/exit-codes.js'

describe('the file workload of scenarios (a) and (b)', () => {
  it('has at least 40 tasks, all file/lineinfile/copy/template', () => {
    const tasks = workloadTasks() as { module: string }[]
    expect(tasks.length).toBeGreaterThanOrEqual(40)
    expect(new Set(tasks.map((t) => t.module))).toEqual(new Set(['file', 'lineinfile', 'copy', 'template']))
  })

  it('converges with pgha: the first run creates every file, the re-run the bench measures changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-workload-'))
    const playbook = writeWorkload(dir)
    const [play] = parse(readFileSync(playbook, 'utf8'))
    expect(play.gather_facts).toBe(false)
    writeFileSync(join(dir, 'inventory.ini'), 'hostA ansible_connection=local\n')
    const run = () => runPlaybook({ playbook, inventory: join(dir, 'inventory.ini'), extraVars: [`bench_dir=${join(dir, 'out')}`] })
    const first = await run()
    expect(exitCodeOf(first.outcome)).toBe(0)
    expect(first.recap.hostA.changed).toBe(workloadTasks().length)
    expect(readFileSync(join(dir, 'out', 'd01', 'templated-1.conf'), 'utf8')).toBe(`# rendered for hostA\nhost = hostA\ndir = ${join(dir, 'out')}\n`)
    expect(readFileSync(join(dir, 'out', 'lines-2.conf'), 'utf8')).toContain('key04 = value 4 of hostA\n')
    expect(statSync(join(dir, 'out', 'lines-2.conf')).mode & 0o777).toBe(0o600)
    const again = await run()
    expect(exitCodeOf(again.outcome)).toBe(0)
    expect(again.recap.hostA).toMatchObject({ ok: workloadTasks().length, changed: 0, failed: 0 })
  })
})
