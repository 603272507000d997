// The differential cases of names: what a template defines (macro, set, loop target, with, import alias,
// a call block's body) and the variables it is given shadow the globals (range, lookup, query, q, dict,
// namespace, super, cycler, joiner) where they are visible and nowhere else, while filters and tests keep their own
// namespaces; `loop`, `self`, `caller`, `varargs` and `kwargs` as Jinja2 scopes them; `{% include %}` with and
// without context, `ignore missing`, lists of names. SCOPE_TEMPLATES are the files they include or import.

/** Template files the cases include or import, by path under templates/. */
export const SCOPE_TEMPLATES: Record<string, string> = {
  // what it sees of the includer: a variable, a loop variable or argument, the global range (or a macro over it)
  'parts/ctx.j2': '<{{ s | default("no s") }}|{{ x | default("no x") }}|{{ range(2) }}>\n',
  // a macro named like a global, used at its own top level too
  // calls a macro it does not define: the includer's, seen with context
  'parts/usehelper.j2': '{{ helper(1) }}|{{ m.seen() }}\n',
  // a block and a macro that renders it through self
  'parts/selfm.j2': '{% block b %}IB{% endblock %}{% macro m() %}[{{ self.b() }}]{% endmacro %}\n',
  'parts/shadow.j2': "{% macro seen() %}{{ s | default('unseen') }}{% endmacro %}{% macro range() %}R{% endmacro %}{{ range() }}|{{ s | default('nos') }}\n",
}

/** The variables of the cases of SCOPE_VAR_STRINGS: named as globals are. */
export const SCOPE_VARS: Record<string, unknown> = { range: 5, dict: { a: 1 }, q: 'var q' }

const autoescape = { why: "pgha refuses {% autoescape %} (Ansible's templates do not escape HTML): a clear error at the tag", pgha: 'error' }

export const SCOPE_FILE_TEXTS: (string | [string, { why: string; pgha: string }])[] = [
  // a macro named as a global is called, wherever it is visible (also from a macro defined before it)
  '{% macro range() %}x{% endmacro %}{{ range() }}\n',
  '{% macro lookup(a, b) %}{{ a }}{{ b }}{% endmacro %}{% macro g() %}{{ lookup(1, 2) }}{% endmacro %}{{ g() }}\n',
  '{% macro dict(a) %}D{{ a }}{% endmacro %}{{ dict(1) }}\n',
  "{% macro q() %}Q{% endmacro %}{{ q() }} {{ query('vars', 'n') }}\n",
  '{% macro namespace() %}N{% endmacro %}{{ namespace() }}\n',
  '{% macro super() %}S{% endmacro %}{{ super() }}\n',
  '{% macro f() %}{{ range() }}{% endmacro %}{% macro range() %}R{% endmacro %}{{ f() }}\n',
  '{% macro range(n) %}<{{ n }}>{% endmacro %}{% for i in [1, 2] %}{{ range(i) }}{% endfor %}\n',
  // set, loop targets, with: before the set and outside the loop or with, the global
  '{{ range(2) }}{% set range = 5 %}{{ range }}\n',
  '{% set range = 5 %}{{ range(3) }}\n',
  "{% set lookup %}block{% endset %}{{ lookup }}\n",
  "{% set lookup %}block{% endset %}{{ lookup('vars', 's') }}\n",
  '{% for range in [1] %}{{ range }}{% endfor %}{{ range(2) }}\n',
  "{% for x in [1] %}{% macro lookup() %}m{% endmacro %}{{ lookup() }}{% endfor %}{{ lookup('vars', 's') }}\n",
  '{% with range = dict %}{{ range(a=1) }}{% endwith %}{{ range(1) }}\n',
  '{% macro w() %}[{{ caller() }}]{% endmacro %}{% call w() %}{% macro range() %}C{% endmacro %}{{ range() }}{% endcall %}{{ range(1) }}\n',
  // parameters and imports by a global's name; a global passed as a value
  '{% macro g(range) %}{{ range(3) }}{% endmacro %}{% macro r(n) %}r{{ n }}{% endmacro %}{{ g(r) }} {{ g(range) }}\n',
  '{% macro g(dict) %}{{ dict }}{% endmacro %}{{ g(2) }}\n',
  '{% macro m(f) %}{{ f(a=1) }}{% endmacro %}{{ m(dict) }}\n',
  '{% set r = range %}{{ r(2) | list }} {{ range }} {{ dict }} {{ namespace is defined }}\n',
  "{% from 'parts/shadow.j2' import range %}{{ range() }}\n",
  "{% from 'parts/shadow.j2' import seen as lookup %}{{ lookup() }}\n",
  "{% import 'parts/shadow.j2' as range %}{{ range.range() }}\n",
  "{% import 'parts/shadow.j2' as q %}{{ q.seen() }}\n",
  // an include with context sees the includer's macro in place of the global; without context, not
  "{% macro range() %}R{% endmacro %}{% include 'parts/ctx.j2' %}\n",
  "{% macro range() %}R{% endmacro %}{% include 'parts/ctx.j2' without context %}\n",
  "{% extends 'parts/base.j2' %}{% block one %}{% macro super() %}S{% endmacro %}{{ super() }}{% endblock %}\n",
  // a filter block and a set block have their own scope: what they set or define stays in them
  '{% filter upper %}{% macro range() %}r{% endmacro %}{{ range() }}{% endfilter %}{{ range(1) }}\n',
  '{% set x %}{% macro range() %}r{% endmacro %}{{ range() }}{% endset %}{{ x }}{{ range(1) }}\n',
  "{% set y = 0 %}{% filter upper %}{% set y = 1 %}{{ y }}{% endfilter %}{{ y }}\n",
  "{% set x | upper %}{% set y = 'a' %}{{ y }}{% endset %}{{ x }}{{ y | default('noy') }}\n",
  "{% for i in [1] %}{% from 'parts/shadow.j2' import range %}{{ range() }}{% endfor %}{{ range(1) }}\n",
  "{% macro f() %}{% import 'parts/shadow.j2' as mm %}{{ mm.seen() }}{% endmacro %}{{ f() }}{{ mm | default('nomm') }}\n",
  "{% macro range() %}top{% endmacro %}{% block b %}{{ range() }}{% endblock %}\n",
  // a global or a macro held in a dict or a namespace is called through it
  "{% set ns = namespace(f=range) %}{% set d = {'r': range, 'l': lookup} %}{{ ns.f(2) }} {{ d.r(1) }} {{ d.l('vars', 'n') }}\n",
  "{% macro m() %}M{% endmacro %}{% set d = {'m': m, 'items': m} %}{{ d.m() }} {{ d.items() | list }}\n",
  "{% set d = {'x': 1} %}{{ d.x() }}\n",
  // filters and tests have their own names: a macro or set by theirs does not change them
  "{% macro upper(x) %}M{% endmacro %}{{ 'a' | upper }} {{ upper('a') }}\n",
  "{% set defined = 1 %}{% macro default() %}D{% endmacro %}{{ s is defined }} {{ defined }} {{ nope | default('dflt') }} {{ default() }}\n",
  // loop: never assigned inside a loop; a macro sees the loop it is defined in, not its caller's
  '{% for loop in [1] %}{{ loop }}{% endfor %}\n',
  '{% for x in l %}{% set loop = 7 %}{{ loop }}{% endfor %}\n',
  '{% for x in l %}{% with loop = 7 %}{{ loop }}{% endwith %}{% endfor %}\n',
  '{% set loop = 5 %}{% for x in l %}{{ loop.index }}{% endfor %}{{ loop }}\n',
  '{% for x in l %}{% macro m() %}{{ loop.index }}{% endmacro %}{{ m() }}{% endfor %}\n',
  "{% macro m() %}{{ loop | default('noloop') }}{% endmacro %}{% for x in l %}{{ m() }}{% endfor %}\n",
  // caller, varargs, kwargs: special only when the body reads them and no parameter has the name
  '{% macro f(caller) %}{{ caller }}{% endmacro %}{{ f(3) }}\n',
  "{% macro f(caller='d') %}{{ caller }}{% endmacro %}{{ f() }} {{ f(4) }}\n",
  '{% macro f(varargs) %}{{ varargs }}{% endmacro %}{{ f(3) }}\n',
  '{% macro f(kwargs) %}{{ kwargs }}{% endmacro %}{{ f(kwargs=4) }}\n',
  '{% macro f() %}{{ varargs }}{% set varargs = 1 %}{{ varargs }}{% endmacro %}{{ f(5) }}\n',
  "{% set varargs = 'top' %}{% set caller = 'top' %}{{ varargs }} {{ caller }}\n",
  "{% set kwargs = 'top' %}{% macro f() %}{{ kwargs }}{% endmacro %}{{ f(a=1) }} {{ kwargs }}\n",
  "{% macro f() %}{{ caller | default('nocaller') }}{% endmacro %}{{ f() }}\n",
  '{% macro f() %}{{ caller(1, 2, k=3) }}{% endmacro %}{% call(a) f() %}{{ a }}{{ varargs }}{{ kwargs }}{% endcall %}\n',
  '{% macro m() %}{{ caller.name }} {{ caller.arguments }} {{ caller }}{% endmacro %}{% call(a, b) m() %}{% endcall %}\n',
  // a macro's caller is its own: a macro or call block inside it has none of its own
  '{% macro outer() %}{% macro inner() %}{{ caller() }}{% endmacro %}{{ inner() }}{% endmacro %}{% call outer() %}X{% endcall %}\n',
  '{% macro outer() %}{{ caller() }}{% endmacro %}{% macro w() %}{% call outer() %}in{{ caller() }}{% endcall %}{% endmacro %}{% call w() %}W{% endcall %}\n',
  '{% macro outer() %}{% set c = caller %}{% macro inner() %}{{ c() }}{% endmacro %}{{ inner() }}{% endmacro %}{% call outer() %}X{% endcall %}\n',
  // super: defined in a block that replaces another; the parent's body sees what the block saw, not what it set
  "{% extends 'parts/base.j2' %}{% block one %}{% macro m() %}<{{ super() }}>{% endmacro %}{{ m() }}{% endblock %}\n",
  "{% extends 'parts/base.j2' %}{% block one %}{{ super is defined }}{% endblock %}\n",
  '{% block one %}{{ super is defined }}{% endblock %} {{ super is defined }}\n',
  "{% extends 'parts/base.j2' %}{% block two %}{% set s = 'S' %}{{ super() }}{% endblock %}\n",
  "{% extends 'parts/base.j2' %}{% block two %}{% for s in ['L'] %}{{ super() }}{% endfor %}{% endblock %}\n",
  "{% extends 'parts/base.j2' %}{% block two %}{% macro super() %}mine{% endmacro %}{{ super() }}{% endblock %}\n",
  // self: the template's blocks, the most derived body, in the template's top-level scope
  '{% macro self() %}SELF{% endmacro %}{{ self() }}\n',
  "{% block a %}A{{ x | default('nox') }}{% endblock %}{% for x in [1] %}{{ self.a() }}{% endfor %}\n",
  "{% extends 'parts/base.j2' %}{% block two %}T{% endblock %}{% block one %}[{{ self.two() }}]{% endblock %}\n",
  '{% macro m() %}{{ self.a() }}{% endmacro %}{% block a %}A{% endblock %}{{ m() }}\n',
  '{% block a %}{% block b %}B{% endblock %}{% endblock %}{{ self.b() }}\n',
  '{{ self.nope() }}\n',
  '{{ self }}\n',
  '{% set self = 3 %}{{ self }}\n',
  "{% import 'parts/selfm.j2' as x %}{% block b %}MB{% endblock %}{{ x.m() }}\n",
  "{% from 'parts/selfm.j2' import m %}{{ m() }}\n",
  "{% include 'parts/selfm.j2' %}{{ self.b() }}{% block b %}OB{% endblock %}\n",
  // include: with context by default, without context no variable at all; ignore missing; lists
  "{% include 'parts/ctx.j2' without context %}\n",
  "{% for x in [1] %}{% include 'parts/ctx.j2' without context %}{% endfor %}\n",
  "{% set x = 'X' %}{% include 'parts/ctx.j2' %}\n",
  "{% set x = 'X' %}{% include 'parts/ctx.j2' ignore missing %}\n",
  "{% include 'nope.j2' ignore missing without context %}x\n",
  "{% include ['nope.j2', 'parts/ctx.j2'] ignore missing with context %}\n",
  "{% include ('nope.j2', 'parts/ctx.j2') %}\n",
  '{% include [] ignore missing %}y\n',
  '{% include [] %}y\n',
  "{% include ['nope.j2', 'nope2.j2'] %}\n",
  "{% set x = 'X' %}{% macro m() %}{% include 'parts/ctx.j2' %}{% endmacro %}{{ m() }}\n",
  "{% macro m(x) %}{% include 'parts/ctx.j2' %}{% endmacro %}{{ m('arg') }}\n",
  "{% macro helper(x) %}H{{ x }}{% endmacro %}{% import 'parts/shadow.j2' as m %}{% include 'parts/usehelper.j2' %}\n",
  "{% macro helper(x) %}H{{ x }}{% endmacro %}{% import 'parts/shadow.j2' as m %}{% include 'parts/usehelper.j2' without context %}\n",
  "{% for helper in [range] %}{% set m = {'seen': dict} %}{% include 'parts/usehelper.j2' %}{% endfor %}\n",
  "{% include 'parts/shadow.j2' without context %}\n",
  "{% import 'parts/shadow.j2' as m without context %}{{ m.seen() }}\n",
  "{% from 'parts/shadow.j2' import seen without context %}{{ seen() }}\n",
  // Jinja2's cycler and joiner, globals like the others
  "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.current }}{{ c.next() }}{{ c.reset() }}{{ c.current }} {{ c.items }}\n",
  "{% set j = joiner(',') %}{% for x in l %}{{ j() }}{{ x }}{% endfor %} {% set k = joiner() %}{{ k() }}a{{ k() }}b\n",
  "{% set c = cycler('x') %}{% set d = {'c': c} %}{{ d.c.next() }} {{ cycler }} {{ joiner }}\n",
  '{{ cycler() }}\n',
  "{% macro cycler() %}C{% endmacro %}{% set joiner = 1 %}{{ cycler() }}{{ joiner }}\n",
  // refused: autoescape (a clear error); trans is not enabled in Ansible either
  ['{% autoescape true %}<{{ s }}>{% endautoescape %}\n', autoescape],
  '{% trans %}hi{% endtrans %}\n',
]

/** Playbook strings: a macro named as a global, read back as a value; a global or macro printed is text. */
export const SCOPE_STRING_TEXTS: string[] = [
  '{% macro range() %}[1, 2]{% endmacro %}{{ range() }}',
  '{% set r = range %}{{ r(3) | list }}',
  "{% macro lookup(x) %}{{ x }}{% endmacro %}{{ lookup('vars') }}",
  '{{ range }}', '{{ [range] }}', '{{ [dict, namespace] }}', '{% macro m() %}{% endmacro %}{{ [m] }}', "{{ {'r': range} }}", '{{ range | string }}',
  '{{ self }}',
]

/** Playbook strings over SCOPE_VARS: a variable named as a global shadows it too. */
export const SCOPE_VAR_STRING_TEXTS: string[] = [
  '{{ range }}', '{{ range(2) }}', '{{ dict.a }}', '{{ q }}', "{{ query('vars', 'range') }}", '{% macro range() %}m{% endmacro %}{{ range() }}',
  '{% for x in range %}{{ x }}{% endfor %}', "{{ lookup('vars', 'q') }}",
]
