// `with_<lookup>` and loop_control as the loader reads them: the lookup and its terms kept for the engine,
// and every misuse an input error at its file:line:col.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { ConfigErrors, formatLoc } from '../../src/errors.js'
import { loadPlaybook, type Task } from '../../src/playbook/index.js'
import { testModules } from './registry.js'

/** Loads a one-play playbook with these tasks (indented four spaces); returns its tasks or its problems. */
function loadTasks(tasks: string): { tasks: Task[]; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'pgha-loops-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'site.yml')
  writeFileSync(file, `- hosts: all\n  tasks:\n${tasks}`)
  try {
    return { tasks: loadPlaybook(file, testModules).plays[0].tasks as Task[], problems: [] }
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err
    return { tasks: [], problems: err.errors.map((e) => `${e.loc ? formatLoc({ ...e.loc, file: 'site.yml' }) : '-'}: ${e.message}`) }
  }
}

describe('with_<lookup>', () => {
  it('keeps the lookup and its terms, untemplated, where they are written', () => {
    const { tasks } = loadTasks(`
    - debug: msg={{ item }}
      with_items: [a, "{{ b }}"]
    - debug: msg={{ item }}
      with_sequence: count=3
    - debug: msg={{ item }}
      with_items:
`)
    expect(tasks.map((t) => [t.loopWith, t.loop, formatLoc({ ...t.loopLoc!, file: 'f' })])).toEqual([
      ['items', ['a', '{{ b }}'], 'f:5:19'],
      ['sequence', 'count=3', 'f:7:22'],
      ['items', [], 'f:9:18'],
    ])
  })

  it('refuses an unknown lookup, two loops, and a with_ loop where nothing loops', () => {
    expect(loadTasks(`
    - debug: msg=x
      with_dicts: {a: 1}
    - debug: msg=x
      loop: [1]
      with_items: [1]
    - debug: msg=x
      with_items: [1]
      with_list: [1]
    - block:
        - debug: msg=x
      with_items: [1]
`).problems).toEqual([
      "site.yml:5:7: unknown loop 'with_dicts': pgha has no lookup 'dicts' (did you mean 'with_dict'?)",
      "site.yml:8:7: a task loops once, but this one has both 'loop' and 'with_items'",
      "site.yml:11:7: a task loops once, but this one has both 'with_items' and 'with_list'",
      "site.yml:14:7: unknown keyword 'with_items' in a block",
    ])
  })
})

describe('loop_control', () => {
  it('reads pause, extended and extended_allitems as values or templates', () => {
    const { tasks } = loadTasks(`
    - debug: msg=x
      loop: [1]
      loop_control: { pause: 2, extended: yes, extended_allitems: "{{ all }}" }
`)
    expect(tasks[0]).toMatchObject({ loopPause: 2, loopExtended: true, loopAllItems: { template: '{{ all }}' } })
  })

  it('refuses a pause that is not a number, an extended that is not a boolean, and unknown keys', () => {
    expect(loadTasks(`
    - debug: msg=x
      with_items: [1]
      loop_control: { pause: soon, extended: maybe, index: i }
`).problems).toEqual([
      'site.yml:6:30: pause must be a non-negative number, got the string "soon"',
      'site.yml:6:46: extended must be true or false, got the string "maybe"',
      "site.yml:6:53: unknown keyword 'index' in loop_control",
    ])
  })
})
