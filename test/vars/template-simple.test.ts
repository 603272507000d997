// The simple-template renderer against Handlebars itself: for every template of text and plain paths, and
// every kind of value (missing at each step, null, numbers, booleans, lists, mappings, strings indexed,
// prototype names), both give the same text or both throw the same Missing at the same place.
import { describe, expect, it } from 'vitest'
import { env, Missing } from '../../src/vars/handlebars-env.js'
import { simpleRenderer } from '../../src/vars/template-simple.js'
import { renderTemplateFile } from '../../src/vars/index.js'

type Vars = Record<string, unknown>

const TEMPLATES = [
  '{{ a }}', '{{a}}/x', 'pre {{ a }} mid {{ b }} post', '{{ a }}{{ b }}', '{{ m.k }}', '{{ m.n.deep }}', '{{ l.[0] }}', '{{ l.[1] }}', '{{ l.[2].[0] }}',
  '{{ s.length }}', '{{ s.[0] }}', '{{ s.x }}', '{{ n.toFixed }}', '{{ m.toString }}', '{{ m.hasOwnProperty.length }}', '{{ s.length.x }}', '{{ missing }}', '{{ missing.k }}',
  '{{ m.missing }}', '{{ nul }}', '{{ nul.k }}', '{{ und }}', '{{ m.[key with space] }}', 'line1\n{{ a }}\nline3 {{~ b ~}} end',
  '{{{ a }}}', '{{ f }}', '{{ m.f }}', 'no template at all', '{{ zero }}{{ no }}', '{{ emptystr }}|',
]

const SCOPES: Vars[] = [
  {
    a: 'x', b: 2, m: { k: 'v', n: { deep: true }, 'key with space': 'sp', nul: null }, l: ['first', 2, [3]], s: 'str',
    n: 5, nul: null, zero: 0, no: false, emptystr: '', f: () => 'called', und: undefined,
  },
  { a: ['x', 'y'], b: { o: 1 }, m: { k: 0, n: {} }, l: [], s: '', n: 0, nul: null, zero: -0, no: true, emptystr: ' ' },
  { a: 1.5, b: null, m: null, l: null, s: null, zero: Number.NaN, no: 'no', emptystr: 'e' },
  {},
]

/** What a render gives: its text, or the Missing it throws (name and where). */
function outcome(render: () => string): unknown {
  try {
    return { text: render() }
  } catch (err) {
    if (err instanceof Missing) return { missing: err.variable, at: err.at.start }
    return { error: (err as Error).constructor.name }
  }
}

describe('simple templates', () => {
  it.each(TEMPLATES)('%j renders as Handlebars does, for every scope', (text) => {
    const ast = env.parse(text)
    const handlebars = env.compile(ast, { noEscape: true, strict: true })
    const simple = simpleRenderer(ast, () => handlebars)
    expect(simple, 'a template of text and plain paths takes the simple route').toBeDefined()
    for (const vars of SCOPES) expect({ vars, ...(outcome(() => simple!(vars)) as object) }).toEqual({ vars, ...(outcome(() => handlebars(vars)) as object) })
  })

  it.each(['{{ join l "," }}', '{{#if a}}x{{/if}}', '{{ @root.a }}', '{{ this.a }}', '{{ lookup m "k" }}', '{{ default a "d" }}', '{{! comment }}', '{{ "lit" }}'])(
    '%j is left to Handlebars',
    (text) => {
      const ast = env.parse(text)
      expect(simpleRenderer(ast, () => env.compile(ast))).toBeUndefined()
    },
  )

  it('renders .hbs files through pgha the same text and names an undefined variable where it is written', () => {
    expect(renderTemplateFile('{{ a }}-{{ m.k }}', { a: 1, m: { k: 'v' } }, 'test.hbs')).toBe('1-v')
    expect(() => renderTemplateFile('x {{ m.nope }}', { m: {} }, 'test.hbs')).toThrow("undefined variable 'm.nope'")
  })
})
