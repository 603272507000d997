// What the pre-flight check sees: every template and condition with the names it reads and the names
// only its place defines, and the variables created at run time.
import { describe, expect, it } from 'vitest'
import { collectTemplateSources, definedAtRunTime, registeredNames, setFactNames, type TemplateSource } from '../../src/playbook/index.js'
import { fixtures, load } from './helpers.js'

const site = load('valid/site.yml')
const sources = [...collectTemplateSources(site)]
const at = (s: TemplateSource) => `${s.loc.file.slice(fixtures.length + 1)}:${s.loc.line}:${s.loc.col}`
const find = (key: string, text: string) => sources.filter((s) => s.key === key && s.text === text)

describe('collectTemplateSources', () => {
  it('yields templated arguments and play vars with their position and the names they read', () => {
    const [path] = find('args.path', '{{ pg_prefix }}/data')
    expect(path).toMatchObject({ kind: 'template', variables: ['pg_prefix'] })
    expect(at(path)).toBe('valid/site.yml:26:18')
    const [bin] = find('vars.pg_bin', '{{ pg_prefix }}/bin')
    expect(bin.task).toBeUndefined()
    expect(at(bin)).toBe('valid/site.yml:18:13')
  })

  it("makes loop variables, the task's vars and its own result local where they are defined", () => {
    const [label] = find('loop_control.label', '{{ item.name }}')
    expect(label.local.has('pkg')).toBe(true)
    const [loop] = find('loop', '{{ packages }}')
    expect(loop.local.has('pkg')).toBe(false)
    const [until] = find('until', 'ready.rc == 0')
    expect(until).toMatchObject({ kind: 'expression', variables: ['ready'] })
    expect(until.local.has('ready')).toBe(true)
    const [dest] = find('args.dest', '{{ conf_dir }}/postgresql.conf')
    expect(dest.local.has('conf_dir')).toBe(true)
    const [included] = find('name', 'Configure {{ item }}')
    expect([included.local.has('item'), included.local.has('mode')]).toEqual([true, true])
  })

  it("yields a block's condition once, for the block, though every task inside carries it", () => {
    const conditions = sources.filter((s) => s.text === 'pg_version | int >= 13')
    expect(conditions).toHaveLength(1)
    expect(conditions[0].task?.kind).toBe('block')
  })

  it('leaves names only tested with `is defined` or given a default out of the names read', () => {
    const [when] = sources.filter((s) => s.text === 'run_common | default(true)')
    expect(when.variables).toEqual([])
  })
})

describe('variables defined at run time', () => {
  it('collects register and set_fact names', () => {
    expect([...registeredNames(site)].sort()).toEqual(['datadir', 'ready'])
    expect([...setFactNames(site)]).toEqual(['configured'])
    expect([...definedAtRunTime(site)].sort()).toEqual(['configured', 'datadir', 'ready'])
  })
})
