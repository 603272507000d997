// A module parameter written empty (`mode:`, YAML's null) is not given, as Ansible's argument spec reads
// None: run by ansible-playbook and by pgha, the same status per task and the same files left behind
// (jnv.unattended_upgrades writes `apt: pkg:` so).
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: a file with an empty mode and owner
      file:
        path: DIR/a
        state: touch
        mode:
        owner:
    - name: a line with an empty insertafter
      lineinfile:
        path: DIR/b
        line: x
        create: true
        insertafter:
    - name: the same line again
      lineinfile:
        dest: DIR/b
        line: x
        insertafter:
        regexp:
`

describe.skipIf(!haveAnsible)('module parameters written empty, as ansible-playbook reads them', () => {
  it('treats them as not given: the same status per task and the same files', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(statuses(ansible)).toEqual(['a file with an empty mode and owner: changed', 'a line with an empty insertafter: changed', 'the same line again: ok'])
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(pgha.files).toEqual(ansible.files)
  }, 300_000)
})
