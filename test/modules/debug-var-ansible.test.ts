// debug's `var` written as a template (`var: "{{ item }}"`, a loop over variable names), run by
// ansible-playbook and by pgha on the same playbook: Ansible renders the text and shows, under that name,
// what it names; each task's shown name and value must be the same. A host's text that reads as an
// expression is shown as text by pgha, never evaluated (test/security/host-data-expressions.test.ts).
import { describe, expect, it } from 'vitest'
import { ansibleInstalled, ansibleRun } from '../engine/ansible-oracle.js'
import { run } from '../engine/harness.js'

const PLAY = `- hosts: all
  gather_facts: false
  vars:
    x: hello
    y: x
    n: 5
    names: [x, y, missing]
    d: { k: [1, 2] }
    path: d.k
  tasks:
    - { name: t1, debug: { var: "{{ x }}" } }
    - { name: t2, debug: { var: "{{ y }}" } }
    - { name: t3, debug: { var: x } }
    - { name: t4, debug: { var: "{{ n }}" } }
    - { name: t5, debug: { var: "{{ path }}" } }
    - { name: t6, debug: { var: "{{ undefined_thing | default('zz') }}" } }
    - { name: t7, debug: { var: "{{ item }}" }, loop: "{{ names }}" }
    - { name: t8, debug: { var: "d['k']" } }
`

/** Every `ok: [host] => {...}` (or `ok: [host] => (item=...) => {...}`) object of ansible-playbook's output, in order. */
function ansibleObjects(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n')
  const out: Record<string, unknown>[] = []
  lines.forEach((line, i) => {
    if (!/^ok: \[[^\]]+\] (?:=> \(item=.*\) )?=> \{$/.test(line)) return
    const end = lines.indexOf('}', i)
    out.push(JSON.parse(['{', ...lines.slice(i + 1, end + 1)].join('\n')) as Record<string, unknown>)
  })
  return out
}

describe.skipIf(!ansibleInstalled && process.env.PGHA_REQUIRE_LAB !== '1')('debug var as a template, against ansible-playbook', () => {
  it('shows the same name and value for every task and loop item', async () => {
    const a = ansibleRun('pgha-debug-var', PLAY, 'localhost ansible_connection=local\n')
    expect(a.result.status, a.result.stdout + a.result.stderr).toBe(0)
    const theirs = ansibleObjects(a.result.stdout).map((o) => {
      const { ansible_loop_var: _l, item: _i, changed: _c, ...shown } = o
      return shown
    })
    const r = await run({ playbook: a.playbook, inventory: a.inventory, forks: 1 })
    expect(r.exitCode).toBe(0)
    const ours = r.events.flatMap((e) => {
      if (e.type !== 'host:result') return []
      const { msg: _m, changed: _c, ...rest } = e.result as Record<string, unknown>
      const items = (rest.results as Record<string, unknown>[] | undefined) ?? [rest]
      return items.map((i) => Object.fromEntries(Object.entries(i).filter(([k]) => !['msg', 'changed', 'item', 'ansible_loop_var', 'failed'].includes(k) && !k.startsWith('_'))))
    })
    expect(theirs).toHaveLength(10)
    expect(ours).toEqual(theirs)
    expect(theirs[1]).toEqual({ x: 'hello' })
    expect(theirs[4]).toEqual({ 'd.k': [1, 2] })
  }, 120_000)
})
