// import_tasks is inlined at load time; include_tasks stays a node, preloaded when its file is literal,
// and loadTasksFile expands a templated one at run time with what the include hands down.
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigErrors } from '../../src/errors.js'
import { loadTasksFile, type IncludeTasks, type Task } from '../../src/playbook/index.js'
import { fixtures, load, problems } from './helpers.js'

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

  describe('a file only include_tasks reaches, using a module or parameter pgha lacks', () => {
    const pacman = "unknown module 'pacman': pgha does not have it"
    const unsafe = "module 'copy' has no parameter 'unsafe_writes'"

    it('loads the play with a warning naming file:line:col, and leaves the file to run time', () => {
      const book = load('valid/dynamic-lacking.yml')
      const warnings = (book.warnings ?? []).map((w) => `${relative(fixtures, w.loc!.file)}:${w.loc!.line}:${w.loc!.col}: ${w.message}`)
      expect(warnings).toHaveLength(2)
      expect(warnings[0]).toMatch(new RegExp(`^valid/dynamic-lacking/setup-Archlinux.yml:2:3: ${pacman}.*the include fails then`))
      expect(warnings[1]).toMatch(new RegExp(`^valid/dynamic-lacking/setup-Archlinux.yml:8:5: ${unsafe}.*the include fails then`))
      const [arch, debian] = book.plays[0].tasks as IncludeTasks[]
      expect(arch.preloaded).toBeUndefined()
      // A file with nothing lacking is still preloaded (its errors found before any host is contacted).
      expect((debian.preloaded as Task[]).map((t) => t.name)).toEqual(['Everything here is known'])
    })

    it('fails the include with the same messages when it runs', () => {
      const [arch] = load('valid/dynamic-lacking.yml').plays[0].tasks as IncludeTasks[]
      let err: unknown
      try {
        loadTasksFile(arch.file, arch)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(ConfigErrors)
      expect((err as ConfigErrors).errors.map((e) => `${e.loc?.line}:${e.loc?.col}: ${e.message}`)).toEqual([
        expect.stringMatching(new RegExp(`^2:3: ${pacman}`)),
        `8:5: ${unsafe}`,
      ])
    })

    it('is an input error when the file is imported (static, read with the play)', () => {
      expect(problems('errors/dynamic-import-lacking.yml')).toEqual([
        expect.stringMatching(new RegExp(`^valid/dynamic-lacking/setup-Archlinux.yml:2:3: ${pacman}`)),
        `valid/dynamic-lacking/setup-Archlinux.yml:8:5: ${unsafe}`,
      ])
    })

    it('keeps misspelt keywords and modules input errors even there', () => {
      expect(problems('errors/dynamic-misspelt.yml')).toEqual([
        "errors/dynamic-misspelt-tasks.yml:5:3: unknown keyword 'whenn' (did you mean 'when'?)",
        "errors/dynamic-misspelt-tasks.yml:7:3: unknown module 'cpoy' (did you mean 'copy'?)",
      ])
    })
  })
})
