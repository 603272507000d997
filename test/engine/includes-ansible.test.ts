// Dynamic includes as ansible-playbook reports them, compared with `pgha run` on the same playbook and two
// local hosts: per task, the result lines (`skipping: [a] => (item=2)`, `included: /dir/inc.yml for a, b`,
// `ok: [b]`, `fatal: [b]`), the PLAY RECAP counts (an include_tasks counts an ok per host and file brought
// in, include_role nothing, a skipped include a skip), and with -o json each task's status per host against
// Ansible's json callback. Task names differ on purpose (pgha names an unnamed task by its module and
// arguments), so the headers are compared by kind only. Hosts in parallel report in any order in Ansible: the lines of a task, and
// the hosts of an `included:` line, are compared in name order. Skipped without ansible-playbook, except under
// CI=true or PGHA_REQUIRE_LAB=1, where that fails.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { ansibleInstalled, ansiblePlaybook, tempDir } from './ansible-oracle.js'

const required = process.env.CI === 'true' || process.env.PGHA_REQUIRE_LAB === '1'

/** Per task, its header kind and its result lines, sorted (hosts run in parallel in Ansible and report in any order). */
function taskLines(stdout: string): string[][] {
  const blocks: string[][] = []
  for (const raw of stdout.split('\n')) {
    const line = raw.trimEnd()
    const head = /^(TASK|RUNNING HANDLER) \[/.exec(line)
    if (head) blocks.push([head[1]])
    const result = /^(?:(skipping|ok|changed): \[[^\]]+\](?: => \(item=[^)]*\))?|included: \S+ for [^=]+(?: => \(item=[^)]*\))?|fatal: \[[^\]]+\])/.exec(line)
    if (result && blocks.length > 0) blocks[blocks.length - 1].push(sortedHosts(result[0].trimEnd()))
  }
  return blocks.map(([kind, ...lines]) => [kind, ...lines.sort()])
}

/** An `included:` line with its hosts in name order (Ansible names them in the order their results came). */
function sortedHosts(line: string): string {
  const m = /^(included: \S+ for )([^=]+?)( => .*)?$/.exec(line)
  return m ? `${m[1]}${m[2].split(', ').sort().join(', ')}${m[3] ?? ''}` : line
}

/** PLAY RECAP: per host, ok changed unreachable failed skipped rescued ignored. */
function recap(stdout: string): Record<string, number[]> {
  const rows = [...stdout.matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/gm)]
  return Object.fromEntries(rows.map(([, host, ...n]) => [host, n.map(Number)]))
}

type AnsibleJson = { plays: { tasks: { hosts: Record<string, { action: string; skipped?: boolean; failed?: boolean; changed?: boolean }> }[] }[]; stats: Record<string, Record<string, number>> }
type PghaJson = { plays: { tasks: { hosts: Record<string, { status: string }> }[] }[]; recap: Record<string, Record<string, number>> }

/** Per task, each host's status as pgha names it, from Ansible's json callback (an include that ran: `included`). */
function ansibleStatuses(doc: AnsibleJson): Record<string, string>[] {
  return doc.plays.flatMap((p) => p.tasks.map((t) => Object.fromEntries(Object.entries(t.hosts).map(([h, r]) => [h,
    r.skipped ? 'skipped' : r.failed ? 'failed' : r.action.startsWith('include_') ? 'included' : r.changed ? 'changed' : 'ok']))))
}

/** ansible-playbook and `pgha run` on `play` with `options` (default and json output each), on hosts a and b, with `files` beside it. */
function both(play: string, files: Record<string, string>, options: string[] = []) {
  const dir = tempDir('pgha-includes')
  for (const [name, text] of Object.entries({ ...files, 'play.yml': play })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  writeFileSync(join(dir, 'hosts.ini'), ['a', 'b'].map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join(''))
  const args = ['-i', 'hosts.ini', 'play.yml', ...options]
  const theirs = ansiblePlaybook(args, dir, { cwd: dir })
  const theirsJson = ansiblePlaybook(args, dir, { cwd: dir, env: { ANSIBLE_STDOUT_CALLBACK: 'json' } })
  const pgha = (output: string) => spawnSync(process.execPath, [BIN, 'run', ...args, '-o', output], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 })
  const mine = pgha('plain')
  const mineJson = pgha('json')
  return { dir, theirs, theirsJson, mine, mineJson }
}

/** Both tools give the same result lines per task, the same recap and, in json, the same statuses and counts. */
function expectSame(r: ReturnType<typeof both>): void {
  expect(r.mine.status, r.mine.stdout + r.mine.stderr).toBe(r.theirs.status)
  expect(taskLines(r.mine.stdout.replaceAll(r.dir, 'DIR'))).toEqual(taskLines(r.theirs.stdout.replaceAll(r.dir, 'DIR')))
  expect(recap(r.mine.stdout)).toEqual(recap(r.theirs.stdout))
  const theirs = JSON.parse(r.theirsJson.stdout) as AnsibleJson
  const mine = JSON.parse(r.mineJson.stdout) as PghaJson
  expect(mine.plays.flatMap((p) => p.tasks.map((t) => Object.fromEntries(Object.entries(t.hosts).map(([h, e]) => [h, e.status]))))).toEqual(ansibleStatuses(theirs))
  for (const [host, s] of Object.entries(theirs.stats)) {
    expect({ host, ...mine.recap[host] }).toMatchObject({ host, ok: s.ok, changed: s.changed, failed: s.failures, skipped: s.skipped })
  }
}

const INC = { 'inc.yml': '- debug: { msg: "in {{ item | default(0) }}" }\n', 'other.yml': '- debug: { msg: other }\n', 'roles/r/tasks/main.yml': '- debug: { msg: role }\n' }

describe.skipIf(!ansibleInstalled && !required)('dynamic includes reported as ansible-playbook reports them', () => {
  it('is run where required', () => expect(ansibleInstalled).toBe(true))

  it('a skipped include is a skipped line and count; one that runs an included line for its hosts and an ok each', () => {
    const r = both(`- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: inc.yml
      when: false
    - include_tasks: inc.yml
    - name: on a only
      include_tasks: inc.yml
      when: inventory_hostname == 'a'
`, INC)
    expectSame(r)
    expect(r.mine.stdout).toContain(`included: ${join(r.dir, 'inc.yml')} for a, b\n`)
    expect(recap(r.mine.stdout)).toEqual({ a: [4, 0, 0, 0, 1, 0, 0], b: [2, 0, 0, 0, 2, 0, 0] })
  }, 300_000)

  it("a looped include judges its when per item, with the loop variable: the items that pass are included, one ok each", () => {
    const r = both(`- hosts: all
  gather_facts: false
  tasks:
    - include_tasks:
        file: inc.yml
      loop: [1, 2, 3]
      when: item != 2
    - include_tasks: inc.yml
      loop: [1, 2]
      when: item == 3
    - include_tasks: "{{ item }}"
      loop: [inc.yml, other.yml]
      loop_control: { label: "file {{ item }}" }
`, INC)
    expectSame(r)
    expect(r.mine.stdout).toContain('skipping: [a] => (item=2)\n')
    expect(r.mine.stdout).toContain(`included: ${join(r.dir, 'inc.yml')} for a, b => (item=3)\n`)
    // 2 + 2 items included, each with its debug; the loop whose items all are skipped is one skip
    expect(recap(r.mine.stdout).a).toEqual([8, 0, 0, 0, 1, 0, 0])
  }, 300_000)

  it('include_role: a skipped line and count when skipped, no line and no count of its own when it runs', () => {
    const r = both(`- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: r }
      when: false
    - include_role: { name: r }
      when: inventory_hostname == 'b'
    - include_role: { name: r }
      loop: [1, 2]
      when: item == 1
`, INC)
    expectSame(r)
    expect(recap(r.mine.stdout)).toEqual({ a: [1, 0, 0, 0, 2, 0, 0], b: [2, 0, 0, 0, 1, 0, 0] })
  }, 300_000)

  it('imports have no line of their own, their when is each imported task\'s; before --start-at-task an include is not shown', () => {
    const r = both(`- hosts: all
  gather_facts: false
  tasks:
    - import_tasks: other.yml
      when: inventory_hostname == 'a'
    - import_role: { name: r }
      when: false
    - include_tasks: other.yml
    - name: start here
      debug: { msg: start }
    - include_tasks: inc.yml
      when: inventory_hostname == 'b'
`, INC, ['--start-at-task', 'start here'])
    expectSame(r)
    expect(recap(r.mine.stdout)).toEqual({ a: [1, 0, 0, 0, 1, 0, 0], b: [3, 0, 0, 0, 0, 0, 0] })
    const all = both(`- hosts: all
  gather_facts: false
  tasks:
    - import_tasks: other.yml
      when: inventory_hostname == 'a'
    - import_role: { name: r }
      when: false
`, INC)
    expectSame(all)
    expect(recap(all.mine.stdout)).toEqual({ a: [1, 0, 0, 0, 1, 0, 0], b: [0, 0, 0, 0, 2, 0, 0] })
  }, 300_000)

  it("an include's tags select the include, not the tasks it brings in: --tags and --skip-tags", () => {
    const play = `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: other.yml
      tags: [t]
    - include_role: { name: r }
      tags: [t]
    - include_tasks:
        file: other.yml
        apply: { tags: [t] }
      tags: [t]
    - debug: { msg: untagged }
`
    const only = both(play, INC, ['--tags', 't'])
    expectSame(only)
    // the three includes ran, and only the task apply tagged: the first include's ok and the third's, its task's
    expect(recap(only.mine.stdout).a).toEqual([3, 0, 0, 0, 0, 0, 0])
    const skip = both(play, INC, ['--skip-tags', 't'])
    expectSame(skip)
    expect(recap(skip.mine.stdout).a).toEqual([1, 0, 0, 0, 0, 0, 0])
  }, 300_000)

  it('a handler that is an include, and an include whose file is not there on one host', () => {
    const r = both(`- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: "{{ inventory_hostname }}-tasks.yml"
    - command: "true"
      notify: again
  handlers:
    - name: again
      include_tasks: other.yml
`, { ...INC, 'a-tasks.yml': '- debug: { msg: on a }\n' })
    expectSame(r)
    expect(recap(r.mine.stdout)).toEqual({ a: [5, 1, 0, 0, 0, 0, 0], b: [0, 0, 0, 1, 0, 0, 0] })
  }, 300_000)
})
