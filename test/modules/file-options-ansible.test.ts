// The file module's follow, modification_time/access_time (preserve, now) and SELinux contexts, run by
// ansible-playbook and by pgha on local files: the same changed and failed status per task, and the same
// modes and link targets left behind (written into a file each tool's run leaves in its dir).
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const TASKS = `
    - name: a new file, times preserved
      file: { path: DIR/a, state: touch, mode: "0640", modification_time: preserve, access_time: preserve }
    - name: touched again with the times preserved and the same mode is unchanged
      file: { path: DIR/a, state: touch, mode: "0640", modification_time: preserve, access_time: preserve }
    - name: touched again with its mode changed
      file: { path: DIR/a, state: touch, mode: "0600", modification_time: preserve, access_time: preserve }
    - name: touched again with the times (now)
      file: { path: DIR/a, state: touch }
    - name: only the access time now
      file: { path: DIR/a, state: touch, modification_time: preserve }
    - name: a link to it
      file: { path: DIR/l, src: DIR/a, state: link }
    - name: through the link (follow, the default)
      file: { path: DIR/l, state: file, mode: "0644", follow: true }
    - name: through the link again is unchanged
      file: { path: DIR/l, state: file, mode: "0644" }
    - name: an SELinux type where SELinux is not enabled is ignored
      file: { path: DIR/a, state: file, setype: etc_t, seuser: system_u }
    - name: a directory with its modification time now
      file: { path: DIR/d, state: directory, mode: "0750", modification_time: now }
    - name: a directory with its times preserved
      file: { path: DIR/d, state: directory, mode: "0750" }
    - name: what is left
      shell: "cd DIR && stat -c '%n %a %F' a d l > modes"
    - name: the link itself is not a file
      file: { path: DIR/l, state: file, mode: "0600", follow: false }
`

describe.skipIf(!haveAnsible)('file: follow, times and SELinux contexts, as ansible-playbook', () => {
  it('reports the same status per task and leaves the same modes and links', async () => {
    const { ansible, pgha } = await bothSides(TASKS)
    const status = (s: typeof ansible) => statuses(s)
    expect(status(pgha)).toEqual(status(ansible))
    expect(status(pgha)).toEqual([
      'a new file, times preserved: changed',
      'touched again with the times preserved and the same mode is unchanged: ok',
      'touched again with its mode changed: changed',
      'touched again with the times (now): changed',
      'only the access time now: changed',
      'a link to it: changed',
      'through the link (follow, the default): changed',
      'through the link again is unchanged: ok',
      'an SELinux type where SELinux is not enabled is ignored: ok',
      'a directory with its modification time now: changed',
      'a directory with its times preserved: ok',
      'what is left: changed',
      'the link itself is not a file: failed',
    ])
    const linkFailure = (s: typeof ansible) => s.tasks.find((t) => t.failed)?.msg?.replace(/\/\S+\/l\b/, 'DIR/l')
    expect(linkFailure(pgha)).toBe(linkFailure(ansible))
    expect(pgha.files.modes).toBe('a 644 regular empty file\nd 750 directory\nl 777 symbolic link\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
