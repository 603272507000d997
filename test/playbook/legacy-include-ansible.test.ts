// Forms public roles write that Ansible 2.14 accepts, compared with ansible-playbook: a bare `include`
// (deprecated), which Ansible makes static, as import_tasks, when its file name is literal, it does not loop
// and nothing above it was included dynamically, else dynamic, and which takes task keywords either way
// (cloudalchemy's roles write `include: install.yml` with `become: true`), handing them down only when
// static; and a role's task file named from the role's top (`tasks/restart.yml`, as geerlingguy.jenkins
// names it from its handlers), which Ansible finds in the role, and a handler that is such an include.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadPlaybook, type IncludeTasks, type RoleNode, type Task } from '../../src/playbook/index.js'
import { ansibleDebugMessages, ansibleInstalled, ansiblePlaybook } from '../engine/ansible-oracle.js'
import { localHosts, project, type Project } from '../engine/harness.js'
import { BIN } from '../built.js'
import { registry } from './load-text.js'

const INCLUDES = {
  'other.yml': '- debug: msg=other\n',
  'fails.yml': '- fail: msg=failing\n- debug: msg=after\n',
  'mid.yml': '- include: other.yml\n  become: true\n',
  'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include: other.yml
      become: true
      tags: [a]
    - include: "{{ 'other.yml' }}"
      become: true
    - include: other.yml
      loop: [1]
    - include_tasks: mid.yml
    - name: named
      include: other.yml
    - block:
        - include: other.yml
          when: true
    - include: fails.yml
      ignore_errors: true
    - include: "{{ 'fails.yml' }}"
      ignore_errors: true
`,
}

function includes(): Project {
  return project(localHosts(['h1']), INCLUDES)
}

function pgha(p: Project, option: string) {
  const r = spawnSync(process.execPath, [BIN, 'run', 'site.yml', '-i', 'inventory.ini', option], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout }
}

describe('a bare include', () => {
  it('is static when its name is literal and nothing above it is dynamic; only a static one hands its keywords down', () => {
    const p = includes()
    const book = loadPlaybook(join(p.dir, 'site.yml'), registry)
    const [inlined, templated, looped, mid] = book.plays[0].tasks
    expect(inlined).toMatchObject({ kind: 'task', module: 'debug', become: true, tags: ['a'] })
    expect(templated).toMatchObject({ kind: 'include_tasks', action: 'include' })
    expect((templated as IncludeTasks).inherit.settings.become).toBeUndefined()
    expect(looped).toMatchObject({ kind: 'include_tasks', action: 'include' })
    // below include_tasks (dynamic), a literal bare include is dynamic too
    const [inner] = (mid as IncludeTasks).preloaded!
    expect(inner).toMatchObject({ kind: 'include_tasks', action: 'include' })
    expect(((inner as IncludeTasks).preloaded![0] as Task).become).toBeUndefined()
    expect((book.warnings ?? []).map((w) => `${w.loc?.line}: ${w.message}`)).toContain(
      "8: become on a dynamic 'include' does not reach the tasks it brings in, as in Ansible; give it under apply: of include_tasks",
    )
  })
})

const ROLE = {
  'roles/r/tasks/main.yml': '- include_tasks: tasks/more.yml\n- import_tasks: tasks/more.yml\n',
  'roles/r/tasks/more.yml': '- debug: msg=more\n',
  'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n',
}

describe("a role's task file named from the role's top", () => {
  it('is found in the role (tasks/more.yml from tasks/main.yml), by include_tasks and import_tasks', () => {
    const p = project(localHosts(['h1']), ROLE)
    const [play] = loadPlaybook(join(p.dir, 'site.yml'), registry).plays
    const [include, imported] = (play.tasks[0] as RoleNode).tasks
    expect(((include as IncludeTasks).preloaded![0] as Task).loc.file).toBe(join(p.dir, 'roles/r/tasks/more.yml'))
    expect((imported as Task).loc.file).toBe(join(p.dir, 'roles/r/tasks/more.yml'))
  })
})

describe.skipIf(!ansibleInstalled)('as ansible-playbook has them', () => {
  it('bare includes are listed as ansible-playbook lists them, the static ones inlined', () => {
    const p = includes()
    for (const option of ['--syntax-check', '--list-tasks']) {
      const theirs = ansiblePlaybook(['-i', 'inventory.ini', 'site.yml', option], p.dir, { cwd: p.dir })
      expect(pgha(p, option)).toEqual({ code: theirs.status, stdout: theirs.stdout })
      expect(theirs.status).toBe(0)
    }
  }, 120_000)

  it("a static bare include hands ignore_errors to its tasks, a dynamic one does not, as a run of ansible-playbook shows", async () => {
    const p = includes()
    p.write('site.yml', '- hosts: all\n  gather_facts: false\n  tasks:\n    - include: fails.yml\n      ignore_errors: true\n    - include: "{{ \'fails.yml\' }}"\n      ignore_errors: true\n')
    const theirs = ansiblePlaybook(['-i', 'inventory.ini', 'site.yml'], p.dir, { cwd: p.dir })
    const mine = await p.run()
    expect(theirs.status).toBe(2)
    expect(mine.exitCode).toBe(theirs.status)
    const msgs = mine.events.flatMap((e) => (e.type === 'host:result' && e.result.msg === 'after' ? [e.result.msg] : []))
    expect(msgs).toEqual(ansibleDebugMessages(theirs.stdout).map((m) => m.msg))
    expect(msgs).toEqual(['after'])
  }, 120_000)

  it("a role handler that is include_tasks: tasks/restart.yml runs the role's file when notified, as in Ansible", async () => {
    const p = project(localHosts(['h1']), {
      'roles/r/tasks/main.yml': '- command: "true"\n  changed_when: true\n  notify: restart r\n- command: "true"\n  changed_when: true\n  notify: "{{ \'r : restart r\' }}"\n',
      'roles/r/tasks/restart.yml': '- debug: msg=restarted\n',
      'roles/r/handlers/main.yml': '- name: restart r\n  include_tasks: tasks/restart.yml\n',
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n',
    })
    const theirs = ansiblePlaybook(['-i', 'inventory.ini', 'site.yml'], p.dir, { cwd: p.dir })
    const mine = await p.run()
    expect(theirs.status, theirs.stdout).toBe(0)
    expect(mine.exitCode).toBe(0)
    expect(ansibleDebugMessages(theirs.stdout).map((m) => m.msg)).toEqual(['restarted'])
    expect(mine.events.flatMap((e) => (e.type === 'host:result' && typeof e.result.msg === 'string' ? [e.result.msg] : []))).toEqual(['restarted'])
  }, 120_000)

  it("a role's include_tasks and import_tasks of tasks/more.yml run the role's file, as in Ansible", async () => {
    const p = project(localHosts(['h1']), ROLE)
    const theirs = ansiblePlaybook(['-i', 'inventory.ini', 'site.yml'], p.dir, { cwd: p.dir })
    const mine = await p.run()
    expect(theirs.status, theirs.stdout).toBe(0)
    expect(mine.exitCode).toBe(0)
    expect(ansibleDebugMessages(theirs.stdout).map((m) => m.msg)).toEqual(['more', 'more'])
    expect(mine.events.flatMap((e) => (e.type === 'host:result' && typeof e.result.msg === 'string' ? [e.result.msg] : []))).toEqual(['more', 'more'])
  }, 120_000)
})
