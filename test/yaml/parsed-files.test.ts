// A task file imported in several places is parsed once: each load still gets values of its own (a load
// that changes what it got cannot change another's), with the positions errors point at, and a file that
// changed since is read as it is now.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { keyLocOf, loadYamlFile, locOf } from '../../src/yaml-source.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-parsed-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A task of TEXT as the loader gives it. */
type Task = { debug: { msg: string }; vars: { a: number[] } }

const TEXT = '- name: first\n  debug: { msg: hi }\n  vars: &v\n    a: [1, 2]\n- name: second\n  vars: *v\n'

describe('loading the same YAML file again', () => {
  it('gives equal values of its own, with the same positions', () => {
    const file = join(dir, 'tasks.yml')
    writeFileSync(file, TEXT)
    const one = loadYamlFile(file) as Task[]
    const two = loadYamlFile(file) as Task[]
    expect(two).toEqual(one)
    expect(two).not.toBe(one)
    expect(two[0].debug).not.toBe(one[0].debug)
    one[0].debug.msg = 'changed by the first load'
    one[0].vars.a.push(3)
    expect(two[0].debug.msg).toBe('hi')
    expect(two[0].vars.a).toEqual([1, 2])
    expect(loadYamlFile(file)).toEqual(two)
    expect(two[1].vars).toEqual({ a: [1, 2] })
    expect(locOf(two[0], 'debug')).toEqual({ file, line: 2, col: 10 })
    expect(keyLocOf(two[1], 'vars')).toEqual({ file, line: 6, col: 3 })
    expect(locOf(two[0].vars.a, 1)).toEqual({ file, line: 4, col: 12 })
  })

  it('reads a file that changed since as it is now', () => {
    const file = join(dir, 'vars.yml')
    writeFileSync(file, 'x: 1\n')
    expect(loadYamlFile(file)).toEqual({ x: 1 })
    writeFileSync(file, 'x: 2\ny: 3\n')
    expect(loadYamlFile(file)).toEqual({ x: 2, y: 3 })
    writeFileSync(file, 'x: [\n')
    expect(() => loadYamlFile(file)).toThrow(/never closed/)
  })
})
