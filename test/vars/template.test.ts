// Playbook strings are Jinja2 rendered as Ansible renders them; template files render as the language of
// their extension. Every misuse is a ConfigError at the file:line:col of what is wrong.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, type SourceLocation } from '../../src/errors.js'
import { locOf, parseYaml } from '../../src/yaml-source.js'
import { isTemplated, renderString, renderTemplateFile, renderValue, templateVariables, UnsafeText } from '../../src/vars/index.js'
import { errorOf } from './config-error.js'

/** Parses YAML and returns the mapping plus where each key's value is written. */
function yaml(text: string, file: string): { doc: Record<string, unknown>; at: (key: string) => SourceLocation } {
  const doc = parseYaml(text, file) as Record<string, unknown>
  return { doc, at: (key) => locOf(doc, key)! }
}

const vars = {
  pg: { port: 5432, version: 13 },
  packages: ['flex', 'pam-devel'],
  groups: { primary: ['node1'], standby: ['node2', 'node3'] },
  item: { name: 'repmgr', uid: 1001 },
  empty: '',
  listish: '[1, 2]',
  flag: true,
  nothing: null,
}

describe('renderString', () => {
  it('renders expressions with attributes, subscripts, filters and tests', () => {
    expect(renderString('port={{ pg.port }} v{{pg.version}}', vars, 'x')).toBe('port=5432 v13')
    expect(renderString('{{ item.name }}:{{ item.uid }}', vars, 'x')).toBe('repmgr:1001')
    expect(renderString("primary {{ groups.primary[0] }} {{ groups['standby'] | join(',') }}", vars, 'x')).toBe('primary node1 node2,node3')
    expect(renderString('{{ pg.port is number }} {{ missing | default("d") }}', vars, 'x')).toBe('True d')
  })

  it('prints values as Python does: lists, dicts, booleans, None as nothing, floats', () => {
    expect(renderString('{{ packages }} {{ pg }} {{ flag }} [{{ nothing }}] {{ 4 / 2 }} {{ 7 // 2 }}', vars, 'x')).toBe(
      "['flex', 'pam-devel'] {'port': 5432, 'version': 13} True [] 2.0 3",
    )
  })

  it('does not escape HTML', () => {
    expect(renderString('{{ s }}', { s: `a<b & 'c' "d"` }, 'x')).toBe(`a<b & 'c' "d"`)
  })

  it('returns text without delimiters unchanged; {% and {# are delimiters too', () => {
    expect(renderString('plain $HOME {not} }}', {}, 'x')).toBe('plain $HOME {not} }}')
    expect(isTemplated('plain')).toBe(false)
    expect(isTemplated('a {{ b }}')).toBe(true)
    expect(isTemplated('{% if x %}y{% endif %}')).toBe(true)
    expect(isTemplated('a {# note #}')).toBe(true)
  })

  it('runs if/elif/else, for with loop.* and else, set, raw and comments, with whitespace control', () => {
    const t = '{% for h in groups.standby %}{{ loop.index }}:{{ h }}{% if not loop.last %},{% endif %}{% else %}none{% endfor %}'
    expect(renderString(t, vars, 'x')).toBe('1:node2,2:node3')
    expect(renderString('{% for h in [] %}x{% else %}none{% endfor %}', vars, 'x')).toBe('none')
    expect(renderString('{% if empty %}a{% elif pg.port > 1 %}b{% else %}c{% endif %}', vars, 'x')).toBe('b')
    expect(renderString('{% set n = packages | length %}{{ n * 2 }}', vars, 'x')).toBe('4')
    expect(renderString('{% raw %}{{ not rendered }}{% endraw %}{# gone #}', vars, 'x')).toBe('{{ not rendered }}')
    expect(renderString('a  {%- if true -%}  b  {%- endif -%}  c', vars, 'x')).toBe('abc')
    // trim_blocks, as Ansible sets it: the newline after a block tag goes
    expect(renderString('{% if true %}\nyes\n{% endif %}\nend', vars, 'x')).toBe('yes\nend')
  })

  it('keeps trailing newlines, as Ansible does', () => {
    expect(renderString('{{ pg.port }}\n\n', vars, 'x')).toBe('5432\n\n')
  })

  it('takes backslashes inside {{ }} string literals literally, as Ansible does for playbook strings', () => {
    expect(renderString("{{ 'a.b' | regex_replace('\\.', '\\\\') }}", {}, 'x')).toBe('a\\b')
  })

  it('reports an undefined variable with its full path and the column inside the YAML line', () => {
    const { doc, at } = yaml('msg: "port {{ pg.missing.deep }} on {{ host }}"\n', 'site.yml')
    const err = errorOf(() => renderString(doc.msg as string, vars, at('msg')))
    expect(err.message).toBe("undefined variable 'pg.missing.deep'")
    expect(err.loc).toEqual({ file: 'site.yml', line: 1, col: 15 })
    expect(err.format()).toContain('site.yml:1:15')
  })

  it('reports a missing root variable at its position', () => {
    const { doc, at } = yaml('a: 1\nmsg: plain {{ pg.port }} {{ nope }}\n', 'plain.yml')
    const err = errorOf(() => renderString(doc.msg as string, vars, at('msg')))
    expect(err.message).toBe("undefined variable 'nope'")
    expect(err.loc).toEqual({ file: 'plain.yml', line: 2, col: 29 })
  })

  it('reports undefined variables inside loops by what the loop variable holds', () => {
    const err = errorOf(() => renderString('{% for p in packages %}{{ p.name }}{% endfor %}', vars, "variable 'x'"))
    expect(err.message).toBe("variable 'x': undefined variable 'p.name'")
  })

  it('reports a syntax error at the offending token, offset into the YAML line', () => {
    const { doc, at } = yaml('cmd: "echo {{ a b c=}}"\n', 'syntax.yml')
    const err = errorOf(() => renderString(doc.cmd as string, { a: 1 }, at('cmd')))
    expect(err.message).toBe("template syntax error: unexpected 'b'")
    // cmd: "echo {{ a b c=}}  -> `b` is col 17
    expect(err.loc).toEqual({ file: 'syntax.yml', line: 1, col: 17 })
  })

  it('reports unknown filters and tests, unclosed tags and blocks', () => {
    expect(errorOf(() => renderString('{{ x | uper }}', { x: 'a' }, 'x')).message).toBe("x: template syntax error: unknown filter 'uper' (did you mean 'upper'?)")
    expect(errorOf(() => renderString('{{ x is strng }}', { x: 'a' }, 'x')).message).toBe("x: template syntax error: unknown test 'strng' (did you mean 'string'?)")
    expect(errorOf(() => renderString('a {{ x', {}, 'x')).message).toBe("x: template syntax error: '{{' is never closed; add '}}'")
    expect(errorOf(() => renderString('{% for x in y %}a', {}, 'x')).message).toBe("x: template syntax error: '{% for %}' is never closed; add '{% endfor %}'")
    expect(errorOf(() => renderString('{% endif %}', {}, 'x')).message).toBe("x: template syntax error: '{% endif %}' without a matching opening tag")
    expect(errorOf(() => renderString('{% trans %}hi{% endtrans %}', {}, 'x')).message).toMatch(/the Jinja2 tag 'trans' is not supported by pgha/)
    expect(errorOf(() => renderString('{% macro m() %}', {}, 'x')).message).toBe("x: template syntax error: '{% macro %}' is never closed; add '{% endmacro %}'")
  })

  it("maps positions in a multi-line block scalar to the right file line", () => {
    const { doc, at } = yaml('content: |\n  listen = {{ pg.port }}\n  data = {{ pg.dir }}\n', 'block.yml')
    const err = errorOf(() => renderString(doc.content as string, vars, at('content')))
    expect(err.message).toBe("undefined variable 'pg.dir'")
    expect(err.loc).toEqual({ file: 'block.yml', line: 3, col: 13 })
  })

  it('keeps the root context safe: toString is not a variable of a prototype-less scope', () => {
    const scope = Object.assign(Object.create(null), { a: 1 })
    expect(errorOf(() => renderString('{{ toString }}', scope, 'x')).message).toBe("x: undefined variable 'toString'")
  })
})

describe("pgha's former Handlebars syntax", () => {
  const hint = (t: string): string => errorOf(() => renderString(t, vars, 'x')).message
  it('is an error that shows the Jinja2 spelling', () => {
    expect(hint("{{join packages ', '}}")).toMatch(/in Jinja2 write \{\{ packages \| join\(', '\) \}\}$/)
    expect(hint('{{#if flag}}on{{else}}off{{/if}}')).toMatch(/in Jinja2 write \{% if flag %\}$/)
    expect(hint('{{#each groups.all}}x{{/each}}')).toMatch(/in Jinja2 write \{% for item in groups\.all %\}$/)
    expect(hint("{{hostvar h 'ansible_host'}}")).toMatch(/in Jinja2 write \{\{ hostvars\[h\]\['ansible_host'\] \}\}$/)
    expect(hint('{{default port 5432}}')).toMatch(/in Jinja2 write \{\{ port \| default\(5432\) \}\}$/)
    expect(hint('{{ groups.standby.[0] }}')).toMatch(/in Jinja2 write \{\{ groups\.standby\[0\] \}\}$/)
    expect(hint('{{#if (eq role "primary")}}p{{/if}}')).toMatch(/\{% if role == "primary" %\}$/)
  })
})

describe('renderValue: the value Ansible would give', () => {
  it('keeps the type of exactly one variable', () => {
    expect(renderValue('{{ packages }}', vars, 'x')).toEqual(['flex', 'pam-devel'])
    expect(renderValue('{{ flag }}', vars, 'x')).toBe(true)
    expect(renderValue('{{ nothing }}', vars, 'x')).toBe(null)
    expect(renderValue('{{pg}}', vars, 'x')).toEqual({ port: 5432, version: 13 })
  })

  it('gives text for other expressions, converting text that reads as a list, dict or boolean', () => {
    expect(renderValue('{{ pg.port }}', vars, 'x')).toBe('5432')
    expect(renderValue('{{ 2 + 3 }}', vars, 'x')).toBe('5')
    expect(renderValue('{{ listish }}', vars, 'x')).toEqual([1, 2])
    expect(renderValue('{{ pg.port > 1 }}', vars, 'x')).toBe(true)
    expect(renderValue('{{ groups.standby | first }}', vars, 'x')).toBe('node2')
    expect(renderValue("{{ missing | default(packages) }}", vars, 'x')).toEqual(['flex', 'pam-devel'])
    // to_json, to_yaml and string keep their text (Ansible's STRING_TYPE_FILTERS); other JSON-looking text converts
    expect(renderValue("{{ {'a': [1, none]} | to_json }}", vars, 'x')).toBe('{"a": [1, null]}')
    expect(renderValue("{{ {'a': [1, none]} | to_json | trim }}", vars, 'x')).toEqual({ a: [1, null] })
    expect(renderValue('[{{ pg.port }}]', vars, 'x')).toEqual([5432])
    expect(renderValue('{{ (1, 2) }}', vars, 'x')).toBe('(1, 2)')
  })

  it('renders strings when there is more than the expression', () => {
    expect(renderValue(' {{ pg.port }}', vars, 'x')).toBe(' 5432')
    expect(renderValue('{{ pg.port }}{{ pg.version }}', vars, 'x')).toBe('543213')
  })

  it('renders deep structures and keeps their YAML positions for later errors', () => {
    const { doc } = yaml('args:\n  name: "{{ item.name }}"\n  list: ["{{ pg.port }}", "x{{ pg.version }}", 3, true]\n', 'deep.yml')
    const out = renderValue(doc.args, vars, 'args') as Record<string, unknown>
    expect(out).toEqual({ name: 'repmgr', list: ['5432', 'x13', 3, true] })
    expect(locOf(out, 'list')).toEqual({ file: 'deep.yml', line: 3, col: 9 })
  })

  it('points an undefined variable in a nested value at that value, not at the whole block', () => {
    const { doc, at } = yaml('args:\n  a: ok\n  b:\n    - "{{ nope.x }}"\n', 'nested.yml')
    const err = errorOf(() => renderValue(doc.args, vars, at('args')))
    expect(err.message).toBe("undefined variable 'nope'")
    expect(err.loc).toEqual({ file: 'nested.yml', line: 4, col: 11 })
  })

  it('asks a locate function for positions by path', () => {
    const loc = { file: 'f.yml', line: 7, col: 3 }
    const paths: (string | number)[][] = []
    const err = errorOf(() =>
      renderValue({ a: [{ b: '{{ missing }}' }] }, vars, (p) => {
        paths.push(p)
        return loc
      }),
    )
    expect(paths).toEqual([['a', 0, 'b']])
    expect(err.loc).toEqual({ file: 'f.yml', line: 7, col: 6 })
  })

  it('refuses JavaScript properties and out-of-range items as undefined', () => {
    expect(errorOf(() => renderValue('{{ pg.constructor }}', vars, 'x')).message).toBe("x: undefined variable 'pg.constructor'")
    expect(errorOf(() => renderValue('{{ packages[-9] }}', vars, 'x')).message).toBe("x: undefined variable 'packages[-9]'")
  })
})

describe('values marked unsafe and values from hosts', () => {
  it('an !unsafe value is its text, never rendered, also when read through a variable', () => {
    const u = new UnsafeText('{{ secret }}')
    expect(renderValue(u, { secret: 's3' }, 'x')).toBe('{{ secret }}')
    expect(renderValue({ a: [u] }, { secret: 's3' }, 'x')).toEqual({ a: ['{{ secret }}'] })
    expect(renderValue('v={{ u }}', { u, secret: 's3' }, 'x')).toBe('v={{ secret }}')
    expect(renderValue('{{ u | upper }}', { u, secret: 's3' }, 'x')).toBe('{{ SECRET }}')
  })

  it('what a template outputs is not rendered again', () => {
    const registered = { stdout: '{{ secret }}' }
    expect(renderValue('{{ out.stdout }}', { out: registered, secret: 's3' }, 'x')).toBe('{{ secret }}')
  })
})

describe('template files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-tpl-'))
  const file = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('render .j2 files as the template module does (trim_blocks, trailing newline kept, no conversion)', () => {
    const path = file('a.conf.j2', '{% for p in packages %}\n{{ p }}\n{% endfor %}\n[{{ 1 }}, 2]\n')
    expect(renderTemplateFile('{% for p in packages %}\n{{ p }}\n{% endfor %}\n[{{ 1 }}, 2]\n', vars, path)).toBe('flex\npam-devel\n[1, 2]\n')
    expect(renderValue('{{ pg.port }}\n', vars, path)).toBe('5432\n')
  })

  it('render .hbs files with Handlebars', () => {
    const path = file('b.conf.hbs', '{{#each packages}}{{this}};{{/each}}')
    expect(renderValue('{{#each packages}}{{this}};{{/each}}', vars, path)).toBe('flex;pam-devel;')
  })

  it('report errors at the line and column in the template file', () => {
    const path = file('c.conf.j2', 'a = 1\nb = {{ nope }}\n')
    const err = errorOf(() => renderTemplateFile('a = 1\nb = {{ nope }}\n', vars, path))
    expect(err.message).toBe("undefined variable 'nope'")
    expect(err.loc).toEqual({ file: path, line: 2, col: 8 })
  })

  it('read the language of a template file for its variables by extension', () => {
    expect(templateVariables('{{#each hosts}}{{this}}{{/each}}{{ port }}', { file: 'x.hbs', line: 1, col: 1 })).toEqual(['hosts', 'port'])
    expect(templateVariables('{% for h in hosts %}{{ h }}{% endfor %}{{ port }}', { file: 'x.j2', line: 1, col: 1 })).toEqual(['hosts', 'port'])
  })
})

describe('templateVariables', () => {
  it('lists root variables, not names set by the template, loop variables or those only defaulted or tested', () => {
    const t =
      "{{ pg.port }} {{ packages | join(',') }} {% for h in groups.standby %}{{ h }}{{ loop.index }}{{ hostvars[h].x }}{% endfor %}" +
      '{% set n = top %}{{ n }}{{ maybe | default(1) }}{% if other is defined %}{{ other }}{% endif %}{{ lookup("env", "HOME") }}'
    expect(templateVariables(t)).toEqual(['pg', 'packages', 'groups', 'hostvars', 'top'])
  })
  it('leaves out what is read only where a test proved it defined, and keeps it read anywhere else', () => {
    const cases: [string, string[]][] = [
      ['{% if users is defined %}{% for u in users %}{{ u.name }}{% endfor %}{% endif %}', []],
      ['{{ users.x if users.x is defined else 1 }}{{ (users is defined and users | length > 0) | string }}', []],
      ['{% if users is not undefined and port is defined %}{{ users }}{{ port }}{% endif %}', []],
      ['{% if users is defined %}{% endif %}{{ users }}', ['users']],
      ['{{ (users is defined or users | length > 0) | string }}', ['users']],
      ['{% if users is defined %}{% else %}{{ users }}{% endif %}', ['users']],
      ['{% if users is not defined %}{{ users }}{% endif %}', ['users']],
    ]
    for (const [text, names] of cases) expect(templateVariables(text), text).toEqual(names)
    // Ansible's own templar, with no variable defined, fails exactly on the texts that list a name.
    const oracle = ansibleRendersUndefined(cases.map(([text]) => text))
    if (oracle) expect(oracle).toEqual(cases.map(([, names]) => names.length === 0))
  })
  it("leaves out a macro's name, parameters and special names, an import's names and a caller's parameters", () => {
    const t =
      "{% macro row(k, v=dflt) %}{{ k }}={{ v }}{{ varargs }}{{ kwargs }}{{ caller() }}{{ seen }}{% endmacro %}{{ row('a', 1) }}" +
      "{% import 'lib.j2' as lib %}{% from 'lib.j2' import opt as o %}{{ lib.f(arg) }}{{ o() }}{% call(x) row('b') %}{{ x }}{{ called }}{% endcall %}"
    expect(templateVariables(t)).toEqual(['dflt', 'seen', 'arg', 'called'])
  })
  it('leaves out a global read as a value, and `self`, which no variable gives', () => {
    expect(templateVariables('{% set r = range %}{{ r(2) }}{{ dict }}{{ self.b() }}{% block b %}{% endblock %}{{ pg }}')).toEqual(['pg'])
  })
  it('is empty for plain text and fails on syntax errors', () => {
    expect(templateVariables('no vars')).toEqual([])
    expect(() => templateVariables('{% if x %}')).toThrow(ConfigError)
  })
})

/** Per text, whether ansible-core's Templar renders it with no variable defined; undefined without ansible-core. */
function ansibleRendersUndefined(texts: string[]): boolean[] | undefined {
  const script = [
    'import json, sys',
    'from ansible.template import Templar',
    'from ansible.parsing.dataloader import DataLoader',
    't = Templar(loader=DataLoader(), variables={})',
    'def ok(x):',
    '    try:',
    '        t.template(x)',
    '        return True',
    '    except Exception:',
    '        return False',
    'print(json.dumps([ok(x) for x in json.load(sys.stdin)]))',
  ].join('\n')
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' })
  return r.status === 0 ? (JSON.parse(r.stdout) as boolean[]) : undefined
}
