import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/errors.js'
import { locOf } from '../../src/yaml-source.js'
import { loadVarsFile, parseExtraVars, renderString } from '../../src/vars/index.js'
import { errorOf } from './config-error.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-vars-'))
const file = (name: string, text: string): string => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}


describe('loadVarsFile', () => {
  it('loads a mapping and keeps positions for later template errors', () => {
    const p = file('pg.yml', 'pg_version: 13\npg_bindir: "{{ pg_prefix }}/bin"\n')
    const vars = loadVarsFile(p)
    expect(vars).toEqual({ pg_version: 13, pg_bindir: '{{ pg_prefix }}/bin' })
    const err = errorOf(() => renderString(vars.pg_bindir as string, {}, locOf(vars, 'pg_bindir')!))
    expect(err.format()).toContain(`${p}:2:16: undefined variable 'pg_prefix'`)
  })
  it('accepts an empty file', () => {
    expect(loadVarsFile(file('empty.yml', '# nothing\n'))).toEqual({})
  })
  it('refuses a list with its position, and a missing file at the naming location', () => {
    const p = file('list.yml', '\n- a\n- b\n')
    expect(errorOf(() => loadVarsFile(p)).loc).toEqual({ file: p, line: 2, col: 1 })
    const from = { file: 'site.yml', line: 4, col: 9 }
    const err = errorOf(() => loadVarsFile(join(dir, 'missing.yml'), from))
    expect(err.message).toMatch(/file not found/)
    expect(err.loc).toEqual(from)
  })
})

describe('parseExtraVars', () => {
  it('parses k=v words as strings, with quotes', () => {
    expect(parseExtraVars([`pg_port=5433 msg='hello world' q="a \\"b\\"" empty=`])).toEqual({
      pg_port: '5433',
      msg: 'hello world',
      q: 'a "b"',
      empty: '',
    })
  })
  it('parses JSON and YAML mappings with their types', () => {
    expect(parseExtraVars(['{"pg_port": 5433, "list": [1, 2]}', '{ ssl: true }'])).toEqual({ pg_port: 5433, list: [1, 2], ssl: true })
  })
  it('loads @file, later arguments win', () => {
    const p = file('extra.yml', 'a: 1\nb: 2\n')
    expect(parseExtraVars([`@${p}`, 'b=override'])).toEqual({ a: 1, b: 'override' })
  })
  it('names the -e argument and the column of a bad word', () => {
    const err = errorOf(() => parseExtraVars(['a=1', 'ok=1 oops 2x=3']))
    expect(err.message).toMatch(/^-e argument: expected key=value/)
    expect(err.loc).toEqual({ file: '-e #2', line: 1, col: 6 })
    expect(err.format()).toContain('ok=1 oops 2x=3')
    expect(errorOf(() => parseExtraVars(['2x=3'])).message).toMatch(/'2x' is not a valid variable name/)
    expect(errorOf(() => parseExtraVars(["a='open"])).message).toMatch(/unterminated quote/)
  })
  it('reports a missing @file and bad JSON at the argument', () => {
    const err = errorOf(() => parseExtraVars(['@/nonexistent/x.yml']))
    expect(err.message).toMatch(/cannot read \/nonexistent\/x.yml: file not found/)
    expect(err.loc).toEqual({ file: '-e #1', line: 1, col: 2 })
    expect(errorOf(() => parseExtraVars(['{"a": ']))).toBeInstanceOf(ConfigError)
    expect(errorOf(() => parseExtraVars(['[1, 2]'])).message).toMatch(/expected key=value/)
  })
})
