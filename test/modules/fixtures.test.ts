// The generic runner for module fixtures: test/fixtures/modules/<module>/<case>.yaml, each
//   { params, factset?: debian12|centos7, facts?: [{name, args, value}], vars?, check?,
//     exec?: [{match, rc?, stdout?, stderr?}]    canned answers to commands (match: exact text or /regex/)
//     files?: {path: content}                    local files under test/fixtures/modules/<module>/files/
//     expect: { changes?: [description...], diff?: [{path, before, after}], commands?: [text or /regex/...],
//               writes?: [{path, content?, mode?, owner?, group?, validate?}] (values: text or /regex/), result?: {...}, error?: substring,
//               unpredictable?: bool } }
// run through the module's plan (and apply unless check) on the fake transport.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { parse } from 'yaml'
import { runModule } from './harness.js'
import { asMatcher, fixtureHost, fixturesRoot, type Fixture } from './fixture-file.js'

const root = fixturesRoot

async function runFixture(moduleName: string, dir: string, fx: Fixture) {
  const { transport, facts: cache } = fixtureHost(fx)
  let planCalls = 0
  const { plan, result } = await runModule(moduleName, fx.params, transport, {
    facts: cache, vars: { inventory_hostname: 'node1', ...fx.vars }, check: fx.check, become: { become: !!fx.become }, project: dir,
    afterPlan: () => {
      planCalls = transport.calls.length
    },
  })
  return { plan, result, applied: transport.calls.slice(planCalls) }
}

const cases = existsSync(root)
  ? readdirSync(root).flatMap((m) =>
      readdirSync(join(root, m)).filter((f) => f.endsWith('.yaml')).map((f) => ({ module: m, file: f, dir: join(root, m) })),
    )
  : []

describe('module fixtures', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(0))
  for (const c of cases) {
    it(`${c.module}/${c.file}`, async () => {
      const fx = parse(readFileSync(join(c.dir, c.file), 'utf8')) as Fixture
      if (fx.expect.error !== undefined) {
        await expect(runFixture(c.module, c.dir, fx)).rejects.toThrow(fx.expect.error)
        return
      }
      const { plan, result, applied } = await runFixture(c.module, c.dir, fx)
      if (fx.expect.changes) expect(plan.changes.map((ch) => ch.description)).toEqual(fx.expect.changes)
      if (fx.expect.diff) expect(plan.changes.filter((ch) => ch.path !== undefined).map((ch) => ({ path: ch.path, before: ch.before ?? '', after: ch.after ?? '' }))).toEqual(fx.expect.diff)
      if (fx.expect.unpredictable !== undefined) expect(!!plan.unpredictable).toBe(fx.expect.unpredictable)
      if (fx.expect.commands) {
        const ran = applied.filter((a) => a.kind === 'exec').map((a) => a.command ?? '')
        expect(ran.length).toBe(fx.expect.commands.length)
        fx.expect.commands.forEach((m, i) => {
          const matcher = asMatcher(m)
          if (typeof matcher === 'string') expect(ran[i]).toBe(matcher)
          else expect(ran[i]).toMatch(matcher)
        })
      }
      if (fx.expect.writes) {
        const writes = applied.filter((a) => a.kind === 'write' || a.kind === 'put')
        expect(writes.length).toBe(fx.expect.writes.length)
        fx.expect.writes.forEach((w, i) => {
          const got = { path: writes[i].path, content: writes[i].content, ...(writes[i].options as object) }
          // String values written /like this/ are regexps (paths under the checkout, temp names).
          const want = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, typeof v === 'string' && asMatcher(v) instanceof RegExp ? expect.stringMatching(asMatcher(v)) : v]))
          expect(got).toMatchObject(want)
        })
      }
      if (fx.expect.result) expect(result).toMatchObject(fx.expect.result)
    })
  }
})
