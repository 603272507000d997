// YAML is read as Ansible reads it: YAML 1.1 with PyYAML's resolvers, so `flag: no` is false and `mode: 0644`
// is 420. Each expected value in scalars.ts is what PyYAML's SafeLoader (Ansible's base) gives for the same
// text; differential.test.ts checks the table against PyYAML and Ansible themselves when they are installed.
import { describe, expect, it } from 'vitest'
import { keyLocOf, locOf, parseYaml } from '../../src/yaml-source.js'
import { yamlProblems } from './helpers.js'
import { SCALARS } from './scalars.js'

const read = (text: string): unknown => parseYaml(text, 'table.yml')

const problems = (text: string): string[] => yamlProblems(text, 'bad.yml')

describe('YAML 1.1 scalars, as PyYAML resolves them', () => {
  it.each(SCALARS)('v: %s', (text, expected) => {
    expect(read(`v: ${text}\n`)).toEqual({ v: expected })
  })

  it('resolves the same in lists, flow collections and keys (keys as Ansible prints them)', () => {
    expect(read('- no\n- 0644\n- [on, "off", 1:30]\n')).toEqual([false, 420, [true, 'off', 90]])
    expect(read('{a: yes, b: 0x10}')).toEqual({ a: true, b: 16 })
    // ansible-inventory shows a key `on:` as "true" and `0644:` as "420"
    expect(read('on: 1\n0644: 2\n~: 3\nplain: 4\n')).toEqual({ true: 1, 420: 2, null: 3, plain: 4 })
  })

  it('refuses a plain =, which Ansible cannot load either', () => {
    expect(problems('a: =\n')).toEqual(["1:4 YAML error: a plain '=' is YAML 1.1's value key, which Ansible cannot load; quote it: '='"])
    expect(read("a: '='\n")).toEqual({ a: '=' })
  })

  it('refuses an explicit standard tag that does not fit its value', () => {
    expect(problems('a: !!int abc\n')).toEqual(["1:4 'abc' is not a valid !!int"])
    expect(problems('a: !!bool maybe\n')).toEqual(["1:4 'maybe' is not a valid !!bool"])
    expect(problems('a: !!map [1]\n')).toEqual(["1:4 YAML tag '!!map' marks a mapping, not a list"])
    expect(problems('a: !!str {b: 1}\n')).toEqual(["1:4 YAML tag '!!str' marks a single value, not a mapping"])
  })
})

describe('JSON documents, read as JSON first as Ansible does', () => {
  it('reads numbers the way JSON does, strings as strings', () => {
    expect(read('{"a": 1e3, "b": "yes", "c": [0.5, -2E-2], "d": true, "e": null}')).toEqual({ a: 1000, b: 'yes', c: [0.5, -0.02], d: true, e: null })
  })
  it('reads a flow mapping that is not JSON as YAML 1.1', () => {
    expect(read('{a: 1e3, b: yes}')).toEqual({ a: '1e3', b: true })
  })
  it('keeps positions for JSON too', () => {
    const v = read('{\n  "a": 1,\n  "b": [2]\n}') as Record<string, unknown>
    expect(keyLocOf(v, 'b')).toEqual({ file: 'table.yml', line: 3, col: 3 })
  })
})

describe('keys', () => {
  it('__proto__ is an entry like any other, not the prototype', () => {
    const v = read('__proto__: {when: true}\nname: x\n') as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(Object.keys(v)).toEqual(['__proto__', 'name'])
    expect((v as { when?: unknown }).when).toBeUndefined()
  })
})

describe('merge keys', () => {
  it('copy entries the mapping does not set, the first merged mapping winning, with their positions', () => {
    const text = 'base: &base {a: 1, b: 1}\nmore: &more {b: 2, c: 2}\nx:\n  c: 3\n  <<: [*base, *more]\n  a: 4\n'
    const v = read(text) as Record<string, Record<string, unknown>>
    expect(v.x).toEqual({ c: 3, a: 4, b: 1 })
    expect(locOf(v.x, 'b')).toEqual({ file: 'table.yml', line: 1, col: 23 })
  })
  it('are keys only when plain: a quoted "<<" is an ordinary key', () => {
    expect(read('"<<": {a: 1}\n')).toEqual({ '<<': { a: 1 } })
  })
  it('refuse merging what is not a mapping', () => {
    expect(problems('a: {<<: [1]}\n')[0]).toMatch(/^1:10 << merges a mapping or a list of mappings/)
  })
})
