// A dynamic include's task in each output: the skipped items and hosts, one `included:` line per file
// brought in (the include's own result shows no line), and the recap counting an ok per host and file,
// a skip for a host whose every item was skipped, nothing for the include's result itself (the numbers
// ansible-playbook gives: test/engine/includes-ansible.test.ts compares them with it).
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/events.js'
import { createReporter } from '../../src/output/index.js'
import type { JsonDocument } from '../../src/output/json.js'
import { memoryStream, options } from './fixture.js'

const hosts = ['a', 'b']
const task = 'include_tasks: inc.yml'
const item = (n: number, skipped: boolean) => ({ changed: false, failed: false, ...(skipped ? { skipped: true, skip_reason: 'Conditional result was False' } : {}), item: n, _label: String(n) })

/** `include_tasks: inc.yml` looped over 1 and 2 with `when: item == 1 and inventory_hostname == 'a'`. */
const EVENTS: EngineEvent[] = [
  { type: 'run:start', playbook: 'site.yml', check: false, hosts },
  { type: 'play:start', name: 'all', hosts },
  { type: 'task:start', name: task, hosts, module: 'include_tasks' },
  { type: 'host:result', task, host: 'a', status: 'included', durationMs: 0, result: { changed: false, failed: false, msg: 'All items completed', results: [item(1, false), item(2, true)] } },
  { type: 'host:result', task, host: 'b', status: 'skipped', durationMs: 0, result: { changed: false, failed: false, skipped: true, msg: 'All items completed', results: [item(1, true), item(2, true)] } },
  { type: 'include', task, file: '/p/inc.yml', hosts: ['a'], item: '1' },
  { type: 'task:end', name: task },
  { type: 'task:start', name: 'debug', hosts: ['a'], module: 'debug' },
  { type: 'host:result', task: 'debug', host: 'a', status: 'ok', durationMs: 1, result: { changed: false, failed: false, msg: 'in 1' } },
  { type: 'task:end', name: 'debug' },
  { type: 'play:end', name: 'all' },
]

async function render(format: 'plain' | 'json' | 'tty'): Promise<string> {
  const screen = memoryStream({ columns: 120 })
  const o = options(format === 'tty' ? { stream: screen.stream } : {})
  const r = await createReporter(format, o)
  for (const e of EVENTS) r.onEvent(e)
  await r.finish()
  return format === 'tty' ? screen.text().replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') : o.out.text()
}

describe('a dynamic include in each output', () => {
  it('plain: skipped items, the skipped host, the included line; the recap counts the inclusion as ok and the skip', async () => {
    const out = await render('plain')
    const task = out.slice(out.indexOf('TASK [include_tasks'), out.indexOf('TASK [debug'))
    expect(task.split('\n').slice(1).filter(Boolean)).toEqual([
      'skipping: [a] => (item=2)',
      'skipping: [b] => (item=1)',
      'skipping: [b] => (item=2)',
      'skipping: [b]',
      'included: /p/inc.yml for a => (item=1)',
    ])
    expect(out).toMatch(/^a : ok=2 changed=0 unreachable=0 failed=0 skipped=0 /m)
    expect(out).toMatch(/^b : ok=0 changed=0 unreachable=0 failed=0 skipped=1 /m)
  })

  it('json: the include task lists what it brought in, its hosts their statuses; the same recap', async () => {
    const doc = JSON.parse(await render('json')) as JsonDocument
    const [include] = doc.plays[0].tasks
    expect(include.included).toEqual([{ file: '/p/inc.yml', hosts: ['a'], item: '1' }])
    expect({ a: (include.hosts.a as { status: string }).status, b: (include.hosts.b as { status: string }).status }).toEqual({ a: 'included', b: 'skipped' })
    expect(doc.recap).toMatchObject({ a: { ok: 2, skipped: 0 }, b: { ok: 0, skipped: 1 } })
  })

  it('tty: the included line under the task, and the same recap', async () => {
    const out = await render('tty')
    expect(out).toContain('included: /p/inc.yml for a => (item=1)')
    expect(out).toMatch(/^a : ok=2 changed=0 unreachable=0 failed=0 skipped=0 /m)
  })
})
