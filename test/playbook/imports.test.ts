// import_tasks is inlined at load time; include_tasks stays a node, preloaded when its file is literal,
// and loadTasksFile expands a templated one at run time with what the include hands down.
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { loadTasksFile, type IncludeTasks, type Task } from '../../src/playbook/index.js'
import { load, problems } from './helpers.js'

describe('include_tasks', () => {
  it('preloads a recursive include once and leaves the recursion to run time', () => {
    const [play] = load('cycles/include.yml').plays
    const outer = play.tasks[0] as IncludeTasks
    const [debug, inner] = outer.preloaded!
    expect((debug as Task).args).toEqual({ msg: 'level' })
    expect(inner).toMatchObject({ kind: 'include_tasks', file: 'rec.yml' })
    expect((inner as IncludeTasks).preloaded).toBeUndefined()
    expect(inner.when.map((c) => c.expr)).toEqual(['depth | int < 3'])
  })

  it('reports problems in a literally named file at load time, in that file', () => {
    expect(problems('errors/include-preload.yml')).toEqual(["errors/bad-tasks.yml:4:3: unknown module 'servce' (did you mean 'service'?)"])
  })

  it('loads a file named at run time with the include tags and vars', () => {
    const db = load('valid/site.yml').plays[1]
    const templated = db.tasks[6] as IncludeTasks
    const tasks = loadTasksFile('tasks/configure.yml', templated) as Task[]
    expect(tasks.map((t) => t.name)).toEqual(['Configure {{ item }}'])
    expect(tasks[0].tags).toEqual(['conf', 'db'])
  })

  it('throws ConfigErrors at the include when the file named at run time is missing', () => {
    const db = load('valid/site.yml').plays[1]
    const templated = db.tasks[6] as IncludeTasks
    let err: unknown
    try {
      loadTasksFile('tasks/primary.yml', templated)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigErrors)
    const [only] = (err as ConfigErrors).errors
    expect(only.message).toMatch(/^task file not found: tasks\/primary\.yml/)
    expect(only.loc?.line).toBe(82)
  })
})
