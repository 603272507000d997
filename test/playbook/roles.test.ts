// Roles as the loader reads them: `roles:` entries (names, role:/name:, parameters, keywords), where a
// role is found (roles/ next to the playbook, ansible.cfg's roles_path, ANSIBLE_ROLES_PATH, a path), the
// layout of its files, dependencies, import_role and include_role, handlers in Ansible's order, and every
// mistake reported at its file:line:col before anything runs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { loadPlaybook, walkPlay, type IncludeRole, type Play, type RoleNode, type Task, type TaskNode } from '../../src/playbook/index.js'
import { testModules } from './registry.js'

const fixtures = resolve(__dirname, '../fixtures/roles')

/** A throwaway project: files written under a temp dir. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-roles-'))
  dirs.push(dir)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  vi.unstubAllEnvs()
})

const loadIn = (dir: string, file = 'site.yml') => loadPlaybook(join(dir, file), testModules)

/** The problems a load reports, as `file:line:col: message` with files relative to `dir`. */
function problemsIn(dir: string, file = 'site.yml'): string[] {
  try {
    loadIn(dir, file)
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    return err.errors.map((e) => `${e.loc ? `${relative(dir, e.loc.file)}:${e.loc.line}:${e.loc.col}` : '-'}: ${e.message}`)
  }
  throw new Error(`${file} loaded without errors`)
}

/** Every task of a play in the order the play runs them, by display name. */
const taskNames = (nodes: readonly TaskNode[]): string[] => [...walkPlay({ preTasks: [], tasks: [...nodes], postTasks: [], handlers: [] } as unknown as Play)]
  .filter((n): n is Task => n.kind === 'task').map((t) => t.displayName)

const play = (roles: string, tasks = '[]') => `- hosts: all\n  gather_facts: false\n  roles: ${roles}\n  tasks: ${tasks}\n`
const role = (name: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`roles/${name}/${k}`, v]))
const debugTask = (name: string) => `- name: ${name}\n  debug: { msg: ${name} }\n`

describe('roles: entries', () => {
  it('takes a name, role: or name:, with parameters apart from keywords, and puts the roles before the tasks', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1') }),
      ...role('b', { 'tasks/main.yml': debugTask('b1') }),
      'site.yml': play('[a, {role: b, pg_port: 5432, vars: {x: 1}, when: "go", tags: [t], become: true}, {name: a, other: 1}]', `[{name: own, debug: {msg: own}}]`),
    })
    const [p] = loadIn(dir).plays
    expect(taskNames(p.tasks)).toEqual(['a : a1', 'b : b1', 'a : a1', 'own'])
    const b = p.tasks[1] as RoleNode
    expect(b.runs.role).toMatchObject({ name: 'b', path: join(dir, 'roles/b'), params: { pg_port: 5432 }, keywordVars: { x: 1 } })
    const [b1] = b.tasks as Task[]
    expect(b1).toMatchObject({ become: true, tags: ['t'] })
    expect(b1.when.map((c) => c.expr)).toEqual(['go'])
    expect(b1.role?.role).toBe(b.runs.role)
    expect(p.roles.map((r) => r.name)).toEqual(['a', 'b', 'a'])
  })

  it("hands a role's keywords to its dependencies' tasks too, and loads each dependency once per parameters", () => {
    const [p] = loadPlaybook(join(fixtures, 'dependencies.yml'), testModules).plays
    const web = p.tasks[0] as RoleNode
    expect(web.dependencies.map((d) => [d.runs.role.name, d.runs.role.params])).toEqual([['common', {}], ['common', { flavor: 'extra' }]])
    // the plain `common` of web's meta and of the play's roles: are one role (Ansible's role cache)
    expect((p.tasks[1] as RoleNode).runs.role).toBe(web.dependencies[0].runs.role)
    expect(web.dependencies[0].runs.chain.map((r) => r.name)).toEqual(['web'])
    const [twiceA, twiceB] = [p.tasks[2], p.tasks[3]] as RoleNode[]
    expect(twiceA.runs.role).toBe(twiceB.runs.role)
    expect(twiceA.runs.role.allowDuplicates).toBe(true)
  })

  it('reports a missing role, a templated or old-style name, and an entry without a name, where they are written', () => {
    const dir = tree({ 'site.yml': play('[nothere, "{{ r }}", "x,1.0", {port: 1}, [a]]') })
    const found = problemsIn(dir)
    expect(found[0]).toMatch(/^site\.yml:3:11: role 'nothere' not found \(looked in .*roles.*, and for the name as a path\)$/)
    expect(found.slice(1)).toEqual([
      'site.yml:3:20: an entry of roles must name its role literally; use include_role for a templated name',
      "site.yml:3:31: old-style role requirement 'x,1.0' in an entry of roles: write the role's name (or {role: NAME, param: value})",
      "site.yml:3:40: an entry of roles needs the role's name (role: NAME), got nothing",
      "site.yml:3:51: an entry of roles must be a role's name or a mapping with role:, got a list",
    ])
  })

  it('refuses keywords Ansible takes on a role that pgha does not, rather than reading them as parameters', () => {
    const dir = tree({ ...role('a', { 'tasks/main.yml': debugTask('a1') }), 'site.yml': play('[{role: a, become_method: su, port: 22}]') })
    expect(problemsIn(dir)).toEqual([
      "site.yml:3:36: become_method 'su' is not supported: pgha becomes through sudo (become_method: sudo)",
      'site.yml:3:40: port is not supported: set ansible_port for the hosts (in the inventory, host_vars or group_vars)',
    ])
  })
})

describe('where roles are found', () => {
  it('in roles/ next to the playbook before the roles path, then the playbook directory, then as a path', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('next to the playbook') }),
      'path/a/tasks/main.yml': debugTask('from the roles path'),
      'path/only/tasks/main.yml': debugTask('only in the roles path'),
      'here/tasks/main.yml': debugTask('in the playbook directory'),
      'elsewhere/deep/tasks/main.yml': debugTask('by path'),
      'site.yml': play(`[a, only, here, elsewhere/deep, ${JSON.stringify(join(tmpdir(), 'missing-role'))}]`),
    })
    vi.stubEnv('ANSIBLE_ROLES_PATH', join(dir, 'path'))
    expect(problemsIn(dir).map((p) => p.replace(/\(looked in .*/, ''))).toEqual([`site.yml:3:42: role '${join(tmpdir(), 'missing-role')}' not found `])
    rmSync(join(dir, 'site.yml'))
    writeFileSync(join(dir, 'site.yml'), play('[a, only, here, elsewhere/deep]'))
    const [p] = loadIn(dir).plays
    expect(taskNames(p.tasks)).toEqual(['a : next to the playbook', 'only : only in the roles path', 'here : in the playbook directory', 'elsewhere/deep : by path'])
  })

  it("in roles_path of an ansible.cfg next to the playbook, relative to that file, unless ANSIBLE_ROLES_PATH says otherwise", () => {
    const dir = tree({
      'ansible.cfg': '# a comment\n[defaults]\nroles_path = ./shared:~/nowhere ; inline comment\n[other]\nroles_path = wrong\n',
      'shared/cfg/tasks/main.yml': debugTask('from ansible.cfg'),
      'env/cfg/tasks/main.yml': debugTask('from the environment'),
      'site.yml': play('[cfg]'),
    })
    vi.stubEnv('ANSIBLE_ROLES_PATH', '')
    vi.stubEnv('ANSIBLE_CONFIG', '')
    expect(taskNames(loadIn(dir).plays[0].tasks)).toEqual(['cfg : from ansible.cfg'])
    vi.stubEnv('ANSIBLE_ROLES_PATH', join(dir, 'env'))
    expect(taskNames(loadIn(dir).plays[0].tasks)).toEqual(['cfg : from the environment'])
  })

  it("a dependency also in the directory of the role that depends on it", () => {
    const dir = tree({
      'lib/outer/meta/main.yml': 'dependencies: [inner]\n',
      'lib/outer/tasks/main.yml': debugTask('outer'),
      'lib/inner/tasks/main.yml': debugTask('inner'),
      'site.yml': play('[lib/outer]'),
    })
    expect(taskNames(loadIn(dir).plays[0].tasks)).toEqual(['inner : inner', 'lib/outer : outer'])
  })
})

describe("a role's files", () => {
  it('main.yml before main.yaml, main without an extension, a vars directory merged in name order', () => {
    const dir = tree({
      ...role('layout', { 'tasks/main.yaml': debugTask('yaml'), 'vars/main/b.yml': 'x: b\ny: b\n', 'vars/main/a.yml': 'x: a\nz: a\n', 'defaults/main': 'd: bare\n' }),
      ...role('both', { 'tasks/main.yml': debugTask('yml'), 'tasks/main.yaml': debugTask('yaml') }),
      'site.yml': play('[layout, both]'),
    })
    const [layout, both] = loadIn(dir).plays[0].tasks as RoleNode[]
    expect(taskNames([layout, both])).toEqual(['layout : yaml', 'both : yml'])
    expect(layout.runs.role.vars).toEqual({ x: 'b', y: 'b', z: 'a' })
    expect(layout.runs.role.defaults).toEqual({ d: 'bare' })
  })

  it('reports a missing tasks_from file and one leading out of the role, at the option', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1'), 'vars/main.yml': 'v: 1\n' }),
      'site.yml': play('[]', '[{import_role: {name: a, tasks_from: nope}}, {import_role: {name: a, vars_from: ../../x}}]'),
    })
    const found = problemsIn(dir)
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^site\.yml:4:47: no file 'nope' in .*roles\/a\/tasks \(tried nope, nope\.yml, nope\.yaml, nope\.json\)$/)
    expect(found[1]).toBe("site.yml:4:90: vars_from must name a file inside the role's vars/ directory, got '../../x'")
  })

  it("reports unknown keys of meta/main.yml and a dependency cycle", () => {
    const dir = tree({
      ...role('a', { 'meta/main.yml': 'dependencies: [b]\nallow_duplicate: true\n', 'tasks/main.yml': debugTask('a1') }),
      ...role('b', { 'meta/main.yml': 'dependencies:\n  - role: a\n', 'tasks/main.yml': debugTask('b1') }),
      'site.yml': play('[a]'),
    })
    expect(problemsIn(dir)).toEqual([
      "roles/a/meta/main.yml:2:1: unknown key 'allow_duplicate' in a role's meta (did you mean 'allow_duplicates'?)",
      'roles/b/meta/main.yml:2:11: role dependency cycle: a -> b -> a',
    ])
  })
})

describe('import_role and include_role', () => {
  it('import_role puts the role in place with its keywords on every task; its handlers follow the play\'s', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1'), 'handlers/main.yml': debugTask('a handler') }),
      ...role('b', { 'tasks/main.yml': debugTask('b1'), 'handlers/main.yml': debugTask('b handler') }),
      'site.yml': `- hosts: all
  roles: [b]
  tasks:
    - import_role: { name: a }
      when: go
      tags: [x]
      become: true
  handlers:
    - name: own
      debug: { msg: own }
`,
    })
    const [p] = loadIn(dir).plays
    const a1 = (p.tasks[1] as RoleNode).tasks[0] as Task
    expect(a1).toMatchObject({ displayName: 'a : a1', become: true, tags: ['x'] })
    expect(a1.when.map((c) => c.expr)).toEqual(['go'])
    expect(p.handlers.map((h) => h.displayName)).toEqual(['b : b handler', 'own', 'a : a handler'])
    expect(p.roles.map((r) => r.name)).toEqual(['b', 'a'])
  })

  it('include_role is preloaded when literal, with its vars (as include parameters) and apply handed down; its own tags stay its own', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1') }),
      'site.yml': play('[]', `
    - include_role:
        name: a
        apply: { tags: [applied], become: true }
      vars: { v: 1 }
      tags: [own]
      when: go`),
    })
    const inc = loadIn(dir).plays[0].tasks[0] as IncludeRole
    expect(inc).toMatchObject({ kind: 'include_role', roleName: 'a', public: false, allowDuplicates: true, params: { v: 1 } })
    const a1 = inc.preloaded!.tasks[0] as Task
    expect(a1).toMatchObject({ become: true, params: { v: 1 }, vars: { v: 1 } })
    // as in Ansible 2.14 (`--tags own` runs the include, not a1): test/engine/includes-ansible.test.ts
    expect([...a1.tags].sort()).toEqual(['applied'])
    expect(inc.tags).toEqual(['own'])
    expect(a1.when).toEqual([]) // the include's condition gates the include itself
  })

  it('reports misuse of import_role and include_role options at their position', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1') }),
      'site.yml': play('[]', `
    - import_role: { name: a, public: true }
      loop: [1]
    - import_role: { name: "{{ r }}" }
    - include_role: { name: a, task_from: x }
    - include_role: a`),
    })
    expect(problemsIn(dir)).toEqual([
      "site.yml:5:31: 'public' is only valid for include_role (import_role is static)",
      'site.yml:6:7: import_role cannot loop; use include_role',
      'site.yml:7:28: import_role is static and needs a literal role name and files; use include_role for templated ones',
      "site.yml:8:32: include_role has no option 'task_from' (did you mean 'tasks_from' or 'vars_from'?)",
      'site.yml:9:21: include_role needs the role\'s name (include_role: {name: ROLE}), got the string "a"',
    ])
  })
})

describe('argument_specs', () => {
  it('reports mistakes in the spec itself where they are written', () => {
    const dir = tree({
      ...role('a', {
        'tasks/main.yml': debugTask('a1'),
        'meta/argument_specs.yml': `argument_specs:
  main:
    options:
      port: { type: integer, required: true }
      mode: { type: str, choices: [a, b], default: c }
      name: { type: str, aliases: [n], descripton: x }
`,
      }),
      'site.yml': play('[a]'),
    })
    expect(problemsIn(dir)).toEqual([
      "roles/a/meta/argument_specs.yml:4:21: type 'integer' is not one pgha checks; use one of str, int, float, bool, list, dict, path, raw",
      "roles/a/meta/argument_specs.yml:5:52: the default of option 'mode': expected one of 'a', 'b', got the string \"c\"",
      "roles/a/meta/argument_specs.yml:6:26: 'aliases' in argument_specs is not supported by pgha",
      "roles/a/meta/argument_specs.yml:6:40: unknown key 'descripton' in option 'name' (did you mean 'description'?)",
    ])
  })
})

describe('collections', () => {
  it('takes collections: on a play and in a role\'s meta, and refuses a name that is not namespace.collection', () => {
    const dir = tree({
      ...role('a', { 'tasks/main.yml': debugTask('a1'), 'meta/main.yml': 'collections: [community.general]\n' }),
      'site.yml': `- hosts: all\n  collections: [community.postgresql, nocollection]\n  roles: [a]\n`,
    })
    expect(problemsIn(dir)).toEqual(["site.yml:2:39: collections must list collection names (namespace.collection), got 'nocollection'"])
  })
})

describe('the names a role\'s tasks are shown by', () => {
  it('are `role : name` for its named tasks and includes, as ansible-playbook --list-tasks and its TASK lines show them', () => {
    const dir = tree({
      'roles/r1/tasks/main.yml': '- name: named include\n  include_tasks: inc.yml\n- name: named role include\n  include_role: { name: r2 }\n- include_tasks: inc.yml\n',
      'roles/r1/tasks/inc.yml': '- name: inside\n  debug: { msg: x }\n',
      'roles/r2/tasks/main.yml': '- debug: { msg: y }\n',
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [r1]\n  tasks:\n    - name: play include\n      include_tasks: roles/r1/tasks/inc.yml\n',
    })
    const [play] = loadIn(dir).plays
    const names = [...walkPlay(play)].filter((n) => n.kind === 'include_tasks' || n.kind === 'include_role').map((n) => n.displayName)
    expect(names).toEqual(['r1 : named include', 'r1 : named role include', 'include_tasks: inc.yml', 'play include'])
  })
})

