// async with poll on modules other than command and shell, run by ansible-playbook and by pgha: Ansible runs
// them as jobs and waits; pgha runs them in the foreground within the async limit. What the user sees is
// the same: each task's status and the files it leaves. Runs where ansible-playbook is installed.
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from '../modules/ansible-differential.js'

describe.skipIf(!haveAnsible)('async and poll on any module, as ansible-playbook runs them', () => {
  it('runs file and lineinfile with async and poll, waiting for them, with the same results and files', async () => {
    const tasks = `    - name: touch
      file: { path: DIR/touched, state: touch, mode: '0600' }
      async: 30
      poll: 1
    - name: line
      lineinfile: { path: DIR/lines, line: added, create: true, mode: '0644' }
      async: 30
      poll: 2
    - name: line again
      lineinfile: { path: DIR/lines, line: added }
      async: 30
      poll: 1
`
    const { ansible, pgha } = await bothSides(tasks)
    expect(statuses(ansible)).toEqual(['touch: changed', 'line: changed', 'line again: ok'])
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(pgha.files).toEqual(ansible.files)
  }, 300_000)
})
