// Role argument specs check values with Ansible's conversions: what each type accepts and refuses, list
// elements and dict suboptions, choices, required options, and variables set only at run time.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { Problems } from '../../src/playbook/problems.js'
import { readArgumentSpecs } from '../../src/playbook/roles/argument-spec.js'
import { validateArguments } from '../../src/playbook/index.js'
import { ansiblePython } from '../engine/ansible-oracle.js'

const at = { file: 'meta/argument_specs.yml', line: 1, col: 1 }

function check(options: Record<string, unknown>, values: Record<string, unknown>, runtime: string[] = []): string[] {
  const problems = new Problems()
  const { main } = readArgumentSpecs({ main: { options } }, at, problems)
  expect(problems.errors).toEqual([])
  return validateArguments(main, values, "role 'r'", at, () => undefined, new Set(runtime)).map((p) => p.message)
}

describe('argument spec types', () => {
  // [type, accepted values, refused values]: what Ansible's ArgumentSpecValidator says of each (the
  // differential test below asks it when ansible-core is installed).
  const TABLE: [string, unknown[], unknown[]][] = [
    ['str', ['x', 5, true, ['a'], { a: 1 }], []],
    ['path', ['/etc/x', '~/y', ['a']], []],
    ['int', [5, '42', '-3', true], ['4.5', 'x', 4.5]],
    ['float', [4.5, '1e3', 7], ['x', [1]]],
    ['bool', [true, 'yes', 'Off', 1, '0', 'y'], ['maybe', 2, ['yes']]],
    ['list', [['a'], 'a,b', 3, true], [{ a: 1 }]],
    ['dict', [{ a: 1 }, '{"a": 1}', 'a=1, b=2'], ['just words', 5, ['a']]],
    ['raw', [1, 'x', [1], { a: 1 }], []],
  ]
  it.each(TABLE)('%s accepts what Ansible converts and refuses the rest', (type, good, bad) => {
    for (const v of good) expect(check({ o: { type } }, { o: v }), `${type} ${JSON.stringify(v)}`).toEqual([])
    for (const v of bad) expect(check({ o: { type } }, { o: v }), `${type} ${JSON.stringify(v)}`).toHaveLength(1)
  })

  it('checks list elements, dict suboptions, choices, and what is required', () => {
    const users = { type: 'list', elements: 'dict', options: { name: { type: 'str', required: true }, uid: { type: 'int' } } }
    expect(check({ users }, { users: [{ name: 'a', uid: '7' }, { uid: 'x', shell: 1 }] })).toEqual([
      "argument 'users' of role 'r', item 2 has no suboption 'shell'",
      "argument 'users' of role 'r', item 2 requires suboption 'name'",
      "argument 'users' of role 'r', item 2, suboption 'uid': expected an integer, got the string \"x\"",
    ])
    expect(check({ ports: { type: 'list', elements: 'int' } }, { ports: '1,x' })).toEqual([
      "argument 'ports' of role 'r', item 2: expected an integer, got the string \"x\"",
    ])
    expect(check({ mode: { choices: ['fast', 'safe'] } }, { mode: 'fats' })).toEqual([
      "argument 'mode' of role 'r': expected one of 'fast', 'safe', got the string \"fats\" (did you mean 'fast'?)",
    ])
    expect(check({ port: { type: 'int', required: true } }, {})).toEqual(["role 'r' requires argument 'port' (argument_specs at meta/argument_specs.yml:1:1)"])
    expect(check({ port: { type: 'int', required: true } }, {}, ['port'])).toEqual([])
  })

  it('never shows a no_log value, and leaves templated values to run time', () => {
    expect(check({ secret: { type: 'int', no_log: true } }, { secret: 'hunter2' })).toEqual([
      "argument 'secret' of role 'r': expected an integer, got a value (not shown: no_log)",
    ])
    expect(check({ port: { type: 'int' } }, { port: '{{ pg_port }}' })).toEqual([])
  })
})

const PYTHON_CHECK = `
import json, sys
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
out = []
for t, v in json.load(sys.stdin):
    r = ArgumentSpecValidator({'o': {'type': t}}).validate({'o': v})
    out.append(not r.error_messages)
print(json.dumps(out))
`

describe.skipIf(!ansiblePython)('argument spec types as Ansible checks them', () => {
  it('agrees with ArgumentSpecValidator on every value of the table', () => {
    const cases: [string, unknown][] = [
      ['str', ['a']], ['int', true], ['int', '4.5'], ['int', 4.5], ['float', '1e3'], ['bool', 'Off'], ['bool', 2], ['list', 'a,b'],
      ['list', 3], ['list', { a: 1 }], ['dict', 'a=1, b=2'], ['dict', 'just words'], ['dict', '{"a": 1}'], ['path', ['a']],
    ]
    const r = spawnSync(ansiblePython!, ['-c', PYTHON_CHECK], { input: JSON.stringify(cases), encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const theirs = JSON.parse(r.stdout) as boolean[]
    const mine = cases.map(([type, v]) => check({ o: { type } }, { o: v }).length === 0)
    expect(mine).toEqual(theirs)
  })
})
