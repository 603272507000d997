// Every kind of bad input is reported with the position a user needs to fix it, all problems at once.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { load, problems } from './helpers.js'

describe('task errors', () => {
  it('reports misspelt modules, keywords and parameters, wrong types and missing parameters at once', () => {
    expect(problems('errors/tasks.yml')).toEqual([
      "errors/tasks.yml:4:7: unknown module 'copyy' (did you mean 'copy'?)",
      "errors/tasks.yml:7:7: unknown keyword 'whne' (did you mean 'when'?)",
      "errors/tasks.yml:10:7: a task runs one module, but this one also has 'ping' (after 'debug')",
      'errors/tasks.yml:11:7: task has no module (such as command, copy or template)',
      "errors/tasks.yml:14:19: module 'copy' has no parameter 'dset' (did you mean 'dest'?)",
      "errors/tasks.yml:18:9: module 'service' has no parameter 'enabld' (did you mean 'enabled'?)",
      "errors/tasks.yml:20:7: module 'template' requires parameter 'dest'",
      `errors/tasks.yml:25:18: parameter 'enabled' of module 'service': expected boolean, got the string "maybe"`,
      `errors/tasks.yml:35:16: parameter 'lines.1.n' of module 'wait_for': expected number, got the string "two"`,
      "errors/tasks.yml:37:7: invalid arguments for module 'copy': give exactly one of src and content",
      "errors/tasks.yml:40:13: module 'copy' takes key=value arguments, not 'hello'",
      'errors/tasks.yml:43:7: listen is only valid on handlers',
      "errors/tasks.yml:46:7: unknown loop 'with_itemz': pgha has no lookup 'itemz' (did you mean 'with_items'?)",
      "errors/tasks.yml:50:9: unknown keyword 'lable' in loop_control (did you mean 'label'?)",
      "errors/tasks.yml:53:15: no handler named 'restart postgres' in this play (did you mean 'restart postgresql'?)",
      "errors/tasks.yml:55:27: parameter 'state' of module 'file': expected one of 'file', 'directory', 'absent', got 'drectory' (did you mean 'directory'?)",
    ])
  })

  it('reports keyword values of the wrong type at the value, and template and condition syntax errors', () => {
    expect(problems('errors/keywords.yml')).toEqual([
      'errors/keywords.yml:5:13: when must be an expression or a list of expressions, got a mapping',
      'errors/keywords.yml:6:13: loop must be a list or a template such as "{{ packages }}", got number 3',
      'errors/keywords.yml:7:13: tags must be a string or a list of strings, got a mapping',
      'errors/keywords.yml:8:17: register must be a variable name (letters, digits, _), got the string "1bad"',
      'errors/keywords.yml:9:16: timeout must be a positive number, got number -5',
      'errors/keywords.yml:10:16: retries must be a non-negative integer, got the string "many"',
      'errors/keywords.yml:11:15: become must be true or false, got the string "perhaps"',
      'errors/keywords.yml:12:20: environment must be a mapping, got a list',
      'errors/keywords.yml:13:13: name must be a string, got a list',
      "errors/keywords.yml:16:27: template syntax error: unexpected '}', expected ')'",
      'errors/keywords.yml:17:17: syntax error in when: unexpected end of expression',
    ])
  })

  it('prints each problem with the line and a caret under the column', () => {
    let err: unknown
    try {
      load('errors/tasks.yml')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigErrors)
    const first = (err as ConfigErrors).errors[4].format().split('\n')
    expect(first[0]).toMatch(/errors\/tasks\.yml:14:19: module 'copy' has no parameter 'dset'/)
    expect(first[1]).toBe('  14 |       copy: src=a dset=/b')
    expect(first[2]).toBe(`  ${' '.repeat('14 | '.length + 18)}^`)
  })
})

describe('play errors', () => {
  it('reports a play without hosts, unknown and mistyped play keywords, and entries that are not mappings', () => {
    expect(problems('errors/play.yml')).toEqual([
      'errors/play.yml:1:3: play has no hosts (hosts: all, a group, or a pattern such as dbservers:!witness)',
      "errors/play.yml:4:3: unknown keyword 'gather_fact' in a play (did you mean 'gather_facts'?)",
      'errors/play.yml:5:11: serial must be a number of hosts or a percentage such as "30%", got the string "lots"',
      'errors/play.yml:6:24: max_fail_percentage must be a percentage from 0 to 100, got number 150',
      'errors/play.yml:7:9: vars must be a mapping, got a list',
      'errors/play.yml:8:10: tasks must be a list of tasks, got a mapping',
      'errors/play.yml:10:10: roles must be a list of roles, got the string "x"',
      'errors/play.yml:12:7: each entry of pre_tasks must be a mapping (a task), got the string "just a string"',
      'errors/play.yml:13:3: each entry of a playbook must be a play (a mapping), got the string "just a string"',
    ])
  })

  it("refuses the Ansible keywords pgha does not take, saying what to write instead", () => {
    expect(problems('errors/ansible-keywords.yml')).toEqual([
      'errors/ansible-keywords.yml:3:3: port is not supported: set ansible_port for the hosts (in the inventory, host_vars or group_vars)',
      'errors/ansible-keywords.yml:4:3: force_handlers is not supported: handlers run when the play ends without a failure; to run them before a task that may fail, put `- meta: flush_handlers` before it',
      'errors/ansible-keywords.yml:5:3: fact_path is not supported: pgha reads no local facts (facts.d); read such a file with slurp or include_vars',
      'errors/ansible-keywords.yml:6:3: gather_timeout is not supported: remove it (pgha gathers the facts in one command per host, bounded by --timeout)',
      'errors/ansible-keywords.yml:7:3: module_defaults is not supported: give the arguments on each task',
      'errors/ansible-keywords.yml:8:3: run_once is not taken on a play: set it on its tasks or blocks',
      'errors/ansible-keywords.yml:9:3: throttle is not taken on a play: set it on its tasks',
      'errors/ansible-keywords.yml:10:3: timeout is not taken on a play: set it on its tasks',
      'errors/ansible-keywords.yml:13:7: port is not supported: set ansible_port for the hosts (in the inventory, host_vars or group_vars)',
      'errors/ansible-keywords.yml:14:7: become_flags is not supported: pgha becomes with sudo -n -u USER',
    ])
  })

  it('reports an empty playbook at its first line', () => {
    expect(problems('errors/empty.yml')).toEqual(['errors/empty.yml:1:1: a playbook must be a list of plays, got nothing'])
  })

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problems('errors/yaml-syntax.yml')).toEqual([
      "errors/yaml-syntax.yml:1:4: YAML syntax error: this '[' is never closed; end the list with ']' on the same entry",
    ])
    expect(problems('errors/duplicate-key.yml')).toEqual([
      "errors/duplicate-key.yml:2:3: duplicate key 'hosts' (first set at line 1): a mapping holds each key once; remove or rename one",
    ])
  })
})

describe('import errors', () => {
  it('reports missing files at the import, and imports used where they cannot be', () => {
    expect(problems('errors/imports.yml').map((p) => p.replace(/\(looked for .*\)/, '(looked for …)'))).toEqual([
      expect.stringMatching(/^errors\/imports\.yml:1:20: cannot read .*errors\/missing\.yml: file not found$/),
      'errors/imports.yml:4:21: task file not found: no-such-file.yml (looked for …)',
      'errors/imports.yml:5:22: task file not found: also-missing.yml (looked for …)',
      'errors/imports.yml:6:21: import_tasks is static and needs a literal file name; use include_tasks for a templated one',
      'errors/imports.yml:8:7: import_tasks cannot loop; use include_tasks',
      'errors/imports.yml:9:7: import_playbook is only valid at the top level of a playbook',
      'errors/imports.yml:11:13: block has no tasks (is the list indented under it?)',
    ])
  })

  it('reports the problems of a file used twice once', () => {
    expect(problems('errors/twice.yml')).toEqual(["errors/bad-tasks.yml:4:3: unknown module 'servce' (did you mean 'service'?)"])
  })

  it('shows the chain of a cyclic import_playbook at the import that closes it', () => {
    const [cycle, ...rest] = problems('cycles/a.yml')
    expect(rest).toEqual([])
    expect(cycle).toMatch(/^cycles\/b\.yml:3:20: import cycle: \S*cycles\/a\.yml -> \S*cycles\/b\.yml -> \S*cycles\/a\.yml$/)
  })

  it('shows the chain of cyclic import_tasks', () => {
    const [cycle, ...rest] = problems('cycles/tasks.yml')
    expect(rest).toEqual([])
    expect(cycle).toMatch(/^cycles\/t2\.yml:2:17: import cycle: \S*cycles\/t1\.yml -> \S*cycles\/t2\.yml -> \S*cycles\/t1\.yml$/)
  })
})
