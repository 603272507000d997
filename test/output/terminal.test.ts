// The terminal view as a user sees it: `pgha run` on a pseudo-terminal (util-linux `script`) at 60, 80 and
// 120 columns, its bytes replayed on a model of the screen. A debug task's messages (a `repmgr cluster
// show` table, the failover drill's sentence) and a failure's message appear whole at every width: wrapped,
// not cut, so the command a message ends with is still there to copy.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { BIN } from '../built.js'
import { replayScreen } from './screen.js'

const TABLE = [
  ' ID | Name  | Role    | Status    | Upstream | Location | Priority | Timeline | Connection string',
  '----+-------+---------+-----------+----------+----------+----------+----------+-------------------------------------------------------',
  ' 1  | node1 | primary | * running |          | default  | 100      | 2        | host=node1 user=repmgr dbname=repmgr connect_timeout=2',
  ' 2  | node2 | standby |   running | node1    | default  | 100      | 2        | host=node2 user=repmgr dbname=repmgr connect_timeout=2',
]
const DRILL = 'failover drill: pgserver stopped on node1, repmgrd promoted node2 6.3 s later (at 2026-12-06 10:00:00.123+00); node2 accepts writes. node1 stays stopped: starting it would make a split brain; make it a standby with: npx pgha run playbooks/rejoin.yml -e node=node1'
const SPLIT = 'split brain: node1 (timeline 1) and node2 (timeline 2) all run as primary; node2 is on the newer timeline, so it is the current primary and holds the writes since the promotion; node1 is a former primary: rejoin it as a standby with: npx pgha run playbooks/rejoin.yml -i inventory/production -e node=node1'

const dir = mkdtempSync(join(tmpdir(), 'pgha-terminal-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
writeFileSync(join(dir, 'hosts.ini'), 'node1 ansible_connection=local\n')
writeFileSync(join(dir, 'playbook.yml'), stringify([{
  name: 'terminal view',
  hosts: 'all',
  gather_facts: false,
  tasks: [
    { name: 'show the cluster', debug: { msg: `${TABLE.join('\n')}\n` } },
    { name: 'report the drill', debug: { msg: DRILL } },
    { name: 'verify', fail: { msg: SPLIT } },
  ],
}]))

/** What the screen shows after `pgha run` on a terminal `columns` wide, and the exit code. */
function runOnTerminal(columns: number): { code: number; screen: string[] } {
  const command = `stty cols ${columns} rows 200; exec node ${BIN} run playbook.yml -i hosts.ini`
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' }
  delete env.CI // pgha draws plain lines in CI
  const r = spawnSync('script', ['-qefc', command, '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status ?? -1, screen: replayScreen(r.stdout, columns) }
}

/** The text with every space and line break removed: a wrapped text still contains its unwrapped self. */
const squeeze = (s: string): string => s.replace(/\s+/g, '')

describe.each([60, 80, 120])('the terminal view at %i columns', (columns) => {
  const { code, screen } = runOnTerminal(columns)
  const text = squeeze(screen.join('\n'))

  it('draws the live view (not plain lines) and exits 2 for the failed task', () => {
    expect(code).toBe(2)
    expect(screen.some((l) => /^✔ TASK \[report the drill\]/.test(l))).toBe(true)
    expect(screen.some((l) => /^PLAY RECAP/.test(l))).toBe(true)
  })

  it("shows the debug table whole, every row, after its task", () => {
    const task = screen.findIndex((l) => l.includes('TASK [show the cluster]'))
    expect(task).toBeGreaterThanOrEqual(0)
    expect(screen[task + 1]).toBe('[node1] =>')
    expect(text).toContain(squeeze(TABLE.join('')))
  })

  it("shows the failover drill's message whole", () => {
    expect(text).toContain(squeeze(`[node1] => ${DRILL}`))
  })

  it('shows the failure message whole, wrapped at words by the view itself, ending with the rejoin command', () => {
    expect(text).toContain(squeeze(SPLIT))
    const start = screen.findIndex((l) => l.includes('✖ node1  failed'))
    expect(start).toBeGreaterThan(0)
    let end = start
    while (end < screen.length && !squeeze(screen.slice(start, end + 1).join('')).includes(squeeze(SPLIT))) end++
    const rows = screen.slice(start, end + 1)
    expect(rows.length).toBeGreaterThan(1)
    expect(rows.at(-1)).toMatch(/node=node1$/)
    // The view wraps it: continuation rows are indented under the host, never the terminal's own wrap
    // of an overlong row, which would start at the left edge.
    for (const l of rows) expect(l.length).toBeLessThanOrEqual(columns)
    for (const l of rows.slice(1)) expect(l).toMatch(/^ {4} ?\S/)
  })
})
