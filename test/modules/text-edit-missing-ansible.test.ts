// lineinfile and blockinfile on a file that is not there, run by ansible-playbook and by pgha: blockinfile
// without create fails ("Path ... does not exist !") even for state=absent, lineinfile has nothing to
// remove, and with create=true state=absent makes no file. Same status and message per task, same files.
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: blockinfile absent, no file, no create
      blockinfile: { path: DIR/none, block: "x", state: absent }
      ignore_errors: true
    - name: blockinfile absent, no file, create
      blockinfile: { path: DIR/none, block: "x", state: absent, create: true }
    - name: blockinfile present, no file, no create
      blockinfile: { path: DIR/none, block: "x" }
      ignore_errors: true
    - name: lineinfile absent, no file
      lineinfile: { path: DIR/none, line: "x", state: absent }
    - name: lineinfile present, no file, no create
      lineinfile: { path: DIR/none, line: "x" }
      ignore_errors: true
    - name: what is left
      shell: "ls DIR > DIR/left"
`

describe.skipIf(!haveAnsible)('lineinfile and blockinfile on a missing file, as ansible-playbook', () => {
  it('reports the same status and message per task and leaves no file', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(statuses(pgha)).toEqual([
      'blockinfile absent, no file, no create: failed',
      'blockinfile absent, no file, create: ok',
      'blockinfile present, no file, no create: failed',
      'lineinfile absent, no file: ok',
      'lineinfile present, no file, no create: failed',
      'what is left: changed',
    ])
    const messages = (s: typeof ansible) => s.tasks.filter((t) => t.failed).map((t) => t.msg?.replace(/\/\S+\/none\b/, 'DIR/none'))
    expect(messages(pgha)).toEqual(messages(ansible))
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
