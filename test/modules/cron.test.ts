// cron: Ansible's edits of a crontab (named jobs, an unnamed line that gets its name, variables placed
// before or after others, disabled and special-time jobs, removal, a cron_file left empty deleted), on
// text and against ansible-playbook: a cron_file in a temp dir, and a user's crontab kept by a stand-in
// crontab(1) on the tasks' PATH, so this machine's crontabs are never touched. Same changed status for
// every task, same bytes, same check-mode diff.
import { describe, expect, it } from 'vitest'
import cron, { editCrontab } from '../../src/modules/cron.js'
import { bothSides, haveAnsible } from './ansible-differential.js'

const p = (o: Record<string, unknown>) => cron.params.parse({ name: 'backup', ...o })

describe('cron text edits', () => {
  it('adds a named job, leaves it when the same, replaces its line when it changes, removes it with its comment', () => {
    const one = editCrontab('', p({ job: '/usr/bin/backup', minute: 5 }))
    expect(one).toEqual({ lines: ['#Ansible: backup', '5 * * * * /usr/bin/backup'], changed: true })
    const text = `${one.lines.join('\n')}\n`
    expect(editCrontab(text, p({ job: '/usr/bin/backup', minute: '5' })).changed).toBe(false)
    expect(editCrontab(text, p({ job: '/usr/bin/backup', minute: '6' })).lines).toEqual(['#Ansible: backup', '6 * * * * /usr/bin/backup'])
    expect(editCrontab(`MAILTO=x\n${text}`, p({ state: 'absent' })).lines).toEqual(['MAILTO=x'])
  })
  it('names an unnamed identical line instead of adding a second one', () => {
    expect(editCrontab('0 1 * * * /bin/x\n', p({ job: '/bin/x', minute: '0', hour: '1' })).lines).toEqual(['#Ansible: backup', '0 1 * * * /bin/x'])
  })
  it('refuses white space in a time field and a line break in a job, before writing anything', () => {
    expect(() => editCrontab('', p({ job: '/bin/x', minute: '0 1' }))).toThrow(/white space/)
    expect(() => p({ job: '/bin/x\n* * * * * evil' })).toThrow(/line break/)
    expect(() => p({ job: '/bin/x', special_time: 'daily', hour: '1' })).toThrow(/time and date fields or special time/)
    expect(() => p({ job: '/bin/x', cron_file: 'jobs' })).toThrow(/must specify user/)
  })
})

// A stand-in for crontab(1): each user's crontab is a file under DIR/tabs.
const CRONTAB = `#!/bin/sh
d=DIR/tabs; mkdir -p "$d"; u=$(id -un); list=; f=
while [ $# -gt 0 ]; do case "$1" in -u) u=$2; shift 2;; -l) list=1; shift;; --) shift;; *) f=$1; shift;; esac; done
if [ -n "$list" ]; then [ -f "$d/$u" ] || { echo "no crontab for $u" >&2; exit 1; }; cat "$d/$u"; exit 0; fi
if [ "$f" = - ]; then cat > "$d/$u"; else cat "$f" > "$d/$u"; fi
`

const task = (name: string, args: string): string =>
  `    - name: ${name}\n      cron: { ${args} }\n      environment: { PATH: "DIR/bin:/usr/sbin:/usr/bin:/sbin:/bin" }\n`

describe.skipIf(!haveAnsible)('cron as ansible-playbook edits it', () => {
  it('a cron_file: the same changed status for every task, the same bytes, and the file removed once empty', async () => {
    const f = 'cron_file: DIR/jobs, user: root'
    const tasks = [
      task('add', `${f}, name: backup, job: /usr/bin/backup, minute: 5, hour: 2`),
      task('again', `${f}, name: backup, job: /usr/bin/backup, minute: "5", hour: "2"`),
      task('retime', `${f}, name: backup, job: /usr/bin/backup, minute: 5, hour: 3`),
      task('variable', `${f}, name: MAILTO, job: ops@example.com, env: true`),
      task('variable after', `${f}, name: SHELL, job: /bin/sh, env: true, insertafter: MAILTO`),
      task('daily disabled', `${f}, name: vacuum, job: "vacuumdb --all", special_time: daily, disabled: true`),
      task('remove backup', `${f}, name: backup, state: absent`),
    ].join('')
    const { ansible, pgha } = await bothSides(tasks, { seed: { 'bin/crontab': CRONTAB } })
    expect(pgha.tasks.map((t) => [t.name, t.changed, t.failed, t.msg])).toEqual(ansible.tasks.map((t) => [t.name, t.changed, t.failed, t.msg]))
    expect(pgha.files).toEqual(ansible.files)
    expect(pgha.files.jobs).toContain('#Ansible: vacuum\n#@daily root vacuumdb --all\n')
    const cleanup = [
      task('remove mailto', `${f}, name: MAILTO, env: true, state: absent`),
      task('remove shell', `${f}, name: SHELL, env: true, state: absent`),
      task('remove vacuum', `${f}, name: vacuum, state: absent`),
    ].join('')
    const seed = { 'bin/crontab': CRONTAB, jobs: ansible.files.jobs }
    const after = await bothSides(cleanup, { seed })
    expect(after.pgha.tasks.map((t) => t.changed)).toEqual(after.ansible.tasks.map((t) => t.changed))
    expect(after.pgha.files).toEqual(after.ansible.files)
    expect(after.pgha.files.jobs).toBeUndefined()
  }, 240_000)

  it("a user's crontab through crontab(1): the same changes and bytes, and the same check-mode diff", async () => {
    const u = 'user: root'
    const tasks = [
      task('add', `${u}, name: backup, job: /usr/bin/backup, minute: 5`),
      task('name existing', `${u}, name: rotate, job: /usr/sbin/logrotate, minute: 0, hour: 4`),
      task('again', `${u}, name: backup, job: /usr/bin/backup, minute: 5`),
      task('remove', `${u}, name: rotate, state: absent`),
    ].join('')
    const seed = { 'bin/crontab': CRONTAB, 'tabs/root': '0 4 * * * /usr/sbin/logrotate' }
    const { ansible, pgha } = await bothSides(tasks, { seed })
    expect(pgha.tasks.map((t) => [t.name, t.changed, t.failed, t.msg])).toEqual(ansible.tasks.map((t) => [t.name, t.changed, t.failed, t.msg]))
    expect(pgha.files).toEqual(ansible.files)
    const check = await bothSides(task('add', `${u}, name: backup, job: /usr/bin/backup, minute: 5`), { seed, check: true })
    expect(check.pgha.tasks.map((t) => [t.changed, t.diff])).toEqual(check.ansible.tasks.map((t) => [t.changed, t.diff]))
    expect(check.pgha.files).toEqual(check.ansible.files)
    expect(check.pgha.files['tabs/root']).toBe(seed['tabs/root'])
  }, 240_000)

  it('no crontab(1) on the host: the same failure, naming the same paths', async () => {
    const tasks = '    - name: add\n      cron: { user: root, name: backup, job: /usr/bin/backup, minute: 5 }\n      environment: { PATH: "DIR/empty" }\n'
    const { ansible, pgha } = await bothSides(tasks, { seed: { 'empty/.keep': '' } })
    expect(ansible.tasks[0].msg).toMatch(/^Failed to find required executable "crontab" in paths: .*empty/)
    // Each side ran in a temp dir of its own: the paths differ by its name only.
    const shown = (s: typeof pgha) => s.tasks.map((t) => [t.name, t.changed, t.failed, t.msg?.replace(/pgha-diff-(ansible|pgha)-\w+/g, 'DIR')])
    expect(shown(pgha)).toEqual(shown(ansible))
  }, 240_000)
})
