// A playbook's own modules (library/ next to the playbook and in its roles) run on the host through the
// local transport as ansible-playbook runs them: a WANT_JSON sh module and an old-style one from the
// fixture playbook, a role's module, a binary; their JSON is the registered result, check mode is theirs,
// and what they print that is not a result fails the task with what they printed.
import { chmodSync, copyFileSync, cpSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { localHosts, project, type Project } from './harness.js'

const fixture = resolve(__dirname, '../fixtures/library-modules')

/** The fixture playbook, its library/ and roles/ in a temp project. */
function fixtureProject(): Project {
  const p = project(localHosts(['h1']))
  cpSync(fixture, p.dir, { recursive: true })
  return p
}

/** The input errors of a run, as `line:col: message`. */
async function inputErrors(p: Project): Promise<string[]> {
  const err = await p.run().catch((e: unknown) => e)
  if (!(err instanceof ConfigErrors)) throw new Error(`expected input errors, got ${String(err)}`)
  return err.errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)
}

const play = (tasks: string): string => `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`

describe("a playbook's own modules", () => {
  it('runs WANT_JSON and old-style modules of library/ and a role\'s library/, their JSON the registered result', async () => {
    const p = fixtureProject()
    const marker = join(p.dir, 'marker')
    const first = await p.run({ extraVars: [`marker=${marker}`] })
    expect(first.exitCode).toBe(0)
    expect(existsSync(marker)).toBe(true)
    expect(first.results('touch').h1.result).toMatchObject({ changed: true, failed: false, msg: 'created', path: marker })
    // The k=v file keeps a value's spaces and quotes (shlex.quote), and says check mode is off as Python's False.
    expect(first.results('greet').h1.result).toMatchObject({ changed: false, greeting: "hello big 'world'", check_mode: 'False' })
    expect(first.results('helper : role module').h1.result).toMatchObject({ changed: false })
    expect(first.results('fact').h1.result.msg).toBe('yes') // the role module's ansible_facts are host facts
    expect(first.recap.h1).toMatchObject({ changed: 1, failed: 0 })
    const second = await p.run({ extraVars: [`marker=${marker}`] })
    expect(second.results('touch').h1.result).toMatchObject({ changed: false, msg: 'already there' })
    expect(second.recap.h1.changed).toBe(0)
  })

  it('gives the module _ansible_check_mode in a check run, and the module decides', async () => {
    const p = fixtureProject()
    const marker = join(p.dir, 'marker')
    const run = await p.run({ check: true, extraVars: [`marker=${marker}`] })
    expect(run.exitCode).toBe(0)
    expect(existsSync(marker)).toBe(false)
    expect(run.results('touch').h1.result).toMatchObject({ changed: true, msg: 'would create it' })
    expect(run.results('greet').h1.result).toMatchObject({ check_mode: 'True' })
  })

  it('fails the task when the module fails, exits non-zero without saying, or prints no JSON', async () => {
    const p = fixtureProject()
    p.write('site.yml', play(`
    - { name: says no, fail_politely: {}, ignore_errors: true }
    - { name: rc, exit_three: {}, ignore_errors: true }
    - { name: mumbles, mumble: {} }
`))
    const run = await p.run()
    expect(run.exitCode).toBe(2)
    expect(run.results('says no').h1.result).toMatchObject({ failed: true, msg: 'the module says no' })
    expect(run.results('rc').h1.result).toMatchObject({ failed: true, rc: 3, stdout: 'partial' })
    expect(run.results('mumbles').h1.result).toMatchObject({
      failed: true,
      msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
      module_stdout: 'this is not JSON\n',
      module_stderr: 'and neither is this\n',
      rc: 0,
    })
  })

  it('runs a binary module with the path of a JSON arguments file', async () => {
    const p = project(localHosts(['h1']), { 'site.yml': play('    - { name: echo, cat_args: { size: 3, words: [a, b] }, register: r }\n') })
    // cat as the module: it prints its arguments file, which is JSON, which becomes the result.
    p.write('library/.keep', '')
    copyFileSync('/bin/cat', join(p.dir, 'library/cat_args'))
    chmodSync(join(p.dir, 'library/cat_args'), 0o755)
    const run = await p.run()
    expect(run.exitCode).toBe(0)
    const result = run.results('echo').h1.result
    expect(result).toMatchObject({ size: 3, words: ['a', 'b'], changed: false, failed: false })
    // The echoed internal arguments are dropped from the result, as Ansible's remove_internal_keys drops them.
    expect(Object.keys(result).filter((k) => k.startsWith('_ansible_'))).toEqual([])
  })

  it('finds modules in ANSIBLE_LIBRARY and ansible.cfg library, and shadows pgha\'s own short names as Ansible does', async () => {
    const p = fixtureProject()
    p.write('ansible.cfg', '[defaults]\nlibrary = ./more\n')
    p.write('more/from_cfg', '#!/bin/sh\n# WANT_JSON\necho \'{"where": "cfg"}\'\n')
    p.write('library/ping', '#!/bin/sh\n# WANT_JSON\necho \'{"ping": "mine"}\'\n')
    p.write('site.yml', play(`
    - { name: cfg, from_cfg: {} }
    - { name: short, ping: {} }
    - { name: fqcn, ansible.builtin.ping: {} }
    - { name: legacy, ansible.legacy.ping: {} }
`))
    const run = await p.run()
    expect(run.results('cfg').h1.result.where).toBe('cfg')
    expect(run.results('short').h1.result.ping).toBe('mine')
    expect(run.results('fqcn').h1.result.ping).toBe('pong')
    expect(run.results('legacy').h1.result.ping).toBe('mine')
    // ANSIBLE_LIBRARY replaces the configuration file's setting.
    p.write('env/from_cfg', '#!/bin/sh\n# WANT_JSON\necho \'{"where": "env"}\'\n')
    vi.stubEnv('ANSIBLE_LIBRARY', join(p.dir, 'env'))
    onTestFinished(() => {
      vi.unstubAllEnvs()
    })
    expect((await p.run()).results('cfg').h1.result.where).toBe('env')
  })

  it('refuses before any host is contacted a module pgha cannot run, and names the closest for an unknown one', async () => {
    const p = fixtureProject()
    p.write('library/collection_mod.py', [
      '#!/usr/bin/python',
      'from ansible.module_utils.basic import AnsibleModule',
      'from ansible_collections.community.general.plugins.module_utils.helper import thing',
    ].join('\n'))
    p.write('library/win_thing.ps1', '#!powershell\n')
    p.write('site.yml', play(`
    - collection_mod: {}
    - win_thing: {}
    - touch_markr: { path: /tmp/x }
`))
    expect(await inputErrors(p)).toEqual([
      `5:7: pgha cannot run the module 'collection_mod' (${p.dir}/library/collection_mod.py): it imports module_utils of a collection or relative to itself, which Ansible's controller ships with the module and pgha does not`,
      `6:7: pgha cannot run the module 'win_thing' (${p.dir}/library/win_thing.ps1): it is a PowerShell module (for Windows hosts)`,
      "7:7: unknown module 'touch_markr' (did you mean 'touch_marker'?)",
    ])
  })
})

/** Whether this machine's /usr/bin/python3 can import Ansible's module_utils (Debian's ansible-core). */
const hostHasAnsible = spawnSync('/usr/bin/python3', ['-c', 'import ansible.module_utils.basic']).status === 0

describe('undefined variables with a playbook\'s own module', () => {
  it('are input errors before the first own module runs; after it, a name may be one of its facts', async () => {
    const p = fixtureProject()
    p.write('site.yml', play(`
    - debug: { msg: "{{ typo_before }}" }
    - greet: { name: x }
    - debug: { msg: "{{ set_by_module_perhaps }}" }
`))
    expect(await inputErrors(p)).toEqual([
      "5:25: undefined variable 'typo_before' in args.msg (define it in the play's vars, a vars file, the inventory or with -e)",
    ])
  })
})

describe('an AnsibleModule module of library/', () => {
  const module = [
    '#!/usr/bin/python',
    'from ansible.module_utils.basic import AnsibleModule',
    'm = AnsibleModule(argument_spec=dict(word=dict(type="str", required=True)), supports_check_mode=True)',
    'm.exit_json(changed=not m.check_mode, echoed=m.params["word"])',
  ].join('\n')

  it.runIf(hostHasAnsible)('runs where the host\'s python has ansible.module_utils, with its check mode', async () => {
    const p = project(localHosts(['h1'], '[all:vars]\nansible_python_interpreter=/usr/bin/python3\n'), {
      'library/echo_word.py': module,
      'site.yml': play('    - { name: echo, echo_word: { word: hi } }\n'),
    })
    const run = await p.run()
    expect(run.results('echo').h1.result).toMatchObject({ changed: true, failed: false, echoed: 'hi' })
    // AnsibleModule's invocation is shown from -vvv, as Ansible's callbacks show it.
    expect(run.results('echo').h1.result).not.toHaveProperty('invocation')
    const verbose = await p.run({ verbosity: 3 })
    expect(verbose.results('echo').h1.result).toMatchObject({ invocation: { module_args: { word: 'hi' } } })
    const check = await p.run({ check: true })
    expect(check.results('echo').h1.result).toMatchObject({ changed: false, echoed: 'hi' })
  })

  it('fails the task with the reason where the host\'s python has no ansible package', async () => {
    // python3 -S leaves out site-packages and dist-packages: a python without ansible on any machine.
    const p = project(localHosts(['h1']), {
      'library/echo_word.py': module,
      'python-without-ansible': '#!/bin/sh\nexec python3 -S "$@"\n',
      'site.yml': play('    - { name: echo, echo_word: { word: hi } }\n'),
    })
    chmodSync(join(p.dir, 'python-without-ansible'), 0o755)
    p.write('inventory.ini', `h1 ansible_connection=local ansible_python_interpreter=${join(p.dir, 'python-without-ansible')}\n`)
    const run = await p.run()
    expect(run.exitCode).toBe(2)
    expect(run.results('echo').h1.result.msg).toMatch(/^the module echo_word \(.*echo_word\.py\) is an Ansible module built on AnsibleModule, which imports ansible\.module_utils: the host's python has no ansible package/)
  })
})
