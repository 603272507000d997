// What a file or lineinfile task costs on the wire once its fact is known (read ahead, or cached): one
// write and nothing else. Its time is measured by the benchmark (npm run bench), never asserted here.
import { describe, expect, it } from 'vitest'
import { FactCache, fileFact } from '../../src/facts/index.js'
import { FakeTransport } from '../../src/transport/fake.js'
import { runModule } from './harness.js'

const conf = Array.from({ length: 800 }, (_, i) => `#setting_${i} = ${i}\n`).join('') // a postgresql.conf-sized file

async function once(module: string, args: Record<string, unknown>, factArgs: object): Promise<FakeTransport> {
  const transport = new FakeTransport('node1')
  const facts = new FactCache()
  facts.seed(fileFact, factArgs as never, { path: '/etc/pg.conf', exists: true, type: 'file', mode: '0644', owner: 'root', group: 'root', size: conf.length, content: conf }, '')
  await runModule(module, args, transport, { facts })
  return transport
}

describe('file module round trips', () => {
  it.each([
    ['lineinfile', { path: '/etc/pg.conf', regexp: '^#?setting_400 ', line: 'setting_400 = on' }, { path: '/etc/pg.conf', follow: true, content: 16777216 }],
    ['copy', { dest: '/etc/pg.conf', content: 'x = 1\n' }, { path: '/etc/pg.conf', checksum: 'sha1', content: 262144 }],
  ])('%s: plan + apply with its fact known makes exactly one write', async (module, args, factArgs) => {
    const t = await once(module, args, factArgs)
    expect(t.calls.map((c) => c.kind)).toEqual(['write'])
  })
})
