// Roles as a run plays them, on local hosts: where each variable comes from (the precedence table, the
// same values ansible-playbook gives: see roles-ansible.test.ts), dependencies once, duplicates, the play's
// order (pre_tasks and their handlers, roles, tasks, post_tasks), templates and files found in the role,
// include_role per host and in a loop, public roles, entry files, and argument_specs refusing bad input
// before any host is contacted.
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import type { EngineEvent } from '../../src/engine/index.js'
import { localHosts, project, run, type Run } from './harness.js'
import { ROLE_INVENTORY, roleFixtures } from './role-fixtures.js'

const fixtures = roleFixtures

/** Runs a playbook of test/fixtures/roles on h1 and h2, files written under a temp dir (`out`). */
async function runFixture(playbook: string, extraVars: string[] = []): Promise<{ r: Run; out: string; read: (rel: string) => string }> {
  const p = project(ROLE_INVENTORY)
  const r = await run({ playbook: join(fixtures, playbook), inventory: join(p.dir, 'inventory.ini'), extraVars: [`out=${p.dir}`, ...extraVars] })
  return { r, out: p.dir, read: p.read }
}

/** What a host printed, task by task: `task: msg` for each debug result in the order they came. */
function printed(r: Run, host: string): string[] {
  return r.events.flatMap((e: EngineEvent) => (e.type === 'host:result' && e.host === host && typeof e.result.msg === 'string' && e.status !== 'failed' && e.status !== 'included' ? [`${e.task}: ${e.result.msg}`] : []))
}

describe('where a role task\'s variables come from', () => {
  const LAYERS = ['v_default', 'v_inventory', 'v_play', 'v_role_vars', 'v_fact', 'v_param', 'v_extra']
  // One row per play of precedence.yml: the value of each variable of LAYERS, set by the highest layer
  // that sets it (the same values ansible-playbook prints).
  const TABLE: [string, string[]][] = [
    ['roles: with parameters', ['role default', 'inventory', 'play vars', 'role vars', 'set_fact', 'role param', 'extra']],
    ['include_role with vars (include parameters beat set_fact)', ['role default', 'inventory', 'inventory', 'role vars', 'include param', 'include param', 'extra']],
    ["roles: with vars (the role's vars/ beat them)", ['role default', 'inventory', 'roles vars keyword', 'role vars', 'set_fact', 'set_fact', 'extra']],
    ["import_role with vars (task vars beat the role's vars/)", ['role default', 'inventory', 'import vars', 'import vars', 'set_fact', 'set_fact', 'extra']],
  ]
  const byName = (values: string[]) => Object.fromEntries(values.map((v, i) => [LAYERS[i], v]))

  it('role default < inventory < play vars < role vars < set_fact < role params < include params < extra vars', async () => {
    const { r } = await runFixture('precedence.yml', ['v_extra=extra'])
    expect(r.exitCode).toBe(0)
    for (const host of ['h1', 'h2']) {
      const rows = printed(r, host).filter((line) => line.startsWith('prec : precedence: '))
      expect(rows.map((line) => byName(line.slice('prec : precedence: '.length).split('|')))).toEqual(TABLE.map(([, row]) => byName(row)))
    }
  })
})

describe('include parameters', () => {
  it("an include_tasks' vars rank above set_fact and the included tasks' own vars, as Ansible's include params do", async () => {
    const p = project(localHosts(['h1']), {
      'inc.yml': '- set_fact: { a: fact }\n- name: inside\n  debug: { msg: "a={{ a }}" }\n  vars: { a: task }\n',
      'site.yml': '- hosts: all\n  gather_facts: false\n  vars: { a: play }\n  tasks:\n    - include_tasks: inc.yml\n      vars: { a: inc }\n    - name: after\n      debug: { msg: "a={{ a }}" }\n',
    })
    const r = await p.run()
    expect(printed(r, 'h1')).toEqual(['inside: a=inc', 'after: a=fact'])
  })
})

describe('dependencies, duplicates and the play\'s order', () => {
  it('runs pre_tasks, dependencies before their role once per parameters, roles, tasks, handlers, post_tasks', async () => {
    const { r, read } = await runFixture('dependencies.yml')
    expect(r.exitCode).toBe(0)
    const webPath = join(fixtures, 'roles/web')
    expect(printed(r, 'h1')).toEqual([
      "pre: pre sees the roles' defaults: 8080",
      'common : common: common plain',
      'common : common: common extra',
      `web : where: web ${webPath} www 8080`,
      'twice : twice: twice 1',
      'twice : twice: twice 1',
      'common : common: common third',
      "task: tasks see the roles' vars: www",
      'web : reload web: reloading www',
      'post: post',
    ])
    // the role's template and file, found in the role's templates/ and files/
    expect(read('h1-site.conf')).toBe('port=8080 user=www greeting=hello from web\n')
    expect(read('h2-motd')).toBe('motd of the web role\n')
    expect(r.recap.h1).toMatchObject({ ok: 12, changed: 2, failed: 0 })
  })

  it('flushes the handlers pre_tasks notified before the roles run', async () => {
    const p = project(localHosts(['h1']), {
      'roles/r/tasks/main.yml': '- name: role task\n  debug: { msg: role }\n',
      'site.yml': `
- hosts: all
  gather_facts: false
  pre_tasks:
    - name: notify
      command: "true"
      notify: h
  roles: [r]
  tasks:
    - name: task
      debug: { msg: task }
  handlers:
    - name: h
      debug: { msg: handler }
`,
    })
    const r = await p.run()
    expect(r.tasks()).toEqual(['notify', 'h', 'r : role task', 'task'])
  })
})

describe('include_role and import_role', () => {
  it('per host, in a loop, with entry files, public variables after a public include, and handlers from handlers_from', async () => {
    const { r } = await runFixture('entries.yml', ['before_public=not-yet'])
    expect(r.exitCode).toBe(0)
    const common = ['entry : entry main: main main vars', 'entry : entry other: other other vars other defaults',
      'bare : bare: a main file without an extension', 'layout : layout: a b b main.yml beats main.yaml']
    const tail = ['before public: not-yet', 'common : common: common plain', 'common : common: common extra',
      `web : where: web ${join(fixtures, 'roles/web')} www 8080`, 'after public: 8080 www', 'entry : other handler: handled by other.yml',
      // the handlers of an included role join the play's, in the order the roles were included
      'web : reload web: reloading www']
    expect(printed(r, 'h1')).toEqual([...common, 'bare : bare: a main file without an extension', ...tail])
    expect(printed(r, 'h2')).toEqual([...common, 'layout : layout: a b b main.yml beats main.yaml', ...tail])
  })

  it('gives the loop variable to the role of each item, and runs a role that allows duplicates each time', async () => {
    const p = project(localHosts(['h1']), {
      'roles/r/meta/main.yml': 'allow_duplicates: false\n',
      'roles/r/tasks/main.yml': '- name: r\n  debug: { msg: "n={{ n }} item={{ item }}" }\n',
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: r }
      vars: { n: "{{ item }}" }
      loop: [1, 2]
`,
    })
    const r = await p.run()
    expect(printed(r, 'h1')).toEqual(['r : r: n=1 item=1', 'r : r: n=2 item=2'])
  })

  it('runs a role of roles: once per host when it does not allow duplicates, even listed twice', async () => {
    const p = project(localHosts(['h1']), {
      'roles/r/tasks/main.yml': '- name: r\n  debug: { msg: "once {{ role_name }}" }\n',
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [r, r, {role: r, p: 1}]\n',
    })
    const r = await p.run()
    expect(printed(r, 'h1')).toEqual(['r : r: once r', 'r : r: once r'])
  })
})

describe("a role's keywords in a run", () => {
  const files = {
    'roles/dep/tasks/main.yml': '- name: dep\n  debug: { msg: "dep {{ inventory_hostname }}" }\n',
    'roles/r/meta/main.yml': 'dependencies: [dep]\n',
    'roles/r/tasks/main.yml': '- name: first\n  debug: { msg: first }\n- name: second\n  debug: { msg: second }\n',
    'site.yml': '- hosts: all\n  gather_facts: false\n  roles:\n    - { role: r, when: "inventory_hostname == \'h1\'", tags: [web] }\n',
  }

  it("skips the role's tasks, its dependencies' too, where its when is false, and selects them by its tags", async () => {
    const p = project(localHosts(['h1', 'h2']), files)
    const r = await p.run({ tags: ['web'] })
    expect(printed(r, 'h1')).toEqual(['dep : dep: dep h1', 'r : first: first', 'r : second: second'])
    expect(r.results('r : first').h2.status).toBe('skipped')
    expect(r.results('dep : dep').h2.status).toBe('skipped')
    expect((await p.run({ skipTags: ['web'] })).tasks()).toEqual([])
  })

  it('starts at a role task named as Ansible shows it', async () => {
    const p = project(localHosts(['h1']), files)
    expect((await p.run({ startAtTask: 'r : second' })).tasks()).toEqual(['r : second'])
  })
})

describe('argument_specs', () => {
  const specPlay = (entry: string) => `- hosts: all\n  gather_facts: false\n  roles:\n    - ${entry}\n`
  /** Runs site.yml of `p` with the fixture roles on the roles path; the ConfigErrors as `line:col: message`, and the events. */
  async function refused(p: ReturnType<typeof project>, extraVars: string[] = []): Promise<{ errors: string[]; events: EngineEvent[] }> {
    vi.stubEnv('ANSIBLE_ROLES_PATH', join(fixtures, 'roles'))
    const events: EngineEvent[] = []
    const err = await run({ playbook: join(p.dir, 'site.yml'), inventory: join(p.dir, 'inventory.ini'), extraVars, onEvent: (e) => events.push(e) }).catch((e: unknown) => e)
    if (!(err instanceof ConfigErrors)) throw new Error(`expected input errors, got ${String(err)}`)
    return { errors: err.errors.map((e) => `${e.loc?.file.endsWith('site.yml') ? '' : `${e.loc?.file}:`}${e.loc?.line}:${e.loc?.col}: ${e.message}`), events }
  }
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('refuses bad role parameters before any host is contacted, each at its position', async () => {
    const p = project(localHosts(['h1']), {
      'site.yml': specPlay('{ role: spec, spec_port: "a port", spec_mode: quick, spec_enabled: maybe, spec_users: [{name: x}, {shell: /bin/sh}] }'),
    })
    const { errors, events } = await refused(p)
    expect(events).toEqual([])
    expect(errors).toEqual([
      `4:32: argument 'spec_port' of role 'spec': expected an integer, got the string "a port"`,
      `4:53: argument 'spec_mode' of role 'spec': expected one of 'fast', 'safe', got the string "quick"`,
      `4:74: argument 'spec_enabled' of role 'spec': expected a boolean, got the string "maybe"`,
      `4:105: argument 'spec_users' of role 'spec', item 2 requires suboption 'name'`,
    ])
  })

  it('refuses a missing required parameter at the role, and a bad value from the inventory where it is written', async () => {
    const p = project(localHosts(['h1', 'h2'], '[all:vars]\nspec_enabled=maybe\n'), { 'site.yml': specPlay('spec') })
    const { errors } = await refused(p)
    expect(errors).toEqual([
      `4:7: role 'spec' requires argument 'spec_port' (argument_specs at ${join(fixtures, 'roles/spec/meta/argument_specs.yml')}:5:7)`,
      `4:7: argument 'spec_enabled' of role 'spec': expected a boolean, got the string "maybe"`,
    ])
  })

  it('accepts values as Ansible converts them, from wherever they come (inventory, extra vars, set_fact)', async () => {
    vi.stubEnv('ANSIBLE_ROLES_PATH', join(fixtures, 'roles'))
    const p = project(localHosts(['h1'], '[all:vars]\nspec_enabled=yes\n'), { 'site.yml': specPlay('{ role: spec, spec_users: [{name: a}] }') })
    const r = await p.run({ extraVars: ['spec_port=5432'] })
    expect(r.exitCode).toBe(0)
    // the role's first task, Ansible's validation of the same arguments, passes too
    expect(printed(r, 'h1')).toEqual(["spec : Validating arguments against arg spec 'main' - a role with typed parameters: The arg spec validation passed", 'spec : spec: port 5432'])
  })
})
