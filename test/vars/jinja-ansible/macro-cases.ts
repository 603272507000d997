// The differential cases of macros, `{% call %}`, imports, loop controls, `{% do %}` and recursive loops:
// the constructs real roles' templates use beyond plain statements. MACRO_TEMPLATES are the files the
// imports read (under templates/, as include cases' files are).

/** Template files the cases import, by path under templates/. */
export const MACRO_TEMPLATES: Record<string, string> = {
  // top-level output (what printing the module shows), an exported and a private set, macros reading `s`
  'parts/macros.j2': [
    'top-level text {{ s | default("no s") }}',
    "{% set exported = 'exp' %}{% set _hidden = 'h' %}",
    "{% macro render_option(name, value='on') -%}",
    '{{ name }} = {{ value }}',
    '{%- endmacro %}',
    '{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}',
    "{% macro seen() %}{{ s | default('unseen') }}{% endmacro %}",
    '{% macro broken() %}',
    '{{ 1 + none_such_var }}',
    '{% endmacro %}',
    '',
  ].join('\n'),
  'parts/uses-macros.j2': "{% from 'parts/macros.j2' import render_option %}{{ render_option('nested') }}\n",
}

/** Ansible writes such a template's text unrendered: Jinja2's generated Python fails to compile, which it does not report. */
const misplaced = { why: "Ansible writes the template's own text when Jinja2's Python fails to compile ('break' outside loop); pgha reports the tag", pgha: 'error' }

export const MACRO_FILE_TEXTS: (string | [string, { why: string; pgha: string }])[] = [
  // arguments: defaults referencing earlier ones, keywords, extras caught by varargs/kwargs
  "{% macro f(a, b=a ~ 'x') %}{{ a }}-{{ b }}{% endmacro %}{{ f(1) }}|{{ f(1, 2) }}|{{ f(b=3, a=4) }}\n",
  '{% macro f() %}{{ varargs }} {{ kwargs }}{% endmacro %}{{ f(1, 2, z=3) }}\n',
  '{% macro f(a) %}{{ a }}{% endmacro %}{{ f(1, 2) }}\n',
  '{% macro f(a) %}{{ a }}{% endmacro %}{{ f(z=2) }}\n',
  '{% macro f(a) %}{{ a }}{% endmacro %}{{ f(1, a=2) }}\n',
  '{% macro f(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ f(1) }}\n',
  '{% macro f(a, b) %}{{ a }}{{ b | default("-") }}{% endmacro %}{{ f(1) }}\n',
  "{% macro f(a) %}{{ a }}{% endmacro %}{{ f.name }} {{ f.arguments }} {{ f('x') | upper }}\n",
  '{% macro f() %}x{% endmacro %}{{ nosuch() }}\n',
  '{% macro f(a=1, b) %}{% endmacro %}\n',
  // scope: what the macro's definition sees, not the caller's loop variable; sets stay inside
  "{% set t = 'top' %}{% macro f() %}{{ t }} {{ u | default('no u') }}{% endmacro %}{% for u in [1] %}{{ f() }}{% endfor %}{% set t = 'later' %}{{ f() }}\n",
  "{% macro f() %}{% set z = 1 %}{{ z }}{% endmacro %}{{ f() }} {{ z | default('no z') }}\n",
  '{% macro f() %}{{ n }}{% endmacro %}{{ f() }}\n',
  // nested and recursive macros; whitespace control inside
  "{% macro outer(x) %}{% macro inner(y) %}<{{ y }}>{% endmacro %}{{ inner(x) }}{{ inner(x ~ x) }}{% endmacro %}{{ outer('a') }}\n",
  "{% macro tree(d, ind='') %}\n{% for k, v in d | dictsort %}\n{% if v is mapping %}\n{{ ind }}{{ k }}:\n{{ tree(v, ind ~ '  ') -}}\n{% else %}\n{{ ind }}{{ k }} = {{ v }}\n{% endif %}\n{% endfor %}\n{% endmacro %}\n{{ tree({'a': {'b': 1, 'c': {'d': 2}}, 'e': 3}) }}",
  // call blocks: caller with and without arguments, a caller missing
  '{% macro list(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) list(l) %}{{ n }}={{ item }};{% endcall %}\n',
  "{% macro box(title) %}[{{ title }}: {{ caller() }}]{% endmacro %}{% call box('t') %}\n  body {{ s }}\n{% endcall %}\n",
  '{% macro f() %}{{ caller() }}{% endmacro %}{{ f() }}\n',
  '{% call nosuch() %}x{% endcall %}\n',
  // imports: without context (the default) the imported template sees none of the caller's variables
  "{% import 'parts/macros.j2' as m %}{{ m.render_option('port', 5432) }}|{{ m.exported }}|{{ m.seen() }}|{{ m._hidden | default('hidden') }}\n",
  "{% from 'parts/macros.j2' import render_option, wrap as w %}{{ render_option('a') }} {% call w('b') %}inside{% endcall %}\n",
  "{% from 'parts/macros.j2' import seen %}{{ seen() }}\n",
  "{% from 'parts/macros.j2' import seen with context %}{{ seen() }}\n",
  "{% import 'parts/macros.j2' as m with context %}{{ m.seen() }}\n",
  "{% import 'parts/macros.j2' as m %}[{{ m }}]\n",
  "{% include 'parts/uses-macros.j2' %}",
  "{% from 'parts/macros.j2' import nothere %}{{ nothere() }}\n",
  "{% from 'parts/macros.j2' import _hidden %}\n",
  "{% import 'parts/nope.j2' as m %}\n",
  "{% import 'parts/macros.j2' as m %}{{ m.broken() }}\n",
  "{% import 'parts/macros.j2' as m %}{{ m.nothere() }}\n",
  // break and continue, in nested loops; outside a loop
  '{% for x in range(5) %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}\n',
  '{% for x in [1, 2] %}{% for y in [1, 2, 3] %}{% if y == 2 %}{% break %}{% endif %}{{ x }}{{ y }} {% endfor %}{{ loop.index }};{% endfor %}\n',
  '{% for x in l if x != "a" %}{% if loop.last %}{% break %}{% endif %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}\n',
  ['{% break %}\n', misplaced],
  ['{% macro f() %}{% continue %}{% endmacro %}{% for x in l %}{{ f() }}{% endfor %}\n', misplaced],
  // do: lists and dicts the template made, a namespace's list
  "{% set acc = [] %}{% for x in range(3) %}{% do acc.append(x * 2) %}{% endfor %}{% do acc.insert(0, 'a') %}{% do acc.extend(['z']) %}{{ acc }} {{ acc.pop() }} {{ acc }}\n",
  "{% set dd = {'a': 1} %}{% do dd.update({'b': 2}) %}{% do dd.setdefault('c', 3) %}{{ dd }} {{ dd.pop('a') }}\n",
  "{% set ns = namespace(items=[]) %}{% for u in users %}{% do ns.items.append(u.name) %}{% endfor %}{{ ns.items | join(',') }}\n",
  '{% do 1 + 2 %}done\n',
  // recursive loops: depth, the loop's filter at every level
  "{% for k, v in {'a': {'b': {'c': 1}}, 'd': 2} | dictsort recursive %}{{ loop.depth }}/{{ loop.depth0 }} {{ k }}{% if v is mapping %}[{{ loop(v | dictsort) }}]{% endif %};{% endfor %}\n",
  "{% set tree = [{'name': 'root', 'children': [{'name': 'x', 'children': [{'name': 'y'}]}, {'name': 'skip'}, {'name': 'z'}]}] %}{% for node in tree if node.name != 'skip' recursive %}\n{{ '  ' * loop.depth0 }}{{ node.name }} {{ loop.index }}/{{ loop.length }}\n{% if node.children is defined %}{{ loop(node.children) }}{% endif %}\n{% endfor %}",
  '{% for x in l %}{{ loop(l) }}{% endfor %}\n',
]

/** Playbook strings: a macro's output read back as a value, as Ansible reads any template output. */
export const MACRO_STRING_TEXTS: string[] = [
  "{% macro f(x) %}[{{ x }}, 2]{% endmacro %}{{ f(1) }}",
  "{% macro f(x) %}{{ x }}{% endmacro %}{{ f('text') }}",
  "{% set acc = [] %}{% for u in users %}{% do acc.append(u.age) %}{% endfor %}{{ acc | sum }}",
]
