// A realistic playbook using every keyword loads into the shape the engine runs.
import { describe, expect, it } from 'vitest'
import { resolve } from 'node:path'
import { formatLoc } from '../../src/errors.js'
import type { Block, IncludeTasks, Play, Task, TaskNode } from '../../src/playbook/index.js'
import { fixtures, load } from './helpers.js'

const site = load('valid/site.yml')
const [common, db] = site.plays
const where = (loc: { file: string; line: number; col: number }) => formatLoc({ ...loc, file: loc.file.slice(fixtures.length + 1) })
const named = (nodes: TaskNode[], name: string) => nodes.find((n) => n.name === name) as Task

describe('plays', () => {
  it('inlines import_playbook in place, with its tags and condition', () => {
    expect(site.plays.map((p) => p.name)).toEqual(['Common setup', 'PostgreSQL primary and standby'])
    expect(common.file).toBe(resolve(fixtures, 'valid/common.yml'))
    expect(common.tags).toEqual(['common'])
    const hello = common.tasks[0] as Task
    expect(hello.tags).toEqual(['common'])
    expect(hello.when.map((c) => [c.expr, where(c.loc)])).toEqual([['run_common | default(true)', 'valid/site.yml:4:9']])
  })

  it('reads every play keyword', () => {
    expect(db).toMatchObject<Partial<Play>>({
      hosts: 'dbservers:!witness',
      become: true,
      becomeUser: 'root',
      gatherFacts: false,
      serial: '50%',
      anyErrorsFatal: true,
      maxFailPercentage: 20,
      tags: ['db'],
      vars: { pg_version: 13, pg_prefix: '/usr/local/pgsql', pg_bin: '{{ pg_prefix }}/bin' },
      baseDir: resolve(fixtures, 'valid'),
    })
    expect(where(db.hostsLoc)).toBe('valid/site.yml:7:10')
    expect(db.varsFiles.map((v) => [v.path, where(v.loc)])).toEqual([['vars/cluster.yml', 'valid/site.yml:20:7']])
    expect(common.gatherFacts).toBe(true)
    expect(db.preTasks.map((t) => t.displayName)).toEqual(['Check connectivity'])
  })
})

describe('tasks', () => {
  it('parses free-form arguments and gives unnamed tasks a summary as their name', () => {
    const dir = named(db.tasks, 'Create the data directory')
    expect(dir.args).toEqual({ path: '{{ pg_prefix }}/data', state: 'directory', mode: '0700' })
    expect(dir.register).toBe('datadir')
    expect(dir.tags).toEqual(['setup', 'files', 'db'])
    const echo = db.tasks[1] as Task
    expect(echo.module).toBe('command')
    expect(echo.args).toEqual({ cmd: 'echo {{ pg_version }}', creates: '/tmp/a' })
    expect(echo.displayName).toBe('command: echo {{ pg_version }} creates=/tmp/a')
    expect(echo.changedWhen?.map((c) => c.expr)).toEqual(['false'])
    expect(where(echo.locOf('args.creates'))).toBe('valid/site.yml:29:46')
  })

  it('reads loop, notify and execution keywords, resolving FQCNs and YAML 1.1 booleans', () => {
    const copy = named(db.tasks, 'Install packages')
    expect(copy).toMatchObject<Partial<Task>>({
      module: 'copy',
      args: { src: 'pg.tar.gz', dest: '/opt/pg.tar.gz', backup: true },
      loop: '{{ packages }}',
      loopVar: 'pkg',
      loopLabel: '{{ item.name }}',
      notify: ['restart postgresql'],
      noLog: true,
      timeout: 30,
      environment: { PGPORT: '5432' },
      checkMode: false,
      delegateTo: '{{ first_db }}',
      runOnce: true,
      ignoreErrors: false,
    })
    expect(where(copy.loopLoc!)).toBe('valid/site.yml:36:13')
    expect(where(copy.argsLoc)).toBe('valid/site.yml:33:9')
    expect(where(copy.locOf('args.dest'))).toBe('valid/site.yml:34:15')
    expect(where(copy.locOf('timeout'))).toBe('valid/site.yml:42:16')
  })

  it('merges args: into free-form text and reads retries/until', () => {
    const wait = named(db.tasks, 'Wait for the server')
    expect(wait.args).toEqual({ chdir: '/tmp', cmd: 'pg_isready -p {{ pg_port }}' })
    expect(wait.until?.expr).toBe('ready.rc == 0')
    expect([wait.retries, wait.delay, wait.ignoreErrors]).toEqual([10, 2, true])
    expect(wait.failedWhen?.map((c) => [c.expr, where(c.loc)])).toEqual([
      ['ready.rc != 0', 'valid/site.yml:57:11'],
      ["'accepting' not in ready.stdout", 'valid/site.yml:58:11'],
    ])
    expect(named(db.tasks, 'Create the data directory')).toMatchObject({ retries: 3, delay: 5 })
  })

  it('keeps block/rescue/always and hands the block keywords to every task inside', () => {
    const block = db.tasks[4] as Block
    expect(block.kind).toBe('block')
    expect(block.becomeUser).toBe('postgres')
    const [template, unpack, nested] = block.block as Task[]
    expect(template.args).toEqual({ src: 'postgresql.conf.hbs', dest: '{{ conf_dir }}/postgresql.conf' })
    expect(template.when.map((c) => c.expr)).toEqual(['pg_version | int >= 13'])
    expect(template.becomeUser).toBe('postgres')
    expect(template.vars).toEqual({ conf_dir: '/etc/pg' })
    expect(template.notify).toEqual(['reload'])
    // import_tasks inlined, with the import's own condition and tags after the block's
    expect([unpack.name, nested.name]).toEqual(['Unpack', 'Nested task'])
    expect(unpack.when.map((c) => [c.expr, where(c.loc)])).toEqual([
      ['pg_version | int >= 13', 'valid/site.yml:65:11'],
      ['do_install', 'valid/site.yml:71:17'],
    ])
    expect(nested.tags).toEqual(['install', 'db'])
    expect(unpack.args).toEqual({ chdir: '/opt', cmd: 'tar xzf /opt/pg.tar.gz' })
    expect(unpack.baseDir).toBe(resolve(fixtures, 'valid/tasks'))
    expect(where(unpack.loc)).toBe('valid/tasks/install.yml:1:3')
    expect((block.rescue[0] as Task).args).toEqual({ msg: 'configuration failed' })
    expect((block.always[0] as Task).args).toEqual({ configured: true, cacheable: true })
  })

  it('keeps include_tasks as a node, preloading a literal file with what the include hands down', () => {
    const include = db.tasks[5] as IncludeTasks
    expect(include).toMatchObject({ kind: 'include_tasks', file: 'tasks/configure.yml', loop: ['a', 'b'], vars: { mode: 'fast' } })
    const [configure] = include.preloaded as Task[]
    expect(configure.name).toBe('Configure {{ item }}')
    expect(configure.tags).toEqual(['conf', 'db'])
    expect(configure.vars).toEqual({ mode: 'fast' })
    const templated = db.tasks[6] as IncludeTasks
    expect(templated.file).toBe('tasks/{{ role }}.yml')
    expect(templated.preloaded).toBeUndefined()
    expect(templated.displayName).toBe('include_tasks: tasks/{{ role }}.yml')
  })

  it('reads a free-form word for modules that take one, and handlers with listen', () => {
    expect((db.tasks[7] as Task).args).toEqual({ _raw_params: 'flush_handlers' })
    expect(db.handlers.map((h) => [h.name, (h as Task).listen])).toEqual([
      ['restart postgresql', []],
      ['reload postgresql', ['reload']],
    ])
    expect((db.handlers[0] as Task).args).toEqual({ name: 'postgresql', state: 'restarted' })
    expect(db.handlers[0].tags).toEqual([])
  })
})
