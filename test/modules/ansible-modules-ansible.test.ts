// Modules pgha has no implementation of, run through the controller's Ansible (src/modules/ansible), against
// ansible-playbook itself on this machine (connection local, each tool in its own temp dir): the same
// status per task, the same registered results (their temp dir written DIR, tempfile's random names X),
// the same files, the same messages byte for byte, for a builtin (tempfile, debconf), collection modules
// (community.general's pamd, archive, alternatives), short names Ansible routes (pamd, mysql_user),
// a module's own argument error, and check mode where the module has none.
import { describe, expect, it } from 'vitest'
import { bothSides, dirlessStatuses, haveAnsible, type Side } from './ansible-differential.js'

/** What `debug: var=NAME` in the task named `task` showed: the registered result, made comparable. */
function shown(side: Side, task: string, name: string): unknown {
  const t = side.tasks.find((x) => x.name === task)
  if (!t) throw new Error(`no task '${task}' in ${side.tasks.map((x) => x.name).join(', ')}`)
  const text = JSON.stringify(t.result[name])
  return text === undefined ? undefined : JSON.parse(text.replace(/\/[^"\s']*pgha-diff-(?:ansible|pgha)-\w+/g, 'DIR').replace(/ansible\.[\w-]{8}\b/g, 'ansible.X'))
}

/**
 * A registered result and its diff apart: a module's diff of data (not text) is kept in pgha's shape, each
 * side as Ansible's callback shows it (json.dumps, sorted keys, indent 4), so the rest is compared alone.
 */
function withoutDiff(side: Side, task: string, name: string): { rest: Record<string, unknown>; diff: unknown } {
  const { diff, ...rest } = shown(side, task, name) as Record<string, unknown>
  return { rest, diff }
}

/** Ansible's data diff as pgha shows it. */
function diffAsShown(diff: unknown): { before: string; after: string }[] {
  const { before, after } = diff as { before: Record<string, unknown>; after: Record<string, unknown> }
  const text = (v: Record<string, unknown>) => `${JSON.stringify(v, Object.keys(v).sort(), 4)}\n`
  return [{ before: text(before), after: text(after) }]
}

describe.skipIf(!haveAnsible)("modules pgha lacks, run as the controller's Ansible runs them", () => {
  it('ansible.builtin.tempfile makes a file and a directory whose registered paths exist', async () => {
    const { ansible, pgha } = await bothSides(`
    - name: a file
      tempfile: { state: file, path: DIR, suffix: .conf }
      register: f
    - name: a directory
      ansible.builtin.tempfile: { state: directory, path: DIR }
      register: d
    - name: the file is there
      command: test -f "{{ f.path }}"
    - name: the directory is there
      command: test -d "{{ d.path }}"
    - { name: show f, debug: { var: f } }
    - { name: show d, debug: { var: d } }
`)
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(dirlessStatuses(pgha).slice(0, 4)).toEqual(['a file: changed', 'a directory: changed', 'the file is there: changed', 'the directory is there: changed'])
    for (const v of ['f', 'd']) expect(shown(pgha, `show ${v}`, v)).toEqual(shown(ansible, `show ${v}`, v))
    expect(shown(pgha, 'show f', 'f')).toMatchObject({ changed: true, path: 'DIR/ansible.X.conf', state: 'file', mode: '0600' })
  }, 240_000)

  it('tempfile, which has no check mode, is skipped in a check run with the module\'s own message', async () => {
    const tasks = `
    - name: in check mode
      tempfile: { state: file, path: DIR }
      register: t
    - { name: show t, debug: { var: t } }
`
    const { ansible, pgha } = await bothSides(tasks, { check: true })
    expect(shown(pgha, 'show t', 't')).toEqual(shown(ansible, 'show t', 't'))
    expect(shown(pgha, 'show t', 't')).toMatchObject({ skipped: true, msg: 'remote module (tempfile) does not support check mode' })
    expect(Object.keys(pgha.files)).toEqual([])
  }, 240_000)

  it('ansible.builtin.debconf reads a package\'s questions, and in check mode says what it would set', async () => {
    const { ansible, pgha } = await bothSides(`
    - name: read tzdata
      debconf: { name: tzdata }
      register: q
    - { name: show q, debug: { var: q } }
    - name: set a question
      ansible.builtin.debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Antarctica }
      register: s
    - { name: show s, debug: { var: s } }
`, { check: true })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(shown(pgha, 'show q', 'q')).toEqual(shown(ansible, 'show q', 'q'))
    expect(Object.keys((shown(pgha, 'show q', 'q') as { current: object }).current)).toContain('tzdata/Areas')
    const [set, ansibleSet] = [withoutDiff(pgha, 'show s', 's'), withoutDiff(ansible, 'show s', 's')]
    expect(set.rest).toEqual(ansibleSet.rest)
    expect(set.rest).toMatchObject({ changed: true, current: { 'tzdata/Areas': 'Antarctica' } })
    expect(set.diff).toEqual(diffAsShown(ansibleSet.diff))
  }, 240_000)

  it('community.general.pamd by its short name, as Ansible routes it, edits a PAM file the same way', async () => {
    const seed = { 'pam.d/login': 'auth required pam_unix.so\naccount required pam_unix.so\n' }
    const { ansible, pgha } = await bothSides(`
    - name: control changed
      pamd: { name: login, path: DIR/pam.d, type: auth, control: required, module_path: pam_unix.so, new_control: requisite }
      register: p
    - name: again
      community.general.pamd: { name: login, path: DIR/pam.d, type: auth, control: required, module_path: pam_unix.so, new_control: requisite }
    - { name: show p, debug: { var: p } }
`, { seed })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(dirlessStatuses(pgha).slice(0, 2)).toEqual(['control changed: changed', 'again: ok'])
    // pamd stamps the file with the time of the change.
    const stamped = (text = '') => text.replace(/(# Updated by Ansible - )\S+/, '$1TIME')
    expect(stamped(pgha.files['pam.d/login'])).toBe('auth       requisite pam_unix.so\n# Updated by Ansible - TIME\naccount    required pam_unix.so\n')
    expect(stamped(pgha.files['pam.d/login'])).toBe(stamped(ansible.files['pam.d/login']))
    expect(shown(pgha, 'show p', 'p')).toEqual(shown(ansible, 'show p', 'p'))
  }, 240_000)

  it('community.general.archive archives a directory', async () => {
    const seed = { 'src/a.txt': 'a\n', 'src/b.txt': 'b\n' }
    const { ansible, pgha } = await bothSides(`
    - name: archive
      community.general.archive: { path: DIR/src, dest: DIR/out.tar, format: tar }
      register: a
    - { name: show a, debug: { var: a } }
`, { seed })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    expect(shown(pgha, 'show a', 'a')).toEqual(shown(ansible, 'show a', 'a'))
    expect(Object.keys(pgha.files).sort()).toEqual(['out.tar', 'src/a.txt', 'src/b.txt'])
  }, 240_000)

  it('community.general.alternatives in check mode, its own argument error, and mysql_user (routed to community.mysql) failing as Ansible fails without PyMySQL', async () => {
    const { ansible, pgha } = await bothSides(`
    - name: alternatives
      community.general.alternatives: { name: editor, path: /bin/ed }
      register: alt
    - { name: show alt, debug: { var: alt } }
    - name: wrong type
      community.general.alternatives: { name: editor, path: /bin/ed, priority: high }
      ignore_errors: true
    - name: mysql user
      mysql_user: { name: bob, password: "S3cret-pw", login_unix_socket: DIR/none.sock }
      ignore_errors: true
`, { check: true })
    expect(dirlessStatuses(pgha)).toEqual(dirlessStatuses(ansible))
    const [alt, ansibleAlt] = [withoutDiff(pgha, 'show alt', 'alt'), withoutDiff(ansible, 'show alt', 'alt')]
    expect(alt.rest).toEqual(ansibleAlt.rest)
    expect(alt.rest).toMatchObject({ changed: true, msg: "Install alternative '/bin/ed' for 'editor'. Set alternative '/bin/ed' for 'editor'." })
    expect(alt.diff).toEqual(diffAsShown(ansibleAlt.diff))
    expect(dirlessStatuses(pgha)[2]).toBe("wrong type: failed: argument 'priority' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int")
    expect(dirlessStatuses(pgha)[3]).toMatch(/^mysql user: failed: .*PyMySQL/)
  }, 240_000)
})
