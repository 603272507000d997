// Ansible lineinfile semantics on text, the cases the fixtures do not spell out.
import { describe, expect, it } from 'vitest'
import lineinfile, { present, absent } from '../../src/modules/lineinfile.js'

const p = (o: Record<string, unknown>) => lineinfile.params.parse({ path: '/x', ...o })

describe('lineinfile text edits', () => {
  it.each([
    ['replaces the last regexp match', 'a=1\na=2\nb\n', { regexp: '^a=', line: 'a=3' }, 'a=1\na=3\nb\n'],
    ['does not duplicate an exact line', 'a\nb\n', { line: 'a' }, 'a\nb\n'],
    ['inserts before the last insertbefore match', 'x\ninclude\ny\ninclude\n', { line: 'n', insertbefore: '^include' }, 'x\ninclude\ny\nn\ninclude\n'],
    ['inserts before the first with firstmatch', 'x\ninclude\ny\ninclude\n', { line: 'n', insertbefore: '^include', firstmatch: true }, 'x\nn\ninclude\ny\ninclude\n'],
    ['appends when insertafter does not match', 'x\n', { line: 'n', insertafter: '^nothing' }, 'x\nn\n'],
    ['does not re-add after insertafter when already next', 'a\nn\n', { line: 'n', insertafter: '^a' }, 'a\nn\n'],
    ['expands named groups with backrefs', 'port = 5432\n', { regexp: '^port = (?<p>\\d+)', line: '#port \\g<p>', backrefs: true }, '#port 5432\n'],
    ['creates content in an empty file', '', { line: 'a' }, 'a\n'],
  ])('%s', (_name, text, o, expected) => {
    expect(present(text, p(o))).toBe(expected)
  })
  it('absent removes every exact or matching line', () => {
    expect(absent('a\nb\na\n', p({ line: 'a', state: 'absent' }))).toBe('b\n')
    expect(absent('a1\nb\na2', p({ regexp: '^a', state: 'absent' }))).toBe('b\n')
  })
})
