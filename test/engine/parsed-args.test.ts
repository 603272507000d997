// A module's parse of the same plain arguments is kept (src/engine/parsed-args.ts): what a module is given
// must be what a fresh parse gives, every time, and its own to change.
import { describe, expect, it, vi } from 'vitest'
import { parseArgs, plainKey } from '../../src/engine/parsed-args.js'
import { getModule, type ModuleDef } from '../../src/modules/index.js'
import { coerceArgs } from '../../src/playbook/index.js'

const mod = (name: string): ModuleDef => {
  const m = getModule(name)
  if (!m) throw new Error(`no module ${name}`)
  return m
}

const fresh = (m: ModuleDef, args: Record<string, unknown>): unknown => m.params.safeParse(coerceArgs(m, args)).data

describe('parseArgs', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['file', { path: '/etc/x', state: 'directory', mode: '0755', owner: 'root' }],
    ['file', { path: '/etc/x', state: 'directory', mode: 493, recurse: 'yes' }],
    ['package', { name: 'postgresql-15,repmgr', state: 'present', update_cache: true }],
    ['command', { cmd: 'echo 1', creates: '/tmp/x' }],
    ['lineinfile', { path: '/etc/x', line: 'a=1', regexp: '^a=', insertafter: 'EOF' }],
    ['user', { name: 'postgres', groups: ['a', 'b'], append: true, createhome: false }],
  ]

  it('gives what a fresh parse gives, on the first call and from what it kept', () => {
    for (const [name, args] of cases) {
      const m = mod(name)
      const first = parseArgs(m, structuredClone(args))
      const again = parseArgs(m, structuredClone(args))
      expect(first.error, name).toBeUndefined()
      expect(first.params, name).toEqual(fresh(m, args))
      expect(again.params, name).toEqual(fresh(m, args))
    }
  })

  it('gives each caller its own parameters: a change by one module run is not seen by the next', () => {
    const m = mod('user')
    const args = { name: 'app', groups: ['a', 'b'] }
    parseArgs(m, structuredClone(args))
    const a = parseArgs(m, structuredClone(args)).params as { groups: string[] }
    a.groups.push('changed')
    const b = parseArgs(m, structuredClone(args)).params as { groups: string[] }
    expect(b.groups).toEqual(['a', 'b'])
    expect(b).not.toBe(a)
  })

  it('refuses invalid arguments every time, with the schema error', () => {
    const m = mod('file')
    for (let i = 0; i < 2; i++) {
      const r = parseArgs(m, { path: '/x', state: 'sideways' })
      expect(r.error?.issues[0]?.path).toEqual(['state'])
    }
  })

  it('tells arguments apart that a JSON text would not: an undefined member, a number as text, -0, order', () => {
    const m = mod('file')
    expect(parseArgs(m, { path: '/x', mode: '0755' }).params).toMatchObject({ mode: '0755' })
    expect(parseArgs(m, { path: '/x', mode: 755 }).params).toEqual(fresh(m, { path: '/x', mode: 755 }))
    expect(plainKey({ a: undefined })).not.toBe(plainKey({}))
    expect(plainKey({ a: '1' })).not.toBe(plainKey({ a: 1 }))
    expect(plainKey({ a: 1, b: 2 })).not.toBe(plainKey({ b: 2, a: 1 }))
    expect(plainKey([1, [2]])).not.toBe(plainKey([[1], 2]))
    expect(plainKey({ 'a":1,"b': 1 })).not.toBe(plainKey({ a: 1, b: 1 }))
  })

  it('keeps nothing for what is not plain data', () => {
    class Text {
      constructor(readonly text: string) {}
    }
    const nullProto = Object.assign(Object.create(null) as object, { a: 1 })
    const getter = Object.defineProperty({}, 'a', { enumerable: true, get: () => 1 })
    // eslint-disable-next-line no-sparse-arrays -- a hole is what is tested
    for (const v of [-0, NaN, Infinity, new Text('x'), nullProto, getter, [1, , 2], () => 1, Symbol('s'), 1n, { a: new Date(0) }]) {
      expect(plainKey(v), String(typeof v)).toBeUndefined()
    }
  })

  it('keeps small arguments, and parses large ones (inline content) each time rather than hold them', () => {
    const m = mod('copy')
    const spy = vi.spyOn(m.params, 'safeParse')
    try {
      const small = { dest: '/etc/kept-small', content: 'x' }
      parseArgs(m, structuredClone(small))
      parseArgs(m, structuredClone(small))
      expect(spy).toHaveBeenCalledTimes(1)
      spy.mockClear()
      const large = { dest: '/etc/kept-large', content: 'x'.repeat(100_000) }
      expect(parseArgs(m, structuredClone(large)).params).toEqual(fresh(m, large))
      parseArgs(m, structuredClone(large))
      expect(spy).toHaveBeenCalledTimes(3) // twice by parseArgs, once by fresh()
    } finally {
      spy.mockRestore()
    }
  })
})
