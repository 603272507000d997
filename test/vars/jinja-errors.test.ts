// Every misuse of a template is a ConfigError naming what is wrong at the file:line:col where it is written:
// the column of the filter, test, variable, call or token at fault inside the YAML value.
import { describe, expect, it, onTestFinished } from 'vitest'
import { locOf, parseYaml } from '../../src/yaml-source.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { evaluateCondition, renderTemplateFile, renderValue } from '../../src/vars/index.js'
import { errorOf } from './config-error.js'

const vars = { s: 'text', n: 5, l: [1, 2], d: { a: 1 } }

/** The error of rendering `msg: "<template>"` on line 2 of a file, and the column of `marker` in that line. */
function failure(template: string, marker: string): { message: string; col: number | undefined; expected: number } {
  const line = `msg: "${template.replace(/"/g, '\\"')}"`
  const doc = parseYaml(`# misuse\n${line}\n`, 'misuse.yml') as Record<string, unknown>
  const err = errorOf(() => renderValue(doc.msg, vars, locOf(doc, 'msg')))
  expect(err.loc?.file).toBe('misuse.yml')
  expect(err.loc?.line).toBe(2)
  return { message: err.message, col: err.loc?.col, expected: line.indexOf(marker) + 1 }
}

const CASES: [what: string, template: string, marker: string, message: RegExp][] = [
  ['an unknown filter', '{{ s | uppr }}', 'uppr', /^template syntax error: unknown filter 'uppr' \(did you mean 'upper'\?\)$/],
  ['an unknown test', '{{ s is strng }}', 'strng', /^template syntax error: unknown test 'strng' \(did you mean 'string'\?\)$/],
  ['an unknown function', "{{ exec('id') }}", 'exec', /^template syntax error: unknown function 'exec'/],
  ['an undefined variable', 'a {{ nope }}', 'nope', /^undefined variable 'nope'$/],
  ['an undefined attribute', '{{ d.b.c }}', 'd.b', /^undefined variable 'd\.b\.c'$/],
  ['an index out of range', '{{ l[7] }}', 'l[7]', /^undefined variable 'l\[7\]'$/],
  ['a syntax error', '{{ s + }}', '}}', /^template syntax error: unexpected '}}': an expression is missing or incomplete$/],
  ['an unclosed tag', 'x {{ s', '{{', /^template syntax error: '\{\{' is never closed; add '\}\}'$/],
  ['an unclosed block', '{% for x in l %}x', '{%', /^template syntax error: '\{% for %\}' is never closed; add '\{% endfor %\}'$/],
  ['an unsupported tag', '{% autoescape true %}{% endautoescape %}', 'autoescape', /^template syntax error: the Jinja2 tag 'autoescape' is not supported by pgha/],
  ['a macro given too many arguments', '{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}', 'm(1', /^m\(\): macro 'm' takes not more than 1 argument\(s\)$/],
  ['a macro given an unknown keyword', '{% macro m(a) %}{% endmacro %}{{ m(b=2) }}', 'm(b', /^m\(\): macro 'm' takes no keyword argument 'b'$/],
  ['a call of what no macro or function names', '{% macro m() %}{% endmacro %}{{ nosuch(1) }}', 'nosuch', /^template syntax error: unknown function 'nosuch'/],
  ['a call of a set value that is no macro', '{% set f = 1 %}{{ f() }}', 'f()', /^'int' object is not callable$/],
  ['a caller where no call block gives one', '{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}', 'caller', /^No caller defined$/],
  ['a nested macro calling a caller it was not given', '{% macro o() %}{% macro i() %}{{ caller() }}{% endmacro %}{{ i() }}{% endmacro %}{% call o() %}x{% endcall %}', 'caller', /^No caller defined$/],
  ['a global shadowed by a value that is no macro', '{% set range = 1 %}{{ range(2) }}', 'range(2', /^'int' object is not callable$/],
  ['a caller parameter without a default', '{% macro m(caller) %}{{ caller }}{% endmacro %}', '{% macro', /^template syntax error: When defining macros or call blocks the special "caller" argument must be omitted or be given a default\.$/],
  ['assigning to loop inside a loop', '{% for x in l %}{% set loop = 1 %}{% endfor %}', '{% set loop', /^template syntax error: Can't assign to special loop variable in for-loop target$/],
  ['a block self does not have', '{{ self.nope() }}', 'nope', /^'self\.nope' is undefined: the template has no macro or block 'nope'$/],
  ['an include of an empty list', '{% include [] %}', '[]', /^Tried to select from an empty list of templates\.$/],
  ['a parameter without a default after one with', '{% macro m(a=1, b) %}{% endmacro %}', 'b)', /^template syntax error: non-default argument follows default argument$/],
  ['a tag of an extension Ansible has not loaded', '{% for x in l %}{% continue %}{% endfor %}', 'continue', /^template syntax error: '\{% continue %\}' needs the Jinja2 extension jinja2\.ext\.loopcontrols/],
  ['calling a loop that is not recursive', '{% for x in l %}{{ loop(l) }}{% endfor %}', 'loop(', /^loop\(\): The loop must have the 'recursive' marker to be called recursively\.$/],
  ["changing a variable's list", '{% set x = l.append(3) %}', 'append', /^append\(\): pgha lets append\(\) change only a list or dict the template made/],
  ['an include of a template that is not there', "{% include 'nowhere.j2' %}", "'nowhere", /^template not found: nowhere\.j2 \(looked in /],
  ['a JavaScript property (sandbox)', '{{ s.constructor }}', 's.constructor', /^undefined variable 's\.constructor'$/],
  ['a Python internal (sandbox)', '{{ l.__class__.__mro__ }}', 'l.__class__', /^undefined variable 'l\.__class__\.__mro__'$/],
  ['calling a JavaScript method (sandbox)', "{{ s.constructor('return 1')() }}", 'constructor', /^template syntax error: 'constructor' is not a method pgha knows/],
  ['calling what is not a method (sandbox)', '{{ l[0]() }}', '(', /^template syntax error: only methods of values and the functions lookup, query, q, range and dict can be called$/],
  ['a method of another type', "{{ n.split(',') }}", 'split', /^'int' object has no method 'split'$/],
  ['a type error in an operator', "{{ n + 'x' }}", '+', /^unsupported operand type\(s\) for \+: 'int' and 'str'$/],
  ['a division by zero', '{{ n / 0 }}', '/', /^division by zero$/],
  ['a filter given a wrong argument', '{{ l | join(1, 2, 3) }}', 'join', /^filter 'join' takes at most 2 argument\(s\), got 3$/],
  ['a filter given an unknown keyword', "{{ l | join(sep=',') }}", 'sep', /^filter 'join' got an unexpected keyword argument 'sep' \(arguments: d, attribute\)$/],
  ['a filter failing on its input', '{{ s | dict2items }}', 'dict2items', /^filter 'dict2items': dict2items requires a dictionary/],
  ['an unknown lookup', "{{ lookup('nosuch', 'x') }}", 'lookup', /^lookup\(\): unknown lookup 'nosuch' \(lookups: env, file/],
  ['a lookup of a missing variable', "{{ lookup('vars', 'nope') }}", 'lookup', /^lookup\(\): No variable found with this name: nope$/],
  ['a missing file for a lookup', "{{ lookup('file', 'no-such-file.txt') }}", 'lookup', /^lookup\(\): could not locate file in lookup: no-such-file\.txt$/],
  ['a mandatory variable', '{{ nope | mandatory }}', 'mandatory', /^filter 'mandatory': Mandatory variable 'nope' not defined\.$/],
  ['a bad regular expression', "{{ s | regex_search('(') }}", 'regex_search', /^filter 'regex_search': invalid regular expression '\('/],
  ['an operator of another language', '{{ n && s }}', '&&', /^template syntax error: '&&' is not an operator in Jinja2; use 'and'$/],
  ["pgha's former Handlebars syntax", "{{join l ', '}}", 'l', /in Jinja2 write \{\{ l \| join\(', '\) \}\}$/],
]

describe('template misuse is reported at file:line:col', () => {
  it.each(CASES)('%s', (_what, template, marker, message) => {
    const f = failure(template, marker)
    expect(f.message).toMatch(message)
    expect(f.col).toBe(f.expected)
  })
})

describe('condition misuse is reported at file:line:col', () => {
  it.each([
    ['an unknown filter', 'n | sorted', 'sorted', /^syntax error in when: unknown filter 'sorted'/],
    ['an undefined variable', 'n > 1 and nope', 'nope', /^undefined variable 'nope' in when$/],
    ['a type error', "n > 'a'", '>', /^'>' not supported between instances of 'int' and 'str' in when$/],
    ['a sandbox violation', 'd.__class__ is defined or d.constructor.name', 'd.constructor', /^undefined variable 'd\.constructor\.name' in when$/],
  ])('%s', (_what, cond, marker, message) => {
    const line = `when: ${cond}`
    const doc = parseYaml(`- name: t\n  ${line}\n`, 'cond.yml') as Record<string, unknown>[]
    const err = errorOf(() => evaluateCondition(doc[0].when as string, vars, locOf(doc[0], 'when')))
    expect(err.message).toMatch(message)
    expect(err.loc).toEqual({ file: 'cond.yml', line: 2, col: 3 + line.indexOf(marker) })
  })
})

/** The error of rendering templates/main.j2 (`main`) beside the other `files` of templates/; `at` names a file there. */
function templateError(main: string, files: Record<string, string>): { err: ReturnType<typeof errorOf>; at: (name: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-template-files-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'templates'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'templates', name), text)
  const at = (name: string): string => join(dir, 'templates', name)
  return { err: errorOf(() => renderTemplateFile(main, vars, at('main.j2'))), at }
}

describe('an error inside an included template', () => {
  it('is reported at the included file\'s own line and column', () => {
    const { err, at } = templateError("top\n{% include 'part.j2' %}\n", { 'part.j2': 'fine\n{{ s | uppr }}\n' })
    expect(err.loc).toMatchObject({ file: at('part.j2'), line: 2, col: 8 })
    expect(err.message).toMatch(/^template syntax error: unknown filter 'uppr'/)
  })

  it("of a call no macro answers, is reported where the included file calls it (it may call the includer's macros)", () => {
    const { err, at } = templateError("{% include 'part.j2' without context %}\n", { 'part.j2': 'fine\n  {{ helpr(1) }}\n' })
    expect(err.loc).toMatchObject({ file: at('part.j2'), line: 2, col: 6 })
    expect(err.message).toMatch(/^'helpr' is undefined: no macro, import or variable has that name, nor a function \(functions: cycler, dict/)
  })

  it('in a macro of an imported template, is reported in the file that defines the macro', () => {
    const { err, at } = templateError("{% import 'lib.j2' as lib %}\n{{ lib.f() }}\n", { 'lib.j2': '{% macro f() %}\n  {{ lib_missing }}\n{% endmacro %}\n' })
    expect(err.loc).toMatchObject({ file: at('lib.j2'), line: 2, col: 6 })
    expect(err.message).toBe("undefined variable 'lib_missing'")
  })

  it('of a name an imported template does not export, is reported where the import names it', () => {
    const { err, at } = templateError("{% from 'lib.j2' import f, nothere %}\n{{ nothere() }}\n", { 'lib.j2': '{% macro f() %}{% endmacro %}' })
    expect(err.loc).toMatchObject({ file: at('main.j2'), line: 1, col: 28 })
    expect(err.message).toBe("undefined variable 'nothere'")
  })

  it('in a block that replaces an extended template\'s, is reported in the file that writes the block', () => {
    const base = { 'base.j2': 'head\n{% block one %}{% endblock %}\n{% block two %}\n  {{ base_missing }}{% endblock %}\n' }
    const child = templateError("{% extends 'base.j2' %}\n{% block one %}\n  {{ child_missing }}{% endblock %}\n", base)
    expect(child.err.loc).toMatchObject({ file: child.at('main.j2'), line: 3, col: 6 })
    expect(child.err.message).toBe("undefined variable 'child_missing'")
    const own = templateError("{% extends 'base.j2' %}\n", base)
    expect(own.err.loc).toMatchObject({ file: own.at('base.j2'), line: 4, col: 6 })
  })
})
