import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../../src/engine/events.js'
import { createReporter } from '../../src/output/index.js'
import { SECRET, events, memoryStream, options, recapLines } from './fixture.js'

const strip = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
const realTTY = process.stdout.isTTY
afterEach(() => {
  process.stdout.isTTY = realTTY
})

/** listr2 picks its renderer from process.stdout; the reporter writes to the stream it is given. */
async function runTty(list: EngineEvent[], over: Parameters<typeof options>[0] = {}, terminal = true) {
  process.stdout.isTTY = terminal
  const screen = memoryStream({ columns: 120 })
  const o = options({ stream: screen.stream, ...over })
  const r = await createReporter('tty', o)
  for (const e of list) r.onEvent(e)
  await r.finish()
  return { out: strip(screen.text()), err: o.err.text() }
}

/** The frame listr2 leaves on screen for a task: the last lines drawn from its header on. */
function finalFrame(out: string, header: string): string[] {
  const lines = out.split('\n')
  const at = lines.map((l, i) => (l.includes(header) ? i : -1)).filter((i) => i >= 0).pop() ?? -1
  const frame = [lines[at]]
  for (let i = at + 1; i < lines.length && lines[i].startsWith('  '); i++) frame.push(lines[i])
  return frame
}

describe('listr reporter on a terminal', () => {
  it("paints as each run decides, whatever listr2 decided when it was loaded (one process, many runs)", async () => {
    // SGR colour codes only: the renderer's cursor movements are there either way.
    const colours = /\u001b\[(?:2|3\d|9\d)m/
    const raw = async (color: boolean): Promise<string> => {
      process.stdout.isTTY = true
      const screen = memoryStream({ columns: 120 })
      const r = await createReporter('tty', options({ stream: screen.stream, color }))
      for (const e of events()) r.onEvent(e)
      await r.finish()
      return screen.text()
    }
    const coloured = await raw(true)
    expect(coloured).toContain('\u001b[32m✔\u001b[39m')
    expect(coloured).toContain('\u001b[31m✖\u001b[39m')
    expect(await raw(false)).not.toMatch(colours)
    expect(await raw(true)).toContain('\u001b[32m✔\u001b[39m')
  })

  it('draws play, task and one line per host with its state and time, then the recap', async () => {
    const { out, err } = await runTty(events())
    expect(out).toContain('\nPLAY [Prepare hosts] ****')
    expect(out).toContain('\nPLAY [Standby] ****')
    const install = finalFrame(out, 'TASK [install packages]')
    // A task with a failed host stays expanded so the failure is visible.
    expect(install[0]).toMatch(/^⚠ TASK \[install packages\]  changed=1  ok=1  unreachable=1  \d+\.\d\ds$/)
    expect(install.slice(1, 3)).toEqual(['  ✔ node1  changed (2 items)  1.52s', '  ✔ node2  ok (2 items)  0.82s'])
    expect(install[3]).toMatch(/^  ✖ witness1  unreachable  10\.00s: connect to witness1/)
    const check = finalFrame(out, 'TASK [check replication user]')
    expect(check.slice(1)).toEqual([
      '  ✔ node1  ok  0.01s',
      '  ✖ node2  failed  0.01s: non-zero return code (rc=2)',
      '      psql: error: connection to server failed',
      '      FATAL:  password authentication failed for user "repmgr" (********)',
    ])
    // Tasks where every host went well collapse to their header.
    expect(finalFrame(out, 'TASK [write sudoers]')).toEqual([expect.stringMatching(/^✔ TASK \[write sudoers\]  changed=1  ok=1  \d+\.\d\ds$/)])
    expect(out).toMatch(/✔ RUNNING HANDLER \[restart postgresql\]  changed=1/)
    // --diff: the file's diff follows the task once it is drawn.
    expect(out).toMatch(/✔ TASK \[write sudoers\]  changed=1  ok=1  \d+\.\d\ds\n\[node1\]\n--- before: \/etc\/sudoers.d\/postgres\n\+\+\+ after: \/etc\/sudoers.d\/postgres\n@@ -1,2 \+1,3 @@\n/)
    expect(out.endsWith(`${recapLines.join('\n')}\n`)).toBe(true)
    expect(err).toBe('[WARNING]: [node2] node2 failed; the play goes on without it\n')
    expect(out + err).not.toContain(SECRET)
  })

  it('shows progress while a task runs: running hosts, then each result as it arrives', async () => {
    process.stdout.isTTY = true
    const screen = memoryStream({ columns: 120 })
    const r = await createReporter('tty', options({ stream: screen.stream }))
    // The screen is redrawn on listr2's own schedule: wait for each frame rather than for a fixed time.
    const shows = (frame: RegExp) => vi.waitFor(() => expect(strip(screen.text())).toMatch(frame), { timeout: 10_000 })
    r.onEvent({ type: 'play:start', name: 'p', hosts: ['node1', 'node2'] })
    r.onEvent({ type: 'task:start', name: 'initdb', hosts: ['node1', 'node2'] })
    await shows(/TASK \[initdb\]  0\/2\n  \S node1\n  \S node2\n/)
    r.onEvent({ type: 'host:result', task: 'initdb', host: 'node1', status: 'changed', durationMs: 900, result: { changed: true, failed: false } })
    await shows(/TASK \[initdb\]  changed=1  1\/2\n  ✔ node1  changed  0\.90s\n  \S node2\n/)
    r.onEvent({ type: 'host:result', task: 'initdb', host: 'node2', status: 'ok', durationMs: 1000, result: { changed: false, failed: false } })
    r.onEvent({ type: 'task:end', name: 'initdb' })
    await r.finish()
    expect(strip(screen.text())).toMatch(/✔ TASK \[initdb\]  changed=1  ok=1  \d+\.\d\ds\n/)
  })

  it('keeps every host line at -v, and lists planned changes under the task', async () => {
    const { out } = await runTty(events(), { verbosity: 1, diff: false })
    expect(finalFrame(out, 'TASK [write sudoers]').slice(1)).toEqual(['  ✔ node1  changed  0.04s', '  ✔ node2  ok  0.04s'])
    expect(out).toContain('  ✔ node2  ok  0.04s\n[node1]\n  - write /etc/sudoers.d/postgres\n⚠ TASK [check replication user]')
    expect(out).not.toContain('--- before:')
  })

  it('does not hang when the run stops mid-task: hosts without a result say so', async () => {
    const cut = events({ end: false }).slice(0, 4) // node1 reported install packages; node2 and witness1 did not
    const { out } = await runTty(cut, { verbosity: 1 })
    const frame = finalFrame(out, 'TASK [install packages]')
    expect(frame[0]).toBe('✔ TASK [install packages]  changed=1  1/3')
    expect(frame).toContain('  ↓ node2  interrupted')
    expect(frame).toContain('  ↓ witness1  interrupted')
    expect(out).toMatch(/\nelapsed \d+\.\d\ds\n$/)
  })

  it('renders 20 hosts and 40 tasks (about 2000 events) through to the recap', async () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `node${i + 1}`)
    const list: EngineEvent[] = [{ type: 'run:start', playbook: 'big.yml', check: false, hosts }, { type: 'play:start', name: 'big', hosts }]
    for (let t = 1; t <= 40; t++) {
      const task = `task ${t}`
      list.push({ type: 'task:start', name: task, hosts })
      for (const host of hosts) {
        list.push({ type: 'host:start', task, host })
        list.push({ type: 'host:result', task, host, status: t % 3 ? 'ok' : 'changed', durationMs: 5, result: { changed: t % 3 === 0, failed: false } })
      }
      list.push({ type: 'task:end', name: task })
    }
    const { out } = await runTty(list)
    expect(out).toContain('✔ TASK [task 40]  ok=20  ')
    expect(out).toContain('node20 : ok=40 changed=13 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0')
  })
})

describe('listr reporter without a terminal', () => {
  it("falls back to listr2's line renderer, still on the given stream, and still ends with the recap", async () => {
    const { out, err } = await runTty(events(), {}, false)
    expect(out).toContain('✔ node1  changed (2 items)  1.52s\n')
    expect(out).toContain('✖ node2 [FAILED: node2  failed  0.01s: non-zero return code (rc=2)\n')
    expect(out).toContain('↓ node1 [SKIPPED: node1  skipped  0.00s]\n')
    expect(out).toMatch(/✔ TASK \[write sudoers\]  changed=1  ok=1  \d+\.\d\ds\n/)
    expect(out).toContain('witness1 : ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0\n')
    expect(out + err).not.toContain(SECRET)
  })
})
