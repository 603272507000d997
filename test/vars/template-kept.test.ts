// Handlebars' syntax tree and compiled code for a template file, kept on disk between runs (src/disk-cache.ts):
// a run that reads them renders what compiling gives, text and errors alike (file:line:col), and reads them indeed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'pgha-hbs-kept-'))
const root = join(dir, 'cache')
const BUILD = 'def456'
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const TEMPLATE = [
  '# {{ title }}',
  '{{#each hosts}}host {{this.name}} port={{default this.port 5432}}',
  '{{/each}}{{#if (eq mode "on")}}on{{else}}off{{/if}}',
  '{{ missing_on_3rd_host }}',
  '',
].join('\n')
const VARS = { title: 't', hosts: [{ name: 'a', port: 1 }, { name: 'b' }], mode: 'on', missing_on_3rd_host: 'x' }

/** What a render gives in a new run (modules loaded afresh), with the cache at `cacheRoot` (none: off). */
async function run(path: string, vars: Record<string, unknown>, cacheRoot?: string): Promise<string> {
  vi.resetModules()
  const { useDiskCache } = await import('../../src/disk-cache.js')
  const { renderTemplateFile } = await import('../../src/vars/index.js')
  useDiskCache(cacheRoot === undefined ? null : { root: cacheRoot, build: BUILD })
  try {
    return renderTemplateFile(readFileSync(path, 'utf8'), vars, path)
  } catch (err) {
    return `error: ${(err as Error).message}`
  }
}

const entries = (): string[] => readdirSync(join(root, BUILD)).filter((f) => f.startsWith('hbs-code-'))

describe('kept Handlebars code', () => {
  it('renders text and errors as compiling does, from the kept code', async () => {
    const path = join(dir, 'kept.conf.hbs')
    writeFileSync(path, TEMPLATE)
    const missing = { ...VARS, missing_on_3rd_host: undefined }
    delete missing.missing_on_3rd_host
    const compiled = [await run(path, VARS), await run(path, missing)]
    expect(compiled[0]).toBe('# t\nhost a port=1\nhost b port=5432\non\nx\n')
    expect(compiled[1]).toMatch(/undefined variable 'missing_on_3rd_host'/)
    expect([await run(path, VARS, root), await run(path, missing, root)]).toEqual(compiled)
    expect(entries()).toHaveLength(1)
    expect([await run(path, VARS, root), await run(path, missing, root)]).toEqual(compiled)
  })

  it('is what a later run uses, not the text', async () => {
    const path = join(dir, 'served.conf.hbs')
    writeFileSync(path, 'one {{ x }}\n{{#if x}}{{/if}}')
    await run(path, { x: 1 }, root)
    const before = new Set(entries())
    writeFileSync(path, 'two {{ x }}\n{{#if x}}{{/if}}')
    await run(path, { x: 1 }, root)
    const [second] = entries().filter((e) => !before.has(e))
    for (const first of before) writeFileSync(join(root, BUILD, first), readFileSync(join(root, BUILD, second)))
    writeFileSync(path, 'one {{ x }}\n{{#if x}}{{/if}}')
    expect(await run(path, { x: 1 }, root)).toBe('two 1\n')
  })

  it('parses and compiles again when the kept tree and code are damaged', async () => {
    const path = join(dir, 'damaged.conf.hbs')
    writeFileSync(path, '{{#each l}}{{this}},{{/each}}')
    await run(path, { l: [1] }, root)
    for (const e of readdirSync(join(root, BUILD))) writeFileSync(join(root, BUILD, e), '{"main": function(')
    expect(await run(path, { l: [1, 2] }, root)).toBe('1,2,')
  })
})
