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

describe('lineinfile search_string', () => {
  it('matches literally, replacing the last line containing it (the first with firstmatch)', () => {
    expect(present('a.b 1\naxb 2\na.b 3\n', p({ search_string: 'a.b', line: 'n' }))).toBe('a.b 1\naxb 2\nn\n')
    expect(present('a.b 1\naxb 2\na.b 3\n', p({ search_string: 'a.b', line: 'n', firstmatch: true }))).toBe('n\naxb 2\na.b 3\n')
    expect(absent('a.b 1\naxb 2\na.b 3\n', p({ search_string: 'a.b', state: 'absent' }))).toBe('axb 2\n')
  })
  it.each([
    [{ search_string: 'a', regexp: 'a', line: 'x' }, 'regexp and search_string are exclusive'],
    [{ search_string: 'a', backrefs: true, line: 'x' }, 'backrefs and search_string are exclusive'],
  ])('refuses %o before any host is contacted', (o, message) => {
    expect(() => p(o)).toThrow(message)
  })
  it('state=absent accepts search_string alone', () => {
    expect(p({ search_string: 'a', state: 'absent' }).search_string).toBe('a')
  })
})
