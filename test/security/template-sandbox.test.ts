// Templates read data, never JavaScript: a name such as `constructor`, `__proto__` or `toString` is not an
// attribute, item, filter, test, function or lookup of any value, in Jinja2 (playbook strings and .j2
// files) or Handlebars (.hbs files); reading one is the undefined-variable error naming it, as for any
// other missing name. A missing name is an error naming it wherever a value is needed (`lookup('vars')`,
// `lookup('env')`, `lookup('file')`, Handlebars' `lookup` and helper arguments), never the text
// `undefined` or an empty value in a file. The matrix runs through pgha's template API; the cases after it
// run the built pgha and check what the user sees: the file:line:col, the failed task, nothing written.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { renderTemplateFile, renderValue } from '../../src/vars/index.js'
import { LOCAL_INVENTORY, pgha, project } from './hostile-project.js'

const JS_NAMES = [
  'constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable',
  'toLocaleString', '__defineGetter__', '__lookupGetter__', 'call', 'apply', 'bind', '__class__', '__init__', '__globals__', '__mro__',
]

const VARS: Record<string, unknown> = {
  s: 'text', l: [1, 'a'], d: { a: 1, k: { x: 'y' } }, n: 5, f: 1.5, t: true, nul: null, empty: '', name_var: 'constructor',
  hostvars: { node1: { s: 'text', d: { a: 1 } } }, groups: { all: ['node1'] },
}

/** The error rendering `text` as a playbook string raises (the test fails when it renders). */
function jinjaError(text: string, vars = VARS): string {
  try {
    const out = renderValue(text, vars, 'the template')
    return `rendered: ${JSON.stringify(out)}`
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
}

/** The error rendering `text` as a .hbs template file raises. */
function hbsError(text: string, vars = VARS): string {
  try {
    return `rendered: ${JSON.stringify(renderTemplateFile(text, vars, '/templates/t.hbs'))}`
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
}

/** No sign in a message that JavaScript was reached. */
const NO_JS = /native code|\[object |function\s*\(|=>|prototype of/

describe('Jinja2: names of JavaScript properties are no attribute or item of any value', () => {
  const values = ['s', 'l', 'd', 'n', 'f', 't', 'nul', "'lit'", '[1]', "{'a': 1}", '42', '(1, 2)', 'd.k', 'hostvars', "hostvars['node1']", 'groups', 's.upper', "d.get('a')"]
  const cases = values.flatMap((v) => JS_NAMES.flatMap((name) => [[`{{ ${v}.${name} }}`, name], [`{{ ${v}['${name}'] }}`, name]]))
  it.each(cases)('%s is the undefined-variable error naming it', (text, name) => {
    const message = jinjaError(text)
    expect(message).toMatch(/undefined variable/)
    expect(message).toContain(name)
    expect(message).not.toMatch(NO_JS)
  })

  it.each(JS_NAMES)("a macro's and a recursive loop's %s is undefined, and calling it no call of JavaScript", (name) => {
    const macro = '{% macro m(a) %}{{ a }}{% endmacro %}'
    for (const text of [`${macro}{{ m.${name} }}`, `${macro}{{ m['${name}'] }}`, `{% for x in [1] recursive %}{{ loop.${name} }}{% endfor %}`]) {
      const message = jinjaError(text)
      expect(message, text).toMatch(/undefined variable/)
      expect(message, text).toContain(name)
    }
    for (const text of [`${macro}{{ m.${name}('return process') }}`, `${macro}{{ m['${name}']('return process')() }}`]) {
      const message = jinjaError(text)
      expect(message, text).not.toMatch(/^rendered/)
      expect(message, text).not.toMatch(NO_JS)
    }
  })

  it.each(JS_NAMES)('an undefined variable\'s %s names the variable', (name) => {
    expect(jinjaError(`{{ missing_var.${name} }}`)).toMatch(/undefined variable 'missing_var'/)
  })

  it.each(JS_NAMES)('%s as a top-level name is an undefined variable', (name) => {
    expect(jinjaError(`{{ ${name} }}`)).toContain(`undefined variable '${name}'`)
  })

  it.each(JS_NAMES)('%s: `is defined` is false and default() gives the default', (name) => {
    expect(renderValue(`{{ d.${name} is defined }}-{{ s['${name}'] is defined }}-{{ l.${name} | default('safe') }}`, VARS, 'x')).toBe('False-False-safe')
  })

  it.each(JS_NAMES)('%s called is no call of JavaScript', (name) => {
    const message = jinjaError(`{{ s['${name}']('return process')() }}`)
    expect(message).not.toMatch(/^rendered/)
    expect(message).not.toMatch(NO_JS)
  })

  it.each(JS_NAMES.filter((n) => /^\w+$/.test(n)))('a filter, test, function or lookup named %s does not exist', (name) => {
    expect(jinjaError(`{{ s | ${name} }}`)).toContain(`unknown filter '${name}'`)
    expect(jinjaError(`{{ s is ${name} }}`)).toContain(`unknown test '${name}'`)
    expect(jinjaError(`{{ [s] | map('${name}') | list }}`)).toContain(`no filter named '${name}'`)
    expect(jinjaError(`{{ [s] | select('${name}') | list }}`)).toContain(`no test named '${name}'`)
    expect(jinjaError(`{{ ${name}(1) }}`)).toMatch(new RegExp(`unknown function '${name}'|undefined variable '${name}'`))
    expect(jinjaError(`{{ lookup('${name}', 'x') }}`)).toContain(`unknown lookup '${name}'`)
  })

  it.each(JS_NAMES)('attribute= and attr() with %s name it', (name) => {
    for (const text of [`{{ [d] | map(attribute='${name}') | list }}`, `{{ [d] | selectattr('${name}') | list }}`, `{{ [d] | sort(attribute='${name}') }}`, `{{ d | attr('${name}') }}`]) {
      const message = jinjaError(text)
      expect(message, text).toContain(name)
      expect(message, text).not.toMatch(NO_JS)
    }
  })

  it.each(JS_NAMES)('format strings do not reach %s', (name) => {
    expect(jinjaError(`{{ '{0.${name}}'.format(s) }}`)).toContain(name)
    expect(jinjaError(`{{ '%(${name})s' % d }}`)).toContain(name)
  })

  it.each(JS_NAMES)("lookup('vars', '%s') is the error naming it", (name) => {
    expect(jinjaError(`{{ lookup('vars', '${name}') }}`)).toContain(`No variable found with this name: ${name}`)
    expect(jinjaError(`{{ query('vars', '${name}') }}`)).toContain(name)
  })

  it.each(JS_NAMES)("lookup('env', '%s') is the error naming it, never a JavaScript function", (name) => {
    const message = jinjaError(`{{ lookup('env', '${name}') }}`)
    expect(message).toContain(`environment variable '${name}' is not set`)
    expect(message).not.toMatch(NO_JS)
  })

  it('lookups of a missing name are errors naming it', () => {
    expect(jinjaError("{{ lookup('vars', 'no_such_var') }}")).toContain('No variable found with this name: no_such_var')
    expect(jinjaError("{{ lookup('env', 'PGHA_TEST_NOT_SET') }}")).toContain("environment variable 'PGHA_TEST_NOT_SET' is not set")
    expect(jinjaError("{{ q('env', 'HOME', 'PGHA_TEST_NOT_SET') }}")).toContain('PGHA_TEST_NOT_SET')
    expect(jinjaError("{{ lookup('file', '/nonexistent/pgha-file.txt') }}")).toContain('/nonexistent/pgha-file.txt')
    expect(jinjaError("{{ lookup('file', 'pgha-relative-missing.txt') }}")).toContain('pgha-relative-missing.txt')
    expect(jinjaError("{{ lookup('template', 'pgha-missing.j2') }}")).toContain('pgha-missing.j2')
  })

  it('a default makes a missing lookup a value, as asked', () => {
    expect(renderValue("{{ lookup('vars', 'no_such_var', default='d') }}|{{ lookup('env', 'PGHA_TEST_NOT_SET', default='') }}|{{ lookup('env', 'PGHA_TEST_NOT_SET', default='e') }}", VARS, 'x')).toBe('d||e')
    expect(renderValue("{{ lookup('file', '/nonexistent/x', errors='ignore') }}", VARS, 'x')).toBe('')
  })

  it("a variable's value naming a JavaScript property is only text", () => {
    expect(renderValue("{{ lookup('vars', 's') }} {{ d[name_var] | default('none') }}", VARS, 'x')).toBe('text none')
  })

  it.each(JS_NAMES)('a template file (.j2) reading %s fails naming it', (name) => {
    expect(() => renderTemplateFile(`x={{ d.${name} }}`, VARS, '/templates/t.j2')).toThrow(new RegExp(`undefined variable 'd\\.${name.replace(/\$/g, '\\$')}'`))
  })
})

describe('Handlebars (.hbs): no JavaScript property through paths, lookup or helpers', () => {
  const values = ['s', 'l', 'd', 'n', 't', 'this', '@root', 'd.k']
  const hbsNames = JS_NAMES.filter((n) => !n.startsWith('__') || n === '__proto__')
  it.each(values.flatMap((v) => hbsNames.map((name) => [v, name])))('{{lookup %s "%s"}} is the error naming it', (v, name) => {
    const message = hbsError(`{{lookup ${v} "${name}"}}`)
    expect(message).toContain(`undefined variable '${name}'`)
    expect(message).not.toMatch(NO_JS)
  })

  it.each(values.flatMap((v) => hbsNames.map((name) => [v, name])))('{{%s.%s}} is refused or undefined, naming it', (v, name) => {
    const message = hbsError(`{{${v}.${name}}}`)
    expect(message).toContain(name)
    expect(message).toMatch(/is not allowed|undefined variable/)
  })

  it.each(hbsNames)('%s inside blocks, as a block parameter and by a variable key', (name) => {
    for (const text of [`{{#with d}}{{${name}}}{{/with}}`, `{{#each l}}{{this.${name}}}{{/each}}`, `{{#each l as |x|}}{{lookup x "${name}"}}{{/each}}`,
      `{{#with d}}{{lookup .. "${name}"}}{{/with}}`, `{{quote (lookup d "${name}")}}`, `{{json (lookup this "${name}")}}`, `{{join (lookup @root "${name}") ","}}`]) {
      const message = hbsError(text)
      expect(message, text).toContain(name)
      expect(message, text).not.toMatch(/^rendered/)
    }
    expect(hbsError('{{lookup this name_var}}')).toContain("undefined variable 'constructor'")
  })

  it.each(['log', 'helperMissing', 'blockHelperMissing', '__pgha_strict'])('the internal helper %s cannot be called', (name) => {
    expect(hbsError(`{{${name} "x"}}`)).not.toMatch(/^rendered/)
    expect(hbsError(`{{${name}}}`)).not.toMatch(/^rendered/)
  })

  it.each([
    ['{{missing}}', "undefined variable 'missing'"],
    ['{{d.missing}}', "undefined variable 'd.missing'"],
    ['{{quote missing}}', "undefined variable 'missing' (given to quote)"],
    ['{{json missing}}', "undefined variable 'missing' (given to json)"],
    ['{{join missing ","}}', "undefined variable 'missing' (given to join)"],
    ['{{first missing}}', "undefined variable 'missing' (given to first)"],
    ['{{items missing}}', "undefined variable 'missing' (given to items)"],
    ['{{cidr missing}}', "undefined variable 'missing' (given to cidr)"],
    ['{{pgpass missing}}', "undefined variable 'missing' (given to pgpass)"],
    ['{{conf_value missing}}', "undefined variable 'missing' (given to conf_value)"],
    ['{{conf_quote d.missing}}', "undefined variable 'd.missing' (given to conf_quote)"],
    ['{{hba_field missing}}', "undefined variable 'missing' (given to hba_field)"],
    ['{{hosts_field missing}}', "undefined variable 'missing' (given to hosts_field)"],
    ['{{unit_value missing}}', "undefined variable 'missing' (given to unit_value)"],
    ['{{sudoers_word missing}}', "undefined variable 'missing' (given to sudoers_word)"],
    ['{{conninfo host=missing port=5432}}', "undefined variable 'missing' (given to conninfo)"],
    ['{{hostvar "node1" missing}}', "undefined variable 'missing' (given to hostvar)"],
    ['{{lookup d "missing"}}', "undefined variable 'missing' (looked up in d)"],
    ['{{lookup missing "x"}}', "undefined variable 'missing' (given to lookup)"],
    ['{{lookup l 7}}', "undefined variable '7' (looked up in l)"],
    ['{{quote (lookup d "missing")}}', "undefined variable 'missing' (looked up in d)"],
    ['{{#each d}}{{lookup ../d "nope"}}{{/each}}', "undefined variable 'nope' (looked up in ../d)"],
  ])('%s is an error naming the missing name, nothing rendered', (text, message) => {
    const got = hbsError(text)
    expect(got).toContain(message)
    expect(got).not.toContain('rendered')
  })

  it('the error names the template file, line and column of the missing name', () => {
    try {
      renderTemplateFile('a\nb {{quote missing}}', VARS, '/templates/t.hbs')
      expect.unreachable()
    } catch (err) {
      expect((err as ConfigError).format()).toMatch(/^\/templates\/t\.hbs:2:11: undefined variable 'missing'/)
    }
  })

  it.each([
    ['{{default missing "fb"}}', 'fb'],
    ['{{default (lookup d "missing") "fb"}}', 'fb'],
    ['{{default (lookup missing "x") "fb"}}', 'fb'],
    ['{{#if missing}}x{{else}}y{{/if}}', 'y'],
    ['{{#if (lookup d "missing")}}x{{else}}y{{/if}}', 'y'],
    ['{{#unless (lookup d "missing")}}y{{/unless}}', 'y'],
    ['{{#if (eq missing "a")}}x{{else}}y{{/if}}', 'y'],
    ['{{lookup d "a"}}', '1'],
    ['{{lookup l 1}}', 'a'],
    ['{{lookup s "length"}}', '4'],
    ['{{#each l}}{{lookup ../l @index}}{{/each}}', '1a'],
    ['{{quote (lookup d "a")}}', '1'],
  ])('control: %s renders as the templates pgha ships rely on', (text, out) => {
    expect(renderTemplateFile(text, VARS, '/templates/t.hbs')).toBe(out)
  })
})

describe('what the user sees (the built pgha)', () => {
  const run = async (files: Record<string, string>, relative = false) => {
    const p = project({ 'inv.ini': LOCAL_INVENTORY, ...files }, 'sandbox')
    const r = await pgha(['run', relative ? 'site.yml' : p.path('site.yml'), '-i', p.path('inv.ini')], p.dir)
    return { p, r }
  }
  const play = (tasks: string): string => `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: touch __DIR__/RAN\n${tasks}`

  it.each([
    ['an attribute', "{{ 'x'.constructor }}", "undefined variable ''x'.constructor'", false],
    ['an item', "{{ d['__proto__'] }}", "undefined variable 'd['__proto__']'", false],
    ['a method of a method', '{{ d.items.constructor }}', "undefined variable 'd.items.constructor'", false],
    ['a lookup', "{{ lookup('constructor', 'x') }}", "unknown lookup 'constructor'", false],
    ['a filter', '{{ d | toString }}', "unknown filter 'toString'", true],
    ['a test', '{{ d is hasOwnProperty }}', "unknown test 'hasOwnProperty'", true],
  ])('%s named like a JavaScript property: the error at file:line:col names it', async (_what, expr, message, beforeHosts) => {
    const { p, r } = await run({ 'site.yml': play(`    - debug: { msg: "${expr}" }\n      vars: { d: { a: 1 } }\n`) })
    expect(r.code).toBe(beforeHosts ? 1 : 2)
    expect(r.stdout + r.stderr).toMatch(new RegExp(`site\\.yml:5:\\d+: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    expect(existsSync(p.path('RAN'))).toBe(!beforeHosts)
  }, 30_000)

  it.each([
    ["lookup('vars', 'nope')", 'No variable found with this name: nope'],
    ["lookup('env', 'PGHA_SANDBOX_NOT_SET')", "environment variable 'PGHA_SANDBOX_NOT_SET' is not set"],
    ["lookup('env', 'constructor')", "environment variable 'constructor' is not set"],
    ["lookup('file', 'no-such-file.txt')", 'no-such-file.txt'],
  ])('%s: the error names it and where, and no file gets "undefined" or an empty value', async (expr, message) => {
    const { p, r } = await run({ 'site.yml': play(`    - copy: { dest: __DIR__/out.txt, content: "v={{ ${expr} }}" }\n`) })
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(message)
    expect(r.stdout + r.stderr).toMatch(/site\.yml:5:\d+/)
    expect(existsSync(p.path('out.txt'))).toBe(false)
  }, 30_000)

  it.each([
    ['{{lookup this "constructor"}}', "undefined variable 'constructor'"],
    ['{{lookup this "db_name_typo"}}', "undefined variable 'db_name_typo'"],
    ['{{quote (lookup this "toString")}}', "undefined variable 'toString'"],
    ['port={{conf_value (lookup this "pg_port_typo")}}', "undefined variable 'pg_port_typo'"],
  ])('a .hbs template with %s: the task fails naming it and the file is not written', async (tpl, message) => {
    const { p, r } = await run({
      'templates/t.hbs': `line1\n${tpl}\n`,
      'site.yml': play('    - template: { src: t.hbs, dest: __DIR__/out.conf }\n'),
    })
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(message)
    expect(r.stdout + r.stderr).toMatch(/t\.hbs:2:\d+: undefined variable/)
    expect(existsSync(p.path('out.conf'))).toBe(false)
  }, 30_000)

  it.each([
    ['{{lookup this "constructor"}}', "undefined variable 'constructor'"],
  ])('run from the project directory with a relative playbook path, %s is still Handlebars', async (tpl, message) => {
    const { p, r } = await run({
      'templates/t.hbs': `line1\n${tpl}\n`,
      'site.yml': play('    - template: { src: t.hbs, dest: __DIR__/out.conf }\n'),
    }, true)
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(message)
    expect(r.stdout + r.stderr).toMatch(/t\.hbs:2:\d+/)
    expect(existsSync(p.path('out.conf'))).toBe(false)
  }, 30_000)
})
