// A role whose entry point has argument_specs starts, as in Ansible, with the task "Validating arguments
// against arg spec 'ENTRY'" (then ' - short_description' when the spec has one), tagged always, once per
// use: a `roles:` entry, a dependency, an import_role, an include_role, not with rolespec_validate: false.
// ansible-playbook is the oracle: --list-tasks prints the same bytes, a run shows the same TASK lines and
// the same recap. A value only the run knows (set_fact) is checked by that task, which fails as Ansible's does.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { ansibleInstalled as ansible, ansiblePlaybook, tempDir } from './ansible-oracle.js'

const FILES: Record<string, string> = {
  'inventory.ini': 'h1 ansible_connection=local\n',
  'roles/spec/meta/argument_specs.yml': [
    'argument_specs:',
    '  main:',
    '    short_description: The spec role',
    '    options:',
    '      spec_port: {type: int, required: true}',
    '  other:',
    '    options:',
    '      spec_mode: {type: str, choices: [fast, safe]}',
    '',
  ].join('\n'),
  'roles/spec/tasks/main.yml': '- name: port\n  debug: { msg: "port {{ spec_port }}" }\n',
  'roles/spec/tasks/other.yml': '- name: mode\n  debug: { msg: "mode {{ spec_mode | default(\'none\') }}" }\n',
  'roles/plain/meta/main.yml': 'dependencies:\n  - { role: spec, spec_port: 1 }\n',
  'roles/plain/tasks/main.yml': '- name: plain\n  debug: { msg: plain }\n',
  'site.yml': [
    '- hosts: all',
    '  gather_facts: false',
    '  roles:',
    '    - { role: spec, spec_port: 5432 }',
    '    - plain',
    '  tasks:',
    '    - import_role: { name: spec, tasks_from: other }',
    '      vars: { spec_mode: fast }',
    '      tags: [mode]',
    '    - import_role: { name: spec, rolespec_validate: false }',
    '      vars: { spec_port: 2 }',
    '',
  ].join('\n'),
}

function project(files: Record<string, string>): string {
  const dir = tempDir('pgha-role-validation')
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

function pgha(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'run', 'site.yml', '-i', 'inventory.ini', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function theirs(dir: string, args: string[]) {
  const r = ansiblePlaybook(['site.yml', '-i', 'inventory.ini', ...args], dir, { cwd: dir, env: { ANSIBLE_ROLES_PATH: join(dir, 'roles') } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The TASK lines, without the stars that pad them to the terminal's width. */
const taskLines = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('TASK [')).map((l) => l.replace(/ \**$/, ''))
const recapOf = (stdout: string): string[] => [...stdout.matchAll(/^(\w+)\s+: (ok=\d+)\s+(changed=\d+)\s+unreachable=\d+\s+(failed=\d+)\s+(skipped=\d+)/gm)].map((m) => m.slice(1).join(' '))

describe.skipIf(!ansible)('the argument validation task of a role, as ansible-playbook shows it', () => {
  it('--list-tasks prints the same bytes, with and without the always tag', () => {
    const dir = project(FILES)
    const listed = pgha(dir, ['--list-tasks']).stdout
    expect(listed).toContain("spec : Validating arguments against arg spec 'main' - The spec role\tTAGS: [always]")
    expect(listed).toContain("spec : Validating arguments against arg spec 'other'\tTAGS: [always, mode]")
    for (const args of [['--list-tasks'], ['--list-tasks', '--tags', 'mode'], ['--list-tasks', '--skip-tags', 'always']]) {
      const mine = pgha(dir, args)
      const ref = theirs(dir, args)
      expect(ref.code, ref.stderr).toBe(0)
      expect(mine.stdout).toEqual(ref.stdout)
      expect(mine.code).toBe(0)
    }
  })

  it('a run shows the same tasks and counts them in the same recap', () => {
    const dir = project(FILES)
    const mine = pgha(dir, [])
    const ref = theirs(dir, [])
    expect(ref.code, ref.stdout).toBe(0)
    expect(taskLines(mine.stdout)).toEqual(taskLines(ref.stdout))
    expect(taskLines(mine.stdout).filter((l) => l.includes('Validating'))).toHaveLength(3)
    expect(recapOf(mine.stdout)).toEqual(recapOf(ref.stdout))
    expect(recapOf(mine.stdout)).toEqual(['h1 ok=8 changed=0 failed=0 skipped=0'])
    expect(mine.code).toBe(0)
  })

  it('fails the task on a value only the run sets, as Ansible does, and runs nothing of the role after it', () => {
    const dir = project({
      ...FILES,
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - set_fact: { spec_port: "not a port" }\n    - include_role: { name: spec }\n',
    })
    const mine = pgha(dir, [])
    const ref = theirs(dir, [])
    expect(ref.code).toBe(2)
    expect(mine.code).toBe(2)
    expect(recapOf(mine.stdout)).toEqual(recapOf(ref.stdout))
    expect(recapOf(mine.stdout)).toEqual(['h1 ok=1 changed=0 failed=1 skipped=0'])
    expect(mine.stdout).toMatch(/TASK \[spec : Validating arguments against arg spec 'main' - The spec role\][^\n]*\nfatal: \[h1\]: FAILED! => Validation of arguments failed/)
    expect(mine.stdout).toContain(`argument 'spec_port' of role 'spec': expected an integer, got the string "not a port"`)
    expect(mine.stdout).not.toContain('TASK [spec : port]')
  })
})
