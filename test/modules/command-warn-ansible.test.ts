// `warn`, removed from command and shell in ansible-core 2.14: a playbook that gives it still loads (a task
// that does not run, such as another OS's, is no error), and the task fails when it runs, with Ansible's
// message, whether warn is an argument or a free-form `warn=no`.
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: skipped, so no error
      shell: echo hi > DIR/never
      args: { warn: false }
      when: false
    - name: runs
      command: touch DIR/ran
    - name: free-form warn fails when it runs
      command: touch DIR/not-run warn=no
`

describe.skipIf(!haveAnsible)('command and shell warn, as ansible-core 2.14', () => {
  it('loads, and fails the task that runs with it, with the same message', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    const status = (s: typeof ansible) => statuses(s, true)
    expect(status(pgha)).toEqual(status(ansible))
    expect(status(pgha)).toEqual([
      'skipped, so no error: ok',
      'runs: changed',
      'free-form warn fails when it runs: failed: Unsupported parameters for (ansible.legacy.command) module: warn. Supported parameters include: _raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends.',
    ])
    expect(pgha.files).toEqual({ ran: '' })
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
