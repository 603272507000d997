// Conditions (when, changed_when, failed_when, until, assert) are Jinja2 expressions, evaluated as
// Ansible's `{% if %}` does: Python operators, truthiness and tests, errors at file:line:col.
import { describe, expect, it } from 'vitest'
import { locOf, parseYaml } from '../../src/yaml-source.js'
import { evaluate, evaluateCondition, expressionVariables, parseExpression } from '../../src/vars/index.js'
import { errorOf } from './config-error.js'

const vars: Record<string, unknown> = {
  rc_zero: { rc: 0, stdout: 'ok\n', stdout_lines: ['ok'], stderr: '', changed: false, failed: false },
  fail_result: { rc: 1, stdout: '', stderr: 'boom', changed: true, failed: true, skipped: false },
  skipped_result: { changed: false, skipped: true },
  role: 'primary',
  port: 5432,
  version: '13',
  packages: ['flex', 'pam-devel'],
  settings: { max_connections: 100, 'shared-buffers': '128MB' },
  groups: { primary: ['node1'], standby: ['node2', 'node3'] },
  inventory_hostname: 'node2',
  empty_list: [],
  empty_map: {},
  empty: '',
  zero: 0,
  nothing: null,
  yes_string: 'yes',
}

const ev = (text: string, v = vars): unknown => evaluate(parseExpression(text), v)
const cond = (text: string, v = vars): boolean => evaluateCondition(text, v)

describe('operators', () => {
  it('compares with == != < > <= >=, deep for lists and mappings, and chains comparisons', () => {
    expect(cond('port == 5432')).toBe(true)
    expect(cond("role != 'standby'")).toBe(true)
    expect(cond('port > 5000 and port < 6000 and port >= 5432 and port <= 5432')).toBe(true)
    expect(cond('5000 < port < 6000')).toBe(true)
    expect(cond('version == 13')).toBe(false) // '13' is a string, as in Python
    expect(cond("packages == ['flex', 'pam-devel']")).toBe(true)
    expect(cond("'a' < 'b'")).toBe(true)
    expect(errorOf(() => cond('version > 12')).message).toBe("'>' not supported between instances of 'str' and 'int' in when 'version > 12'")
  })

  it('has Python precedence: not < comparisons, and < or', () => {
    expect(cond('not port == 1')).toBe(true)
    expect(cond('true or false and false')).toBe(true)
    expect(cond('(true or false) and false')).toBe(false)
    expect(cond('not zero and not empty')).toBe(true)
  })

  it('returns operand values for and/or, like Python', () => {
    expect(ev("empty or 'fallback'")).toBe('fallback')
    expect(ev('role and port')).toBe(5432)
  })

  it('tests membership in lists, strings and mapping keys, and not in', () => {
    expect(cond('inventory_hostname in groups.standby')).toBe(true)
    expect(cond("inventory_hostname in groups['primary']")).toBe(false)
    expect(cond('inventory_hostname not in groups.primary')).toBe(true)
    expect(cond("'ok' in rc_zero.stdout")).toBe(true)
    expect(cond("'max_connections' in settings")).toBe(true)
    expect(cond("'constructor' in settings")).toBe(false)
    expect(errorOf(() => cond('1 in port')).message).toMatch(/argument of type 'int' is not iterable/)
  })

  it('reads attributes, subscripts and slices, with negative indexes', () => {
    expect(ev("settings['shared-buffers']")).toBe('128MB')
    expect(ev('groups.standby[-1]')).toBe('node3')
    expect(ev("groups['standby'].0")).toBe('node2')
    expect(ev('rc_zero.stdout_lines[0]')).toBe('ok')
    expect(ev('role[0]')).toBe('p')
    expect(ev('role[1:4]')).toBe('rim')
    expect(ev('packages[::-1]')).toEqual(['pam-devel', 'flex'])
  })

  it('has string, number, boolean, None, list, tuple and dict literals', () => {
    expect(ev(`"it's" `)).toBe("it's")
    expect(ev(`'a\\'b\\n'`)).toBe("a'b\n")
    expect(ev('-1.5')).toBe(-1.5)
    expect(ev('[1, "two", [true, False], None, none,]')).toEqual([1, 'two', [true, false], null, null])
    expect(ev("{'a': 1}")).toEqual({ a: 1 })
    expect(ev('True and not False')).toBe(true)
  })

  it('treats yes/no as variables, not booleans (as Ansible does)', () => {
    expect(errorOf(() => ev('yes')).message).toMatch(/undefined variable 'yes'/)
  })

  it('uses Python truthiness', () => {
    for (const falsy of ['empty', 'zero', 'empty_list', 'empty_map', 'nothing', 'false', "''", '0', '[]', '0.0']) {
      expect(cond(falsy), falsy).toBe(false)
    }
    for (const t of ['role', 'port', 'packages', 'settings', "'0'", "'False'", 'yes_string']) expect(cond(t), t).toBe(true)
  })

  it('calls methods of strings, lists and dicts', () => {
    expect(cond("role.startswith('pri') and not role.endswith('x')")).toBe(true)
    expect(ev("rc_zero.get('rc', 9)")).toBe(0)
    expect(ev("settings.keys() | list | length")).toBe(2)
  })
})

describe('tests (is ...)', () => {
  it('defined / undefined / not defined / none, through missing parents', () => {
    expect(cond('role is defined and missing is not defined')).toBe(true)
    expect(cond('missing.deep.path is undefined')).toBe(true)
    expect(cond('settings.max_connections is defined')).toBe(true)
    expect(cond('nothing is none and role is not none')).toBe(true)
  })
  it('succeeded / failed / changed / skipped on registered results', () => {
    expect(cond('rc_zero is succeeded and rc_zero is success and rc_zero is not failed')).toBe(true)
    expect(cond('fail_result is failed and fail_result is failure and fail_result is changed')).toBe(true)
    expect(cond('skipped_result is skipped and rc_zero is not skipped and rc_zero is not changed')).toBe(true)
    expect(errorOf(() => cond('role is failed')).message).toMatch(/The 'failed' test expects a dictionary/)
  })
  it('match (anchored) and search, version comparison', () => {
    expect(cond("fail_result.stderr is match('bo+m')")).toBe(true)
    expect(cond("role is match('mary')")).toBe(false)
    expect(cond("role is search('mary')")).toBe(true)
    expect(errorOf(() => cond("role is search('(')")).message).toMatch(/invalid regular expression/)
    expect(cond("version is version('9.6', '>')")).toBe(true)
  })
})

describe('filters', () => {
  it('length/count, int, float, bool, string, lower, upper, trim', () => {
    expect(ev('packages | length')).toBe(2)
    expect(ev('settings | count')).toBe(2)
    expect(ev('role | length')).toBe(7)
    expect(cond('rc_zero.stdout_lines | length > 0')).toBe(true)
    expect(ev('version | int >= 13')).toBe(true)
    expect(ev("'12.7' | int")).toBe(12)
    expect(ev("'abc' | int")).toBe(0)
    expect(ev("'2.5' | float")).toBe(2.5)
    expect([ev("'yes' | bool"), ev("'On' | bool"), ev("'no' | bool"), ev('1 | bool'), ev('false | bool')]).toEqual([true, true, false, true, false])
    expect(ev('port | string')).toBe('5432')
    expect(ev('nothing | string')).toBe('None')
    expect(ev("'  MiXed ' | trim | lower")).toBe('mixed')
    expect(ev('role | upper')).toBe('PRIMARY')
  })
  it('default replaces undefined (and falsy with true), first, last, join', () => {
    expect(ev("missing | default('x')")).toBe('x')
    expect(ev('missing.deep | d(5)')).toBe(5)
    expect(ev("empty | default('x')")).toBe('')
    expect(ev("empty | default('x', true)")).toBe('x')
    expect(ev('packages | first')).toBe('flex')
    expect(ev('groups.standby | last')).toBe('node3')
    expect(ev("packages | join(',')")).toBe('flex,pam-devel')
  })
  it('binds tighter than comparisons and unary minus', () => {
    expect(ev('-port | int')).toBe(-5432)
    expect(cond("packages | length == 2 and role | upper == 'PRIMARY'")).toBe(true)
  })
})

describe('errors name file:line:col', () => {
  it('an undefined variable, by its root when the root is missing', () => {
    const doc = parseYaml('- name: t\n  when: result.rc == 0 and missing_var.x\n', 'play.yml') as Record<string, unknown>[]
    const task = doc[0]
    const err = errorOf(() => evaluateCondition(task.when as string, { result: { rc: 0 } }, locOf(task, 'when')))
    expect(err.message).toBe("undefined variable 'missing_var' in when")
    expect(err.loc).toEqual({ file: 'play.yml', line: 2, col: 28 })
  })

  it('an undefined attribute of a defined variable, by its path', () => {
    const err = errorOf(() => evaluateCondition('rc_zero.nope == 1', vars, undefined, 'changed_when'))
    expect(err.message).toBe("undefined variable 'rc_zero.nope' in changed_when 'rc_zero.nope == 1'")
  })

  it('a syntax error at the offending token, offset in a quoted scalar', () => {
    const doc = parseYaml(`when: "port == 5432 and )"\n`, 'syn.yml') as Record<string, unknown>
    const err = errorOf(() => parseExpression(doc.when as string, locOf(doc, 'when')))
    expect(err.message).toBe("syntax error in when: unexpected ')'")
    expect(err.loc).toEqual({ file: 'syn.yml', line: 1, col: 25 })
  })

  it('unknown filters, tests and functions at parse time, and other syntax errors', () => {
    expect(errorOf(() => parseExpression('x | shufle')).message).toBe("syntax error in when 'x | shufle': unknown filter 'shufle' (did you mean 'shuffle'?)")
    expect(errorOf(() => parseExpression('x | frobnicate')).message).toMatch(/unknown filter 'frobnicate' \('pgha doc templates' lists the filters\)/)
    expect(errorOf(() => parseExpression('x is evne')).message).toMatch(/unknown test 'evne' \(did you mean 'even'\?\)/)
    expect(errorOf(() => parseExpression('system("id")')).message).toMatch(/unknown function 'system'/)
    expect(errorOf(() => parseExpression("role.frobnicate('p')")).message).toMatch(/'frobnicate' is not a method pgha knows/)
    expect(errorOf(() => parseExpression('port ==')).message).toMatch(/unexpected end of expression/)
    expect(errorOf(() => parseExpression("'open")).message).toMatch(/the quote is never closed/)
    expect(errorOf(() => parseExpression('a ; b')).message).toMatch(/unexpected ';'/)
    expect(errorOf(() => parseExpression('a && b')).message).toMatch(/'&&' is not an operator in Jinja2; use 'and'/)
    expect(errorOf(() => parseExpression('  ')).message).toMatch(/empty expression/)
  })

  it('a statement or comment tag inside a condition, with the way to write it', () => {
    const err = errorOf(() => parseExpression('{% if x %}1{% endif %} == 1', { file: 'c.yml', line: 3, col: 11 }))
    expect(err.message).toMatch(/a condition is a Jinja2 expression: write it without \{% %\}/)
    expect(err.loc).toEqual({ file: 'c.yml', line: 3, col: 11 })
  })

  it('a value inside {{ }} that is not a literal, at its {{', () => {
    const loc = { file: 'c.yml', line: 3, col: 11 }
    expect(evaluateCondition('{{ port }} == 5432', { port: '5432' }, loc)).toBe(true)
    const err = errorOf(() => evaluateCondition('x or {{ port }} == 5432', { x: false, port: 'x or y' }, loc))
    expect(err.message).toMatch(/^a \{\{ \}\} in this condition gives "x or y", which is not a literal/)
    expect(err.loc).toEqual({ file: 'c.yml', line: 3, col: 16 })
  })

  it('offsets positions of an expression written over several lines', () => {
    const doc = parseYaml('when: >-\n  port == 5432\n  and nope\n', 'fold.yml') as Record<string, unknown>
    const err = errorOf(() => evaluateCondition(doc.when as string, vars, locOf(doc, 'when')))
    expect(err.message).toBe("undefined variable 'nope' in when")
    expect(err.loc?.file).toBe('fold.yml')
  })
})

describe('safety', () => {
  it('cannot reach prototypes or JavaScript internals', () => {
    for (const e of ['settings.constructor', 'settings.__proto__', "settings['constructor']", 'packages.constructor.prototype', "role['toString']", 'packages.length', 'settings.hasOwnProperty', 'role.__class__', "role.__class__.__mro__"]) {
      expect(cond(`${e} is undefined`), e).toBe(true)
      expect(errorOf(() => ev(e)).message, e).toMatch(/undefined variable/)
    }
    expect(cond("'__proto__' in settings")).toBe(false)
  })
  it('does not see Object.prototype at the root, nor call what is not a known method', () => {
    expect(cond('toString is not defined and constructor is not defined')).toBe(true)
    expect(errorOf(() => parseExpression('role.constructor("x")')).message).toMatch(/'constructor' is not a method pgha knows/)
    expect(errorOf(() => parseExpression('packages[0]("x")')).message).toMatch(/only methods of values and the functions/)
  })
})

describe('conditions', () => {
  it('accepts lists (all must hold), YAML booleans and {{ }}-wrapped expressions', () => {
    expect(evaluateCondition(['port == 5432', true, "role == 'primary'"], vars)).toBe(true)
    expect(evaluateCondition(['port == 5432', "role == 'standby'"], vars)).toBe(false)
    expect(evaluateCondition(false, vars)).toBe(false)
    expect(evaluateCondition('{{ port == 5432 }}', vars)).toBe(true)
    expect(evaluateCondition(parseExpression('rc_zero is succeeded'), vars)).toBe(true)
  })
  it('reads a wrapped variable holding "False" as Ansible does (its text becomes a boolean)', () => {
    expect(evaluateCondition('{{ flag }}', { flag: 'False' })).toBe(false)
    expect(evaluateCondition('flag', { flag: 'False' })).toBe(true)
  })
  it('keeps each parse site its own location even for the same text', () => {
    const a = parseExpression('nope', { file: 'a.yml', line: 1, col: 1 })
    const b = parseExpression('nope', { file: 'b.yml', line: 9, col: 7 })
    expect(errorOf(() => evaluate(b, vars)).loc).toEqual({ file: 'b.yml', line: 9, col: 7 })
    expect(errorOf(() => evaluate(a, vars)).loc).toEqual({ file: 'a.yml', line: 1, col: 1 })
  })
})

describe('expressionVariables', () => {
  it('lists root names, leaving out those only tested for definedness or defaulted', () => {
    const e = parseExpression('result.rc == 0 and x is defined and (y | default(z)) in groups[group_name] and not w is undefined and v is not defined')
    expect(expressionVariables(e)).toEqual(['result', 'z', 'groups', 'group_name'])
    expect(expressionVariables("item.name in packages and 'a' == b[c]")).toEqual(['item', 'packages', 'b', 'c'])
    expect(expressionVariables("lookup('env', 'HOME') and q('vars', 'x')")).toEqual([])
  })
})

describe('names of Object.prototype', () => {
  it('are neither constants, filters, tests nor functions', () => {
    expect(cond('toString is undefined')).toBe(true)
    expect(errorOf(() => parseExpression('x | toString')).message).toMatch(/unknown filter 'toString'/)
    expect(errorOf(() => parseExpression('x is hasOwnProperty')).message).toMatch(/unknown test 'hasOwnProperty'/)
    expect(errorOf(() => parseExpression('valueOf()')).message).toMatch(/unknown function 'valueOf'/)
  })
})
