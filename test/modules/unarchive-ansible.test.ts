// unarchive's mode and its older `copy` option (copy: false is remote_src: true), run by ansible-playbook and
// by pgha on local files: the same status per task, and the same modes on what was unpacked.
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: an archive on the host
      shell: "cd DIR && mkdir -p src/top/sub out && echo hi > src/top/sub/f && chmod 0600 src/top/sub/f && tar -czf a.tar.gz -C src top && rm -r src"
    - name: unpacked from the host (copy false) with a mode
      unarchive: { src: DIR/a.tar.gz, dest: DIR/out, copy: false, mode: "0750" }
    - name: unpacked again is unchanged
      unarchive: { src: DIR/a.tar.gz, dest: DIR/out, copy: no, mode: "0750" }
    - name: what is left
      shell: "cd DIR/out && stat -c '%n %a' top top/sub top/sub/f > ../modes && rm ../a.tar.gz"
`

describe.skipIf(!haveAnsible)('unarchive: mode and copy, as ansible-playbook', () => {
  it('reports the same status per task and leaves the same modes', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    const status = (s: typeof ansible) => statuses(s)
    expect(status(pgha)).toEqual(status(ansible))
    expect(status(pgha)).toEqual([
      'an archive on the host: changed',
      'unpacked from the host (copy false) with a mode: changed',
      'unpacked again is unchanged: ok',
      'what is left: changed',
    ])
    expect(pgha.files.modes).toBe('top 750\ntop/sub 750\ntop/sub/f 750\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
