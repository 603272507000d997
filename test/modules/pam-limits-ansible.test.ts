// pam_limits run by ansible-playbook (community.general) and by pgha on the same local limits file: each
// task's changed status and the file's bytes must agree (a limit replaced in place, appended, use_max and
// use_min, a comment, a value already there, a new file).
import { describe, expect, it } from 'vitest'
import { bothSides, haveAnsible, statuses } from './ansible-differential.js'

const SEED = {
  'limits.conf': '# /etc/security/limits.conf\n#\n#<domain> <type> <item> <value>\n*   soft   core   0\n@admin  hard  nproc  100\npostgres - nofile 1024\n\n# End of file\n',
}

const TASKS = `
    - name: a limit replaced in place
      pam_limits: { dest: DIR/limits.conf, domain: postgres, limit_type: "-", limit_item: nofile, value: 65536 }
    - name: the same again is unchanged
      pam_limits: { dest: DIR/limits.conf, domain: postgres, limit_type: "-", limit_item: nofile, value: "65536" }
    - name: use_max keeps the larger
      pam_limits: { dest: DIR/limits.conf, domain: "@admin", limit_type: hard, limit_item: nproc, value: "50", use_max: true }
    - name: use_min takes the smaller
      pam_limits: { dest: DIR/limits.conf, domain: "@admin", limit_type: hard, limit_item: nproc, value: "20", use_min: true }
    - name: a new limit with a comment
      pam_limits: { dest: DIR/limits.conf, domain: "*", limit_type: hard, limit_item: core, value: unlimited, comment: no core limit }
    - name: a new file
      pam_limits: { dest: DIR/limits.d/10-pgha.conf, domain: postgres, limit_type: soft, limit_item: nice, value: "-5" }
`

describe.skipIf(!haveAnsible)('pam_limits, as community.general writes it', () => {
  it('reports the same status per task and leaves the same bytes', async () => {
    const { ansible, pgha } = await bothSides(TASKS, { seed: { ...SEED, 'limits.d/.keep': '' } })
    const status = (s: typeof ansible) => statuses(s, true)
    expect(status(pgha)).toEqual(status(ansible))
    expect(status(ansible).filter((s) => !s.endsWith('changed'))).toEqual(['the same again is unchanged: ok', 'use_max keeps the larger: ok'])
    expect(pgha.files['limits.conf']).toContain('@admin\thard\tnproc\t20\n')
    expect(pgha.files).toEqual(ansible.files)
  }, 240_000)
})
