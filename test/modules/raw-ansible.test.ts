// raw, run by ansible-playbook and by pgha on this machine (connection local): the registered rc, stdout and
// stderr as the shell printed them (not stripped) with their lines, `executable`, a nonzero rc failing the
// task with Ansible's message, and a check run that skips it and changes nothing.
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible } from './ansible-differential.js'

const RESULT = "{{ [r.rc, r.stdout, r.stdout_lines, r.stderr, r.stderr_lines, r.changed] | to_json }}"

const TASKS = `    - name: print
      raw: printf 'a\\nb\\n\\n'; echo err >&2
      register: r
    - name: keep
      copy: { dest: DIR/first.json, content: "${RESULT}" }
    - name: bash
      raw: echo $0 > DIR/shell executable=/bin/bash
    - name: exit 3
      raw: exit 3
      register: r
      ignore_errors: true
    - name: keep failed
      copy: { dest: DIR/failed.json, content: "${RESULT}" }
`

describe.skipIf(!haveAnsible)('raw as ansible-playbook runs it', () => {
  it('registers what the command printed, runs it with executable, and fails on a nonzero rc', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(pgha.files).toEqual(ansible.files)
    expect(pgha.files).toMatchObject({ 'first.json': '[0, "a\\nb\\n\\n", ["a", "b", ""], "err\\n", ["err"], true]', shell: '/bin/bash\n' })
    expect(dirlessStatuses(pgha)[3]).toBe('exit 3: failed: non-zero return code')
  }, 120_000)

  it('is skipped by a check run, which leaves the host as it was', async () => {
    const { ansible, pgha } = await bothSides('    - name: touch\n      raw: touch DIR/made\n', { check: true })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(pgha.files).toEqual({})
    expect(ansible.files).toEqual({})
  }, 120_000)
})
