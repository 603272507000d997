// The same YAML read by pgha and by the real thing, compared as JSON: PyYAML's SafeLoader (what Ansible's
// loader builds on) and Ansible itself (`ansible localhost -m debug`, the text loaded with -e @file as vars
// files are). Runs where python3 with PyYAML, and ansible, are installed (CI installs ansible-core).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../src/yaml-source.js'
import { SCALARS } from './scalars.js'

/** Documents beyond single scalars: structure, merges, anchors, block scalars, `!unsafe`. */
const DOCUMENTS: Record<string, string> = {
  nested: 'a:\n  - {b: no, c: [0644, "0644", 1:30]}\n  - - off\n    - ~\n',
  merge: 'base: &b {x: yes, y: 1}\nother: &o {y: 2, z: 0x10}\nm:\n  <<: [*b, *o]\n  x: n\n',
  anchors: 'a: &v [on, 1.5]\nb: *v\nc: {k: *v}\n',
  blocks: 'lit: |\n  yes\n  0644\nfold: >-\n  on\n  off\n',
  keys: 'top:\n  yes: 1\n  0644: 2\n  1.5: 3\n  ~: 4\n',
  unsafe: 'u: !unsafe yes\nl: !unsafe [a, no]\n',
  flow: '{a: [yes, "no", 0b11], b: {c: .5, d: -.5}}',
}

/** Documents pgha reads differently on purpose, and how: each must still differ exactly so. */
const DIFFERENCES: { text: string; pyyaml: unknown; pgha: unknown; why: string }[] = [
  {
    text: 'v: 2001-12-14 21:59:43.10 -5\n',
    pyyaml: { v: '2001-12-14T21:59:43.100000-05:00' },
    pgha: { v: '2001-12-14 21:59:43.10 -5' },
    why: 'PyYAML makes a datetime of a timestamp; pgha has no date type and keeps the text as written',
  },
]

const caseKey = (i: number): string => `c${i}`
const scalarDoc = SCALARS.map(([text], i) => `${caseKey(i)}: ${text}`).join('\n') + '\n'

/** JSON that also holds NaN and the infinities, as strings, since Python writes them as bare words. */
function normal(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)))
}
function parsePythonJson(text: string): unknown {
  return JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '"$1"'))
}

const pgha = (text: string): unknown => normal(parseYaml(text, 'case.yml'))

/** The python3 that has PyYAML, if any. */
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0)
const PY_LOAD = `
import sys, json, yaml, datetime
def iso(o):
    if isinstance(o, (datetime.date, datetime.datetime)): return o.isoformat()
    raise TypeError(repr(o))
class Loader(yaml.SafeLoader): pass
Loader.add_constructor('!unsafe', lambda l, n: l.construct_scalar(n) if isinstance(n, yaml.ScalarNode) else (l.construct_sequence(n) if isinstance(n, yaml.SequenceNode) else l.construct_mapping(n)))
docs = json.load(sys.stdin)
print(json.dumps({k: yaml.load(v, Loader=Loader) for k, v in docs.items()}, default=iso))
`

function pyyaml(docs: Record<string, string>): Record<string, unknown> {
  const r = spawnSync(python!, ['-c', PY_LOAD], { input: JSON.stringify(docs), encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return parsePythonJson(r.stdout) as Record<string, unknown>
}

// In CI the oracles must be there (.ci/run installs them): a skip there would count as a pass.
if (process.env.CI || process.env.PGHA_REQUIRE_LAB) {
  it('has its oracles: python3 with PyYAML and ansible', () => {
    expect(python, 'python3 cannot import yaml').toBeDefined()
    expect(ansible, 'ansible is not installed').toBe(true)
  })
}

describe.skipIf(!python)('pgha reads YAML as PyYAML does', () => {
  const docs = { scalars: scalarDoc, ...DOCUMENTS, ...Object.fromEntries(DIFFERENCES.map((d, i) => [`difference${i}`, d.text])) }
  const theirs = python ? pyyaml(docs) : {}

  it(`agrees on each of the ${SCALARS.length} scalars of the table`, () => {
    const mine = pgha(scalarDoc) as Record<string, unknown>
    const disagree = SCALARS.map(([text], i) => ({ text, pgha: mine[caseKey(i)], pyyaml: (theirs.scalars as Record<string, unknown>)[caseKey(i)] }))
      .filter((c) => JSON.stringify(c.pgha) !== JSON.stringify(c.pyyaml))
    expect(disagree).toEqual([])
  })

  it.each(Object.keys(DOCUMENTS))('agrees on the %s document', (name) => {
    expect(pgha(DOCUMENTS[name])).toEqual(theirs[name])
  })

  it.each(DIFFERENCES.map((d, i) => [d.why, i] as const))('differs on purpose: %s', (_, i) => {
    expect(theirs[`difference${i}`]).toEqual(DIFFERENCES[i].pyyaml)
    expect(pgha(DIFFERENCES[i].text)).toEqual(DIFFERENCES[i].pgha)
  })
})

const ansible = spawnSync('ansible', ['--version'], { encoding: 'utf8' }).status === 0

describe.skipIf(!ansible)('pgha reads YAML as Ansible does', () => {
  it('agrees with `ansible localhost -m debug` on a vars file of every case, and on JSON given with -e', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgha-ansible-'))
    const docs: Record<string, string> = { scalars: scalarDoc, ...DOCUMENTS }
    const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ')
    const varsText = `cases:\n${Object.entries(docs).map(([name, text]) => `  ${name}:\n${indent(text)}`).join('')}`
    const vars = join(dir, 'cases.yml')
    writeFileSync(vars, varsText)
    const json = '{"json_case": {"a": 1e3, "b": "yes", "c": [0.5, -2E-2]}}'
    const r = spawnSync('ansible', ['localhost', '-c', 'local', '-m', 'debug', '-a', 'msg={{ {"cases": cases, "json": json_case} | to_json }}', '-e', `@${vars}`, '-e', json], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: dir, ANSIBLE_HOME: dir },
      timeout: 120_000,
    })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    const reply = JSON.parse(r.stdout.slice(r.stdout.indexOf('=>') + 2)) as { msg: string }
    const theirs = parsePythonJson(reply.msg) as { cases: unknown; json: unknown }
    expect((pgha(varsText) as { cases: unknown }).cases).toEqual(theirs.cases)
    expect(pgha(json)).toEqual({ json_case: theirs.json })
  })
})
