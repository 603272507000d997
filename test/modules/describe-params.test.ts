// `pgha doc` describes each parameter by the value it takes: a preprocessed one (a yes/no boolean, an
// integer given as text) by what it becomes, never by zod's internal name for the step ("transform").
import { describe, expect, it } from 'vitest'
import { describeParams } from '../../src/modules/describe.js'
import { getModule, modules } from '../../src/modules/index.js'

describe('pgha doc parameter types', () => {
  it('names no parameter of any module by an internal schema step', () => {
    const internal = [...modules.values()].flatMap((m) => describeParams(m.params).filter((p) => /transform|pipe|preprocess/.test(p.type)).map((p) => `${m.name}.${p.name}: ${p.type}`))
    expect(internal).toEqual([])
  })

  it('shows a boolean as boolean and a count of seconds as number', () => {
    const file = describeParams(getModule('file')!.params)
    expect(file.find((p) => p.name === 'recurse')).toMatchObject({ type: 'boolean', default: false })
    const wait = describeParams(getModule('wait_for_connection')!.params)
    expect(wait.find((p) => p.name === 'timeout')).toMatchObject({ type: 'number', default: 600 })
  })
})
