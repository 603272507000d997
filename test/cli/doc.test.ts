// `pgha doc templates` lists what templates may use, from the same tables the parser checks names against.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { modules } from '../../src/modules/index.js'

describe('pgha doc templates', () => {
  it("lists the Jinja2 filters, tests, methods, functions and lookups, and the .hbs helpers", () => {
    const r = spawnSync(process.execPath, [BIN, 'doc', 'templates'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    const section = (title: string): string => r.stdout.split(`${title}`)[1]?.split('\n\n')[0].split(/\n\S/)[0] ?? ''
    expect(section('filters (x | name):')).toMatch(/\bregex_replace\b[\s\S]*\bto_nice_yaml\b/)
    expect(section('tests (x is name):')).toMatch(/\bversion\b/)
    expect(section('methods (x.name()):')).toMatch(/\bstartswith\b/)
    expect(section("lookups (lookup('name', ...), query('name', ...)):")).toMatch(/\bfirst_found\b[\s\S]*\bpassword\b/)
    expect(r.stdout).toMatch(/Handlebars helpers, in \.hbs template files only:\n\s+default/)
  })

  it('is named at the end of the module list', () => {
    const r = spawnSync(process.execPath, [BIN, 'doc'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/pgha doc templates\n$/)
  })

  // The built command loads each module on its first use, by the name its build recorded for it: listing
  // them loads every one, and each must answer to the name the registry gives it.
  it('lists every module of the registry, each with its description', () => {
    const r = spawnSync(process.execPath, [BIN, 'doc'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status, r.stderr).toBe(0)
    const listed = r.stdout.split('\n\n')[0].split('\n').map((line) => /^(\S+) +(\S.*)$/.exec(line))
    expect(listed.map((m) => m?.[1]).sort()).toEqual([...modules.keys()].sort())
    for (const m of listed) expect(m?.[2]).toBe(modules.get(m![1])!.description)
  })
})
