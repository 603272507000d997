// delegate_facts run by ansible-playbook and by pgha on the same local hosts: a delegated set_fact's facts go
// to the delegated host only with delegate_facts, else to the host the task runs for. The debug messages
// must agree.
// Runs where ansible-playbook is installed (CI installs Debian's ansible-core).
import { describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../src/engine/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansibleRun } from './ansible-oracle.js'
import { run } from './harness.js'

const PLAYBOOK = `- hosts: h1
  gather_facts: false
  tasks:
    - set_fact: { color: blue }
      delegate_to: h2
      delegate_facts: true
    - set_fact: { shape: round }
      delegate_to: h2
    - debug:
        msg: "h1 color={{ color | default('none') }} h2 color={{ hostvars['h2'].color | default('none') }} h1 shape={{ shape | default('none') }} h2 shape={{ hostvars['h2'].shape | default('none') }}"
`

/** The msg of every `ok: [h1] => {` result ansible-playbook's default output shows, in order. */
const ansibleMessages = (stdout: string): unknown[] => ansibleDebugMessages(stdout).filter((m) => m.host === 'h1').map((m) => m.msg)

describe.skipIf(!ansibleInstalled)('delegate_facts as ansible-playbook runs it', () => {
  it('puts a delegated set_fact on the delegated host only with delegate_facts, as Ansible does', async () => {
    const { playbook, inventory, result: r } = ansibleRun('pgha-keywords-ansible', PLAYBOOK, 'h1 ansible_connection=local\nh2 ansible_connection=local\n')
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const theirs = ansibleMessages(r.stdout)
    expect(theirs).toEqual(['h1 color=none h2 color=blue h1 shape=round h2 shape=none'])
    const mine = await run({ playbook, inventory })
    expect(mine.exitCode).toBe(0)
    const shown = (mine.events as EngineEvent[]).flatMap((e) => (e.type === 'host:result' && e.result.msg !== undefined && e.host === 'h1' ? [e.result.msg] : []))
    expect(shown).toEqual(theirs)
  }, 300_000)
})
