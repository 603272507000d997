// copy with remote_src against ansible-playbook's (mrlesmithjr.netplan backs up its configurations with it,
// nginxinc.nginx installs a default configuration): a file on the host copied to another path, into a
// directory under its own name, again unchanged, after its source changed, with force: no, through a link,
// and from a missing source; the same status per task, the same files, the same modes.
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, statuses } from './ansible-differential.js'

const SEED = { 'etc/a.conf': 'alpha\n', 'etc/b.yaml': 'network: {}\n', 'bin/placeholder': '#!/bin/sh\n' }

const TASKS = `
    - name: dirs
      file: { path: "{{ item }}", state: directory }
      loop: [DIR/out, DIR/into]
    - name: executable source
      file: { path: DIR/etc/b.yaml, mode: "0750" }
    - name: copied
      copy: { src: DIR/etc/a.conf, dest: DIR/out/a.conf.bk, remote_src: true }
    - name: copied again
      copy: { src: DIR/etc/a.conf, dest: DIR/out/a.conf.bk, remote_src: true }
    - name: into a directory, under its own name, with a mode
      ansible.builtin.copy: { remote_src: yes, src: DIR/etc/b.yaml, dest: DIR/into, mode: "0640" }
    - name: a new file from an executable source
      copy: remote_src=true src=DIR/etc/b.yaml dest=DIR/out/b.new
    - name: the source changes
      copy: { dest: DIR/etc/a.conf, content: "beta\\n" }
    - name: not replaced with force no
      copy: { src: DIR/etc/a.conf, dest: DIR/out/a.conf.bk, remote_src: true, force: no }
    - name: replaced
      copy: { src: DIR/etc/a.conf, dest: DIR/out/a.conf.bk, remote_src: true, mode: "0600" }
    - name: a link to the source
      file: { src: DIR/etc/a.conf, dest: DIR/etc/link.conf, state: link }
    - name: through the link
      copy: { src: DIR/etc/link.conf, dest: DIR/out/linked, remote_src: true }
    - name: modes
      shell: "cd DIR && stat -c '%n %a' out/* into/* > modes"
    - name: a missing source
      copy: { src: DIR/etc/nothing, dest: DIR/out/none, remote_src: true }
      ignore_errors: true
`

describe.skipIf(!haveAnsible)('copy with remote_src, as ansible-playbook', () => {
  it('leaves the same files and modes and reports the same statuses', async () => {
    const { ansible, pgha } = await bothSides(TASKS, { seed: SEED })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(statuses(pgha)).toEqual([
      'dirs: changed', 'executable source: changed', 'copied: changed', 'copied again: ok', 'into a directory, under its own name, with a mode: changed',
      'a new file from an executable source: changed', 'the source changes: changed', 'not replaced with force no: ok', 'replaced: changed',
      'a link to the source: changed', 'through the link: changed', 'modes: changed', 'a missing source: failed',
    ])
    expect(pgha.files['out/a.conf.bk']).toBe('beta\n')
    expect(pgha.files['into/b.yaml']).toBe('network: {}\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 300_000)
})
