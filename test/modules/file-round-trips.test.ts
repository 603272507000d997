// The benchmark target: a file or lineinfile task costs < 5 ms engine-side. Here plan + apply of the module
// alone (facts seeded, fake transport) must stay far below that, and cost one fact read and one write.
import { describe, expect, it } from 'vitest'
import { FactCache, fileFact } from '../../src/facts/index.js'
import { createModuleContext } from '../../src/engine/module-context.js'
import { getModule, normalizePlan } from '../../src/modules/index.js'
import { FakeTransport } from '../../src/transport/fake.js'

const conf = Array.from({ length: 800 }, (_, i) => `#setting_${i} = ${i}\n`).join('') // a postgresql.conf-sized file

async function once(module: string, args: Record<string, unknown>, factArgs: object): Promise<FakeTransport> {
  const transport = new FakeTransport('node1')
  const facts = new FactCache()
  facts.seed(fileFact, factArgs as never, { path: '/etc/pg.conf', exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', size: conf.length, content: conf }, '')
  const ctx = createModuleContext({
    host: 'node1', transport, facts, vars: {}, check: false, become: { become: false }, signal: new AbortController().signal,
    render: (t) => t, resolveLocal: (_k, p) => p,
  })
  const mod = getModule(module)!
  const params = mod.params.parse(args)
  const plan = normalizePlan(await mod.plan(ctx, params))
  await mod.apply!(ctx, params, plan)
  return transport
}

describe('file module cost', () => {
  it.each([
    ['lineinfile', { path: '/etc/pg.conf', regexp: '^#?setting_400 ', line: 'setting_400 = on' }, { path: '/etc/pg.conf', follow: true, content: 16777216 }],
    ['copy', { dest: '/etc/pg.conf', content: 'x = 1\n' }, { path: '/etc/pg.conf', checksum: 'sha1', content: 262144 }],
  ])('%s: plan + apply under 1 ms on average, with exactly one write', async (module, args, factArgs) => {
    for (let i = 0; i < 20; i++) await once(module, args, factArgs)
    const n = 300
    const t0 = performance.now()
    let t: FakeTransport | undefined
    for (let i = 0; i < n; i++) t = await once(module, args, factArgs)
    const perTask = (performance.now() - t0) / n
    expect(perTask).toBeLessThan(1)
    expect(t!.calls.map((c) => c.kind)).toEqual(['write'])
  })
})
