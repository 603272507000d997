// `pgha doc templates` lists what templates may use, from the same tables the parser checks names against;
// `pgha doc NAME` of a module pgha lacks says what the controller's Ansible has of that name.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { modules } from '../../src/modules/index.js'
import { haveAnsible } from '../modules/ansible-differential.js'

describe('pgha doc templates', () => {
  it("lists the Jinja2 filters, tests, methods, functions and lookups, and the .hbs helpers", () => {
    const r = spawnSync(process.execPath, [BIN, 'doc', 'templates'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    const section = (title: string): string => r.stdout.split(`${title}`)[1]?.split('\n\n')[0].split(/\n\S/)[0] ?? ''
    expect(section('filters (x | name):')).toMatch(/\bregex_replace\b[\s\S]*\bto_nice_yaml\b/)
    expect(section('tests (x is name):')).toMatch(/\bversion\b/)
    expect(section('methods (x.name()):')).toMatch(/\bstartswith\b/)
    expect(section("lookups (lookup('name', ...), query('name', ...)):")).toMatch(/\bfirst_found\b[\s\S]*\bpassword\b/)
    expect(r.stdout).toMatch(/Handlebars helpers, in \.hbs template files only:\n\s+default/)
  })

  it('is named at the end of the module list', () => {
    const r = spawnSync(process.execPath, [BIN, 'doc'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/pgha doc templates\n$/)
  })

  // The built command loads each module on its first use, by the name its build recorded for it: listing
  // them loads every one, and each must answer to the name the registry gives it.
  it('lists every module of the registry, each with its description', () => {
    const r = spawnSync(process.execPath, [BIN, 'doc'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    const listed = r.stdout.split('\n\n')[0].split('\n').map((line) => /^(\S+) +(\S.*)$/.exec(line))
    expect(listed.map((m) => m?.[1]).sort()).toEqual([...modules.keys()].sort())
    for (const m of listed) expect(m?.[2]).toBe(modules.get(m![1])!.description)
  })
})

describe.skipIf(!haveAnsible)("pgha doc, of a module only the controller's Ansible has", () => {
  const doc = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, [BIN, 'doc', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })

  it('names its FQCN, collection and file, the file ansible-doc names', () => {
    const r = doc('tempfile')
    expect(r.status, r.stderr).toBe(0)
    const ansibleDoc = JSON.parse(spawnSync('ansible-doc', ['-j', 'ansible.builtin.tempfile'], { encoding: 'utf8' }).stdout) as Record<string, { doc: { filename: string } }>
    const file = ansibleDoc['ansible.builtin.tempfile'].doc.filename
    expect(r.stdout).toBe(
      `tempfile: not one of pgha's modules; the controller's Ansible has it: ansible.builtin.tempfile, from the collection ansible.builtin (${file}).\n` +
        "pgha runs it as ansible-playbook does, with that Ansible's code piped to the host's python; its parameters: ansible-doc ansible.builtin.tempfile\n",
    )
  })

  it("refuses an action plugin as a playbook's task is refused", () => {
    const r = doc('script')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("module 'script' is Ansible's action plugin ansible.builtin.script")
  })

  it('is mentioned by the module list', () => {
    const r = doc()
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain("\nAny other module runs through the controller's Ansible, when it is installed (the python of ansible-playbook on PATH): npx pgha doc <name> says whether it has one of that name.\n")
  })
})
