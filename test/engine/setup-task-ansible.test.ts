// The setup module as a task, as dev-sec's os_hardening runs it in a play that gathered nothing
// (`setup:` when `not ansible_facts`), run by ansible-playbook and by pgha on this machine: the facts it
// sets (as ansible_NAME and ansible_facts.NAME), what gather_subset and filter keep, and the status. The
// debug messages, in order, must agree.
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansibleRun } from './ansible-oracle.js'
import { run } from './harness.js'

const PLAY = `- hosts: localhost
  gather_facts: false
  tasks:
    - debug: { msg: "before: {{ ansible_facts | length }} {{ ansible_os_family | default('none') }}" }
    - name: gather when there are none
      setup:
      when: not ansible_facts
      register: gathered
    - debug: { msg: "{{ gathered.changed }} {{ ansible_os_family }} {{ ansible_facts.os_family }} {{ ansible_distribution_major_version == ansible_facts['distribution_major_version'] }} {{ ansible_pkg_mgr }}" }
    - name: gather again, filtered
      ansible.builtin.setup: { filter: ['ansible_distribution*'], gather_subset: ['!all', 'min'] }
      register: filtered
    - debug: { msg: "{{ filtered.ansible_facts.keys() | sort | select('match', 'ansible_distribution') | list | length > 2 }} {{ 'ansible_os_family' in filtered.ansible_facts }}" }
`

const pghaMessages = (events: EngineEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'host:result' && typeof e.result.msg === 'string' && e.task.startsWith('debug') ? [String(e.result.msg)] : []))

describe.skipIf(!ansibleInstalled)('setup as a task, as ansible-playbook runs it', () => {
  it('sets the facts a play that gathered none reads, and keeps what gather_subset and filter name', async () => {
    const { playbook, inventory, result: r } = ansibleRun('pgha-setup-task', PLAY, 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n')
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const theirs = ansibleDebugMessages(r.stdout).map((m) => String(m.msg))
    expect(theirs[0]).toBe('before: 0 none')
    expect(theirs[2]).toBe('True False')
    const mine = await run({ playbook, inventory })
    expect(mine.exitCode).toBe(0)
    expect(pghaMessages(mine.events)).toEqual(theirs)
  }, 300_000)
})
