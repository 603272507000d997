// `{{ }}` inside a condition, run by ansible-playbook and by pgha on the same playbook. Ansible (with a
// warning) renders such a condition to text and evaluates the text; pgha reads the expression the author
// meant (vars/condition-embedded.ts). For values that are data, the same tasks must run; for a value that
// would turn into code under Ansible, pgha keeps it data (a quote in a string value) or refuses it (an
// expression where a literal must be), and never runs it.
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansiblePlaybook, tempDir } from '../engine/ansible-oracle.js'
import { run } from '../engine/harness.js'

const VARS = `    x: 1
    xs: "1"
    f: 1.5
    flag: true
    n: null
    s: foo
    names: [foo, bar]
    d: { k: v }
`

/** Each condition is the `when` of a debug task that says its name: the names that ran are compared. */
const CONDITIONS: [string, string][] = [
  ['int', '{{ x }} == 1'],
  ['int-false', '{{ x }} == 2'],
  ['string-of-int', '{{ xs }} == 1'],
  ['float', '{{ f }} == 1.5'],
  ['and', '{{ x }} > 0 and {{ flag }}'],
  ['not', 'not {{ flag }}'],
  ['none-quoted', "'{{ n }}' == ''"],
  ['quoted', "'{{ s }}' == 'foo'"],
  ['double-quoted-in', '"{{ s }}" in names'],
  ['quoted-int', "'{{ x }}' == '1'"],
  ['joined', "'a-{{ s }}-b' == 'a-foo-b'"],
  ['filtered', "'{{ s }}' | upper == 'FOO'"],
  ['list', '{{ names }} | length == 2'],
  ['dict', "{{ d }}['k'] == 'v'"],
  ['wrapped', '{{ flag }}'],
]

const playbook = (extraVars = '', extraTasks = ''): string => `- hosts: localhost
  gather_facts: false
  vars:
${VARS}${extraVars}  tasks:
${CONDITIONS.map(([name, cond]) => `    - debug: { msg: ${name} }\n      when: ${JSON.stringify(cond)}\n`).join('')}    - assert: { that: ["{{ x }} == 1", "'{{ s }}' != 'bar'"] }
    - debug: { msg: asserted }
${extraTasks}`

const pghaMessages = (events: EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'host:result' && e.status === 'ok' && typeof e.result.msg === 'string' && e.task.startsWith('debug') ? [e.result.msg] : []))

const WARNING = 'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: {{ x }} == 1'

describe.skipIf(!ansibleInstalled)('{{ }} inside a condition, as ansible-playbook runs it', () => {
  it('runs the same tasks as Ansible for values that are data, with its warning', async () => {
    const dir = tempDir('pgha-condition-embedded')
    const file = join(dir, 'play.yml')
    writeFileSync(file, playbook())
    const r = ansiblePlaybook(['-i', 'localhost,', '-c', 'local', file], dir, { cwd: dir })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    // assert's own result is shown as an ok with a msg too
    const theirs = ansibleDebugMessages(r.stdout).map((m) => String(m.msg)).filter((m) => m !== 'All assertions passed')
    expect(theirs).toEqual(CONDITIONS.map(([name]) => name).filter((n) => !['int-false', 'not'].includes(n)).concat('asserted'))
    expect((r.stdout + r.stderr).replace(/\s+/g, ' ')).toContain(WARNING)

    const mine = await run({ playbook: file, inventory: 'localhost,', connection: 'local' })
    expect(mine.exitCode).toBe(0)
    expect(pghaMessages(mine.events)).toEqual(theirs)
    expect(mine.events.some((e) => e.type === 'warning' && e.message.includes(WARNING))).toBe(true)
  }, 300_000)

  it('keeps a value data where Ansible would run it as code', async () => {
    const dir = tempDir('pgha-condition-hostile')
    const marker = join(dir, 'PWNED')
    const file = join(dir, 'play.yml')
    // a value with a quote closes Ansible's string and adds a clause; one with a lookup runs a command
    const hostile = `    evil: "nope' or 'a' == 'a"\n    code: "lookup('pipe', 'touch ${marker}')"\n`
    const tasks = `    - debug: { msg: injected }\n      when: "'{{ evil }}' == 'foo'"\n    - debug: { msg: ran-code }\n      when: "{{ code }} == 1"\n`
    writeFileSync(file, playbook(hostile, tasks))

    const r = ansiblePlaybook(['-i', 'localhost,', '-c', 'local', file], dir, { cwd: dir })
    const theirs = ansibleDebugMessages(r.stdout).map((m) => String(m.msg))
    expect(theirs).toContain('injected')
    expect(existsSync(marker)).toBe(true)
    rmSync(marker)

    const mine = await run({ playbook: file, inventory: 'localhost,', connection: 'local' })
    expect(pghaMessages(mine.events)).not.toContain('injected')
    const failed = mine.events.find((e) => e.type === 'host:result' && e.status === 'failed')
    expect(failed && failed.type === 'host:result' ? String(failed.result.msg) : '').toMatch(/gives "lookup\('pipe'.*which is not a literal/)
    expect(mine.exitCode).not.toBe(0)
    expect(existsSync(marker)).toBe(false)
  }, 300_000)
})

