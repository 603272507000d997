// Invalid values of enumerated and numeric options are refused before anything runs: exit 2 (a usage
// error, as ansible-playbook's), an error naming the option and (for a near miss) the value meant, and the playbook's first task, which would
// leave a marker file, never runs. The control runs the same playbook with valid values.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LOCAL_INVENTORY, pgha, project } from './hostile-project.js'

function markerProject() {
  return project({
    'inv.ini': LOCAL_INVENTORY,
    'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: touch __DIR__/MARKER\n',
  }, 'cli-values')
}

const RUN_CASES: [string, string[], RegExp][] = [
  ['--output jsno (typo of json)', ['-o', 'jsno'], /'jsno' is not one of auto, plain, json, tty \(did you mean 'json'\?\)/],
  ['--output JSON (wrong case)', ['--output', 'JSON'], /'JSON' is not one of .*did you mean 'json'/],
  ['--output plian', ['--output', 'plian'], /did you mean 'plain'/],
  ['--output empty', ['--output', ''], /'' is not one of auto, plain, json, tty/],
  ['--output yaml (another command\'s format)', ['-o', 'yaml'], /'yaml' is not one of auto, plain, json, tty/],
  ['--output=tyy', ['--output=tyy'], /did you mean 'tty'/],
  ['--forks 0', ['--forks', '0'], /expected a positive whole number, got '0'/],
  ['--forks -3', ['-f', '-3'], /expected a positive whole number/],
  ['--forks 1.5', ['-f', '1.5'], /expected a positive whole number, got '1.5'/],
  ['--forks abc', ['-f', 'abc'], /expected a positive whole number, got 'abc'/],
  ['--timeout 0', ['-T', '0'], /expected a positive whole number/],
  ['--timeout 1e12 (overflows the timer)', ['-T', '1e12'], /expected at most 86400 seconds/],
  ['an unknown option near --output', ['--outptu', 'json'], /unknown option '--outptu'[\s\S]*Did you mean --output\?/],
]

describe('pgha run refuses invalid option values before anything runs', () => {
  it.each(RUN_CASES)('%s: exit 2, the error names it, nothing runs', async (_label, flags, message) => {
    const p = markerProject()
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), ...flags], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(existsSync(p.path('MARKER'))).toBe(false)
    expect(r.stdout).not.toContain('PLAY')
  }, 30_000)

  it('control: the same playbook with valid values runs', async () => {
    const p = markerProject()
    const r = await pgha(['run', p.path('site.yml'), '-i', p.path('inv.ini'), '-o', 'json', '-f', '2', '-T', '5'], p.dir)
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(p.path('MARKER'))).toBe(true)
  }, 30_000)
})

describe('the other commands refuse invalid enumerated values too', () => {
  it.each([
    ['status --output yml', ['status', '-o', 'yml'], /'yml' is not one of table, json/],
    ['status --output tabel', ['status', '-o', 'tabel'], /did you mean 'table'/],
    ['inventory --output jsn', ['inventory', '-o', 'jsn'], /did you mean 'json'/],
    ['inventory --output toml', ['inventory', '-o', 'toml'], /'toml' is not one of yaml, json/],
    ['status --timeout 999999', ['status', '-T', '999999'], /expected at most 86400 seconds/],
  ])('%s: exit 2 with the choices', async (_label, args, message) => {
    const p = markerProject()
    const r = await pgha([...args, '-i', p.path('inv.ini')], p.dir)
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  }, 30_000)

  it('pgha doc with a misspelt module suggests the module', async () => {
    const r = await pgha(['doc', 'lineinfle'], process.cwd())
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("unknown module 'lineinfle' (did you mean 'lineinfile'?)")
  }, 30_000)
})

describe('a command line without -i: the error, the usage, exit 2 (not the whole help)', () => {
  it.each([
    ['run', ['run', 'site.yml'], 'usage: pgha run -i <path> [options] <playbook>\n(pgha run --help lists every option)\n'],
    ['status', ['status'], 'usage: pgha status -i <path> [options]\n(pgha status --help lists every option)\n'],
    ['inventory', ['inventory', '--host', 'node1'], 'usage: pgha inventory -i <path> [options]\n(pgha inventory --help lists every option)\n'],
  ])('pgha %s', async (_label, args, usage) => {
    const p = markerProject()
    const r = await pgha(args, p.dir)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`ERROR: required option '-i, --inventory <path>' not specified\n${usage}`)
    expect(existsSync(p.path('MARKER'))).toBe(false)
  }, 30_000)

  it('an unknown command: the error, how pgha is called, exit 2', async () => {
    const r = await pgha(['rnu', 'site.yml'], process.cwd())
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("ERROR: unknown command 'rnu'\n(Did you mean run?)\nusage: pgha [options] [command]\n(pgha --help lists the commands)\n")
  }, 30_000)
})
