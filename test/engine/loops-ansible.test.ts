// with_* loops and loop_control run by ansible-playbook and by pgha on the same local host: every task's
// items must agree, item by item: the label each shows, whether it ran or was skipped, and the message
// debug printed (ansible_loop, index_var, the items of with_items/with_list/with_dict/with_subelements/...).
// Runs where ansible-playbook is installed (CI installs Debian's ansible-core).
import { join, resolve } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleInstalled, ansiblePlaybook, tempDir } from './ansible-oracle.js'
import { run } from './harness.js'

const fixtures = resolve(__dirname, '../fixtures/loops-ansible')

/** One line of output: an item (its label, ok or skipped, its message), or a task's result without a loop. */
interface Shown {
  task: string
  label?: string
  status: 'ok' | 'skipped'
  msg?: unknown
}

/** ansible-playbook's default output: `TASK [name]`, then `ok: [h1] => (item=label) => {` and the result's JSON, or `skipping: ...`. */
function parseAnsible(stdout: string): Shown[] {
  const out: Shown[] = []
  const lines = stdout.split('\n')
  let task = ''
  for (let i = 0; i < lines.length; i++) {
    const t = /^TASK \[(.*)\] \**$/.exec(lines[i])
    if (t) task = t[1]
    const skip = /^skipping: \[h1\] => \(item=(.*)\) $/.exec(lines[i])
    if (skip) out.push({ task, label: skip[1], status: 'skipped' })
    const ok = /^ok: \[h1\] => (?:\(item=(.*)\) => )?\{$/.exec(lines[i])
    if (!ok) continue
    const end = lines.indexOf('}', i)
    const result = JSON.parse(lines.slice(i, end + 1).join('\n').slice(lines[i].lastIndexOf('{'))) as { msg?: unknown }
    out.push({ task, ...(ok[1] === undefined ? {} : { label: ok[1] }), status: 'ok', msg: result.msg })
    i = end
  }
  return out
}

describe.skipIf(!ansibleInstalled)('with_* loops and loop_control as ansible-playbook runs them', () => {
  it('gives every task the same items, labels, loop variables and skips', async () => {
    const playbook = join(fixtures, 'loops.yml')
    const inventory = join(fixtures, 'inventory.ini')
    const r = ansiblePlaybook(['-i', inventory, playbook], tempDir('pgha-loops-ansible'), { cwd: fixtures, env: { LOOPS_TEST_VAR: 'env-value' } })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const theirs = parseAnsible(r.stdout)
    // What Ansible printed is read: one line per item of every task.
    expect(theirs.filter((s) => s.task === 'with_items flattens one level').map((s) => s.label)).toEqual(['a', 'b', 'c', "['d']", 'e'])
    expect(theirs.filter((s) => s.status === 'skipped')).toHaveLength(1)

    vi.stubEnv('LOOPS_TEST_VAR', 'env-value')
    onTestFinished(() => {
      vi.unstubAllEnvs()
    })
    const mine = await run({ playbook, inventory })
    expect(mine.exitCode).toBe(0)
    const shown: Shown[] = []
    for (const e of mine.events as EngineEvent[]) {
      if (e.type !== 'host:result') continue
      const items = e.result.results as { _label: string; skipped?: boolean; msg?: unknown }[] | undefined
      if (!items) shown.push({ task: e.task, status: 'ok', msg: e.result.msg })
      else for (const it of items) shown.push({ task: e.task, label: it._label, status: it.skipped ? 'skipped' : 'ok', ...(it.skipped ? {} : { msg: it.msg }) })
    }
    expect(shown).toEqual(theirs)
  }, 300_000)
})
