// A module fixture file (test/fixtures/modules/<module>/<case>.yaml) as the fixture runner and the hostile
// values test read it: the parameters, the host's facts and answers, and what is expected.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { facts as factDefs, FactCache } from '../../src/facts/index.js'
import { FakeTransport } from '../../src/transport/fake.js'

export const fixturesRoot = resolve(__dirname, '../fixtures/modules')
const factsets = resolve(__dirname, '../fixtures/factsets')

export interface Fixture {
  params: Record<string, unknown>
  factset?: string
  facts?: { name: string; args: unknown; value: unknown }[]
  vars?: Record<string, unknown>
  check?: boolean
  become?: boolean
  exec?: { match: string; rc?: number; stdout?: string; stderr?: string }[]
  expect: {
    changes?: string[]
    diff?: { path?: string; before: string; after: string }[]
    commands?: string[]
    writes?: Record<string, unknown>[]
    result?: Record<string, unknown>
    error?: string
    unpredictable?: boolean
  }
}

export const asMatcher = (m: string): string | RegExp => (m.length > 1 && m.startsWith('/') && m.endsWith('/') ? new RegExp(m.slice(1, -1)) : m)

function seedFacts(cache: FactCache, list: Fixture['facts']): void {
  for (const f of list ?? []) {
    const def = factDefs.get(f.name)
    if (!def) throw new Error(`fixture names unknown fact ${f.name}`)
    cache.seed(def, f.args ?? {}, f.value, '')
    cache.seed(def, f.args ?? {}, f.value, 'root')
  }
}

/** The fake host of a fixture: its canned answers, and the facts of its factset and its own. */
export function fixtureHost(fx: Fixture): { transport: FakeTransport; facts: FactCache } {
  const transport = new FakeTransport('node1')
  for (const r of fx.exec ?? []) transport.respond(asMatcher(r.match), { rc: r.rc ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' })
  const facts = new FactCache()
  if (fx.factset) seedFacts(facts, parse(readFileSync(join(factsets, `${fx.factset}.yaml`), 'utf8')))
  seedFacts(facts, fx.facts)
  return { transport, facts }
}
