// assemble against ansible-playbook's: fragments on the host and on the controller, joined in name order
// with the newline Ansible adds after a fragment without one, a delimiter with escapes, regexp and
// ignore_hidden choosing fragments, a mode; the same status per task and the same files.
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, statuses } from './ansible-differential.js'
import { assembleFragments, escapeDecode } from '../../src/modules/assemble.js'

const SEED = {
  'frags/10-first': 'one\n',
  'frags/20-second': 'two without newline',
  'frags/30-third.conf': 'three\n',
  'frags/.hidden': 'hidden\n',
  'files/keys/a.pub': 'ssh-ed25519 AAAA a\n',
  'files/keys/b.pub': 'ssh-ed25519 BBBB b\n',
}

const TASKS = `
    - name: joined
      assemble: { src: DIR/frags, dest: DIR/out/all, mode: "0640" }
    - name: joined again
      assemble: { src: DIR/frags, dest: DIR/out/all, mode: "0640" }
    - name: with a delimiter
      assemble: { src: DIR/frags, dest: DIR/out/delimited, delimiter: '### part\\t(x)' }
    - name: chosen by regexp, hidden left out
      assemble: { src: DIR/frags, dest: DIR/out/chosen, regexp: '^[0-9]+-', ignore_hidden: true }
    - name: a fragment changes
      copy: { dest: DIR/frags/20-second, content: "two\\n" }
    - name: joined after the change
      assemble: { src: DIR/frags, dest: DIR/out/all, mode: "0640" }
    - name: from the controller
      assemble: { src: keys, dest: DIR/out/authorized_keys, remote_src: false }
    - name: from the controller again
      assemble: { src: keys, dest: DIR/out/authorized_keys, remote_src: false }
    - name: modes
      shell: "cd DIR/out && stat -c '%n %a' all > modes"
    - name: a missing source
      assemble: { src: DIR/nothing, dest: DIR/out/none }
      ignore_errors: true
`

describe('assemble joins fragments as Ansible does', () => {
  it('reads Python escapes in the delimiter and adds the missing newlines', () => {
    expect(escapeDecode('# \\x41\\t\\101\\n\\q')).toEqual(Buffer.from('# A\tA\n\\q'))
    const f = (name: string, text: string) => ({ name, bytes: Buffer.from(text) })
    expect(assembleFragments([f('b', 'B'), f('a', 'A\n'), f('c', 'C')], { delimiter: '--', ignore_hidden: false }).toString()).toBe('A\n--\nB\n--\nC')
  })
})

describe.skipIf(!haveAnsible)('assemble, as ansible-playbook', () => {
  it('leaves the same files and reports the same statuses', async () => {
    const { ansible, pgha } = await bothSides(`    - name: out\n      file: { path: DIR/out, state: directory }\n${TASKS}`, { seed: SEED })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(statuses(pgha).slice(1)).toEqual([
      'joined: changed', 'joined again: ok', 'with a delimiter: changed', 'chosen by regexp, hidden left out: changed', 'a fragment changes: changed',
      'joined after the change: changed', 'from the controller: changed', 'from the controller again: ok', 'modes: changed', 'a missing source: failed',
    ])
    expect(pgha.files['out/delimited']).toBe('hidden\n### part\t(x)\none\n### part\t(x)\ntwo without newline\n### part\t(x)\nthree\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 300_000)
})
