// lineinfile run by ansible-playbook and by pgha on the same local files: each task's changed status, its
// diff and the bytes left behind must agree, over search_string (replace, insert when absent, remove, the
// first match with firstmatch) and the cases where Ansible's present() looks for the exact line only after
// regexp/search_string found nothing (an exact copy elsewhere is not added again; its ending is rewritten).
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const SEED = {
  'hosts': '127.0.0.1 localhost\n# 127.0.0.1 old\n10.0.0.1 db\n',
  'ssh': 'PermitRootLogin yes\nPort 22\nPermitRootLogin yes # again\n',
  'php': '<FilesMatch ".php[45]?$">\n  SetHandler x\n</FilesMatch>\n',
  'exact': 'a=1\nkeep\nb=2',
  'crlf': 'one\r\ntwo\r\n',
}

const TASKS = `
    - name: search_string replaces the last line containing it
      lineinfile: { path: DIR/hosts, search_string: 127.0.0.1, line: 127.0.0.1 localhost.local }
    - name: the same again is unchanged
      lineinfile: { path: DIR/hosts, search_string: 127.0.0.1, line: 127.0.0.1 localhost.local }
    - name: search_string is literal, regexp characters included
      lineinfile: { path: DIR/php, search_string: '<FilesMatch ".php[45]?$">', line: '<FilesMatch "\\.php$">' }
    - name: search_string with firstmatch replaces the first
      lineinfile: { path: DIR/ssh, search_string: PermitRootLogin, line: PermitRootLogin no, firstmatch: true }
    - name: search_string not found inserts after insertafter
      lineinfile: { path: DIR/ssh, search_string: ListenAddress, line: ListenAddress 0.0.0.0, insertafter: '^Port' }
    - name: not found again is unchanged (the exact line is there)
      lineinfile: { path: DIR/ssh, search_string: ListenAddress, line: ListenAddress 0.0.0.0, insertafter: '^Port' }
    - name: search_string absent removes every line containing it
      lineinfile: { path: DIR/hosts, search_string: 127.0.0.1, state: absent }
    - name: search_string absent with nothing left is unchanged
      lineinfile: { path: DIR/hosts, search_string: 127.0.0.1, state: absent }
    - name: regexp with firstmatch replaces the first match
      lineinfile: { path: DIR/ssh, regexp: '^PermitRootLogin', line: PermitRootLogin prohibit-password, firstmatch: true }
    - name: regexp unmatched but the exact line present is unchanged
      lineinfile: { path: DIR/exact, regexp: '^c=', line: keep }
    - name: an exact last line without its newline gets one
      lineinfile: { path: DIR/exact, line: b=2 }
    - name: an exact CRLF line is rewritten with LF
      lineinfile: { path: DIR/crlf, line: one }
    - name: check mode on a missing search_string line
      lineinfile: { path: DIR/exact, search_string: zzz, line: zzz=1 }
      check_mode: true
`

describe.skipIf(!haveAnsible)('lineinfile search_string and present() order, as Ansible writes them', () => {
  it('reports the same status and diff per task and leaves the same bytes', async () => {
    const { ansible, pgha } = await bothSides(TASKS, { seed: SEED })
    expect(statuses(pgha)).toEqual(statuses(ansible))
    expect(statuses(ansible).filter((s) => s.endsWith(': ok'))).toEqual([
      'the same again is unchanged: ok',
      'not found again is unchanged (the exact line is there): ok',
      'search_string absent with nothing left is unchanged: ok',
      'regexp unmatched but the exact line present is unchanged: ok',
    ])
    const diffs = (s: typeof ansible) => s.tasks.filter((t) => !t.failed).map((t) => t.diff.filter((d) => d.before !== d.after))
    expect(diffs(pgha)).toEqual(diffs(ansible))
    expect(pgha.files.ssh).toBe('PermitRootLogin prohibit-password\nPort 22\nListenAddress 0.0.0.0\nPermitRootLogin yes # again\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
