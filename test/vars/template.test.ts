import { describe, expect, it } from 'vitest'
import { ConfigError, type SourceLocation } from '../../src/errors.js'
import { locOf, parseYaml } from '../../src/yaml-source.js'
import { isTemplated, renderString, renderValue, templateVariables } from '../../src/vars/index.js'
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
}

describe('renderString', () => {
  it('renders Ansible-style expressions with spaces, attributes and Handlebars segments', () => {
    expect(renderString('port={{ pg.port }} v{{pg.version}}', vars, 'x')).toBe('port=5432 v13')
    expect(renderString('{{ item.name }}:{{ item.uid }}', vars, 'x')).toBe('repmgr:1001')
    expect(renderString('primary {{ groups.primary.[0] }}', vars, 'x')).toBe('primary node1')
  })

  it('does not HTML-escape', () => {
    expect(renderString("{{ s }}", { s: `a<b & 'c' "d"` }, 'x')).toBe(`a<b & 'c' "d"`)
  })

  it('returns text without expressions unchanged', () => {
    expect(renderString('plain $HOME {not} }}', {}, 'x')).toBe('plain $HOME {not} }}')
    expect(isTemplated('plain')).toBe(false)
    expect(isTemplated('a {{ b }}')).toBe(true)
  })

  it('supports blocks: if/else, each with @index and block params', () => {
    const t = '{{#each groups.standby as |h i|}}{{#if i}},{{/if}}{{h}}{{/each}}'
    expect(renderString(t, vars, 'x')).toBe('node2,node3')
    expect(renderString('{{#if empty}}yes{{else}}no{{/if}}', vars, 'x')).toBe('no')
  })

  it('reports an undefined variable with its full path and the column inside the YAML line', () => {
    const { doc, at } = yaml('- x\n  # c\nmsg: "port {{ pg.missing.deep }} on {{ host }}"\n'.slice(4), 'site.yml')
    const err = errorOf(() => renderString(doc.msg as string, vars, at('msg')))
    expect(err.message).toBe("undefined variable 'pg.missing.deep'")
    // msg: "port {{ pg...   -> the quote is col 6, `p` of `pg` is col 15
    expect(err.loc).toEqual({ file: 'site.yml', line: 2, col: 15 })
    expect(err.format()).toContain('site.yml:2:15')
  })

  it('reports a missing root variable at its position', () => {
    const { doc, at } = yaml('a: 1\nmsg: plain {{ pg.port }} {{ nope }}\n', 'plain.yml')
    const err = errorOf(() => renderString(doc.msg as string, vars, at('msg')))
    expect(err.message).toBe("undefined variable 'nope'")
    expect(err.loc).toEqual({ file: 'plain.yml', line: 2, col: 29 })
  })

  it('reports undefined variables inside loops with the loop-relative path', () => {
    const err = errorOf(() => renderString('{{#each packages}}{{this.name}}{{/each}}', vars, "variable 'x'"))
    expect(err.message).toBe("variable 'x': undefined variable 'this.name'")
  })

  it('reports a syntax error at the offending token, offset into the YAML line', () => {
    const { doc, at } = yaml('cmd: "echo {{ a b c=}}"\n', 'syntax.yml')
    const err = errorOf(() => renderString(doc.cmd as string, { a: 1 }, at('cmd')))
    expect(err.message).toMatch(/^template syntax error near '}}'/)
    // cmd: "echo {{ a b c=}}  -> `}}` starts at col 21
    expect(err.loc).toEqual({ file: 'syntax.yml', line: 1, col: 21 })
  })

  it('explains Jinja syntax that Handlebars does not have', () => {
    expect(errorOf(() => renderString('{{ x | default(1) }}', {}, 'x')).message).toMatch(/Jinja filters are not supported/)
    expect(errorOf(() => renderString("{{ x['y'] }}", {}, 'x')).message).toMatch(/a\.b or a\.\[b\]/)
  })

  it('maps positions in a multi-line block scalar to the right file line', () => {
    const { doc, at } = yaml('content: |\n  listen = {{ pg.port }}\n  data = {{ pg.dir }}\n', 'block.yml')
    const err = errorOf(() => renderString(doc.content as string, vars, at('content')))
    expect(err.message).toBe("undefined variable 'pg.dir'")
    expect(err.loc).toEqual({ file: 'block.yml', line: 3, col: 13 })
  })

  it('refuses unknown helpers before rendering', () => {
    const err = errorOf(() => renderString('{{ upper name }}', { name: 'x' }, 'tpl'))
    expect(err.message).toMatch(/^tpl: unknown template helper 'upper'/)
  })

  it('refuses prototype access statically', () => {
    for (const t of ['{{ pg.constructor }}', '{{ pg.__proto__ }}', '{{ lookup pg "constructor" }}x{{pg.constructor.name}}']) {
      expect(errorOf(() => renderString(t, vars, 'x')).message).toMatch(/is not allowed/)
    }
  })

  it('keeps the root context safe: toString is not a variable of a prototype-less scope', () => {
    const scope = Object.assign(Object.create(null), { a: 1 })
    expect(errorOf(() => renderString('{{ toString }}', scope, 'x')).message).toBe("x: undefined variable 'toString'")
  })
})

describe('helpers', () => {
  const h = (t: string, v: Record<string, unknown> = vars): string => renderString(t, v, 'x')
  it('default replaces undefined and null, even through a missing parent', () => {
    expect(h('{{default pg.port 1}} {{default nope 5432}} {{default settings.port 6432}}')).toBe('5432 5432 6432')
    expect(h('{{default n "z"}}', { n: null })).toBe('z')
    expect(h('{{#if settings.ssl}}on{{else}}off{{/if}}')).toBe('off')
  })
  it('join, first, last', () => {
    expect(h('{{join packages " "}}|{{join packages}}')).toBe('flex pam-devel|flex,pam-devel')
    expect(h('{{first groups.primary}} {{last groups.standby}}')).toBe('node1 node3')
    expect(errorOf(() => h('{{join pg ","}}')).message).toMatch(/join: expected a list/)
  })
  it('eq, ne, and, or, not in conditions', () => {
    const v = { role: 'primary', n: 0, l: [] }
    expect(h('{{#if (eq role "primary")}}P{{/if}}{{#if (ne role "standby")}}!S{{/if}}', v)).toBe('P!S')
    expect(h('{{#if (or n l)}}t{{else}}f{{/if}}{{#if (not l)}}E{{/if}}{{#if (and role (not n))}}A{{/if}}', v)).toBe('fEA')
  })
  it('quote shell-quotes, json serializes', () => {
    expect(h('psql -c {{quote sql}}', { sql: "select 'x'" })).toBe(`psql -c 'select '\\''x'\\'''`)
    expect(h('{{quote p}}', { p: '/usr/local/pgsql' })).toBe('/usr/local/pgsql')
    expect(h('{{json v}}', { v: { a: [1, 'b'] } })).toBe('{"a":[1,"b"]}')
  })
})

describe('renderValue', () => {
  it('returns the raw value of a string that is exactly one expression', () => {
    expect(renderValue('{{ packages }}', vars, 'x')).toEqual(['flex', 'pam-devel'])
    expect(renderValue('{{pg.port}}', vars, 'x')).toBe(5432)
    expect(renderValue('{{ groups.standby.[1] }}', vars, 'x')).toBe('node3')
    expect(renderValue('{{ first groups.standby }}', vars, 'x')).toBe('node2')
    expect(renderValue('{{ default missing packages }}', vars, 'x')).toEqual(['flex', 'pam-devel'])
    expect(renderValue('{{ lookup groups "primary" }}', vars, 'x')).toEqual(['node1'])
  })

  it('renders strings when there is more than the expression', () => {
    expect(renderValue(' {{ pg.port }}', vars, 'x')).toBe(' 5432')
    expect(renderValue('{{ pg.port }}{{ pg.version }}', vars, 'x')).toBe('543213')
  })

  it('renders deep structures and keeps their YAML positions for later errors', () => {
    const { doc } = yaml('args:\n  name: "{{ item.name }}"\n  list: ["{{ pg.port }}", "x{{ pg.version }}", 3, true]\n', 'deep.yml')
    const out = renderValue(doc.args, vars, 'args') as Record<string, unknown>
    expect(out).toEqual({ name: 'repmgr', list: [5432, 'x13', 3, true] })
    expect(locOf(out, 'list')).toEqual({ file: 'deep.yml', line: 3, col: 9 })
  })

  it('points an undefined variable in a nested value at that value, not at the whole block', () => {
    const { doc, at } = yaml('args:\n  a: ok\n  b:\n    - "{{ nope.x }}"\n', 'nested.yml')
    const err = errorOf(() => renderValue(doc.args, vars, at('args')))
    expect(err.message).toBe("undefined variable 'nope.x'")
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

  it('refuses prototype access in raw values', () => {
    expect(errorOf(() => renderValue('{{ pg.constructor }}', vars, 'x')).message).toMatch(/not allowed/)
    expect(errorOf(() => renderValue('{{ packages.[-9] }}', vars, 'x')).message).toBe("x: undefined variable 'packages.[-9]'")
  })
})

describe('templateVariables', () => {
  it('lists root variables, not helpers, block params, loop-relative paths or data variables', () => {
    const t =
      '{{ pg.port }} {{join packages ","}} {{#each groups.standby as |h|}}{{h}}{{@index}}{{name}}{{../top}}{{@root.deep.x}}{{/each}}' +
      '{{#with item}}{{uid}}{{/with}}{{#if (eq role "p")}}{{this.own}}{{/if}}{{default maybe 1}} {{ pg.version }}'
    expect(templateVariables(t)).toEqual(['pg', 'packages', 'groups', 'top', 'deep', 'item', 'role', 'own', 'maybe'])
  })
  it('is empty for plain text and fails on syntax errors', () => {
    expect(templateVariables('no vars')).toEqual([])
    expect(() => templateVariables('{{#if x}}')).toThrow(ConfigError)
  })
})

describe('syntax hints', () => {
  it('does not take block params for a Jinja filter', () => {
    expect(errorOf(() => renderString('{{#each l as |p|}}{{p}}', { l: [] }, 'x')).message).not.toMatch(/Jinja/)
  })
})
