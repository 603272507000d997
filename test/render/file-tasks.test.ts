// How each kind of file task is rendered (test/fixtures/render/combine): later edits applied to an earlier
// template as the host would end up with them, per-item loop conditions, run-time conditions assumed and
// noted, templated includes, rescue left out, delegate_to, handlers, and a task that would fail on the host.
import { readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgha, readTree, tempDir, type CliResult, type TreeEntry } from './helpers.js'

const FIXTURE = resolve(__dirname, '../fixtures/render/combine')
const args = (out: string, ...more: string[]): string[] =>
  ['render', '-i', join(FIXTURE, 'hosts.yml'), '--playbook', join(FIXTURE, 'site.yml'), '--out', out, ...more]

const root = tempDir('combine')
let result: CliResult
let a: Record<string, TreeEntry>
let b: Record<string, TreeEntry>
beforeAll(async () => {
  result = await pgha(args(join(root, 'out')))
  a = readTree(join(root, 'out/a'))
  b = readTree(join(root, 'out/b'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('pgha render file tasks', () => {
  it('applies lineinfile and blockinfile to the template they follow, keeping its mode', () => {
    expect(result.code).toBe(0)
    expect(a['etc/app/app.conf']).toEqual({
      mode: '0600',
      text: '# app on a\nport = 6543\nname = a\n# BEGIN ANSIBLE MANAGED BLOCK\nextra = 1\n# END ANSIBLE MANAGED BLOCK\n',
    })
    expect(b['etc/app/app.conf'].text).toContain('port = 7000\nname = b\n')
    expect(a['_render.txt'].text).toMatch(/\/etc\/app\/app.conf {2}\(mode 0600\)\n +template .*\n +lineinfile .*\n +blockinfile .*\n/)
  })

  it('replaces an edited file with a later copy, which is then complete (not marked edited)', () => {
    expect(a['etc/app/replaced']).toEqual({ mode: '0640', text: 'whole\n' })
    expect(a['_render.txt'].text).toMatch(/^ {2}\/etc\/app\/replaced {2}\(mode 0640\)\n +lineinfile .*\n +copy /m)
  })

  it("renders another host's templated variables through hostvars against that host, as a run does", () => {
    expect(a['etc/app/peers'].text).toBe('http://a:6543\nhttp://b:7000\n')
    expect(b['etc/app/peers'].text).toBe('http://a:6543\nhttp://b:7000\n')
  })

  it('copies a controller file byte for byte, and loops only over the items whose condition holds', () => {
    expect(a['etc/motd'].text).toBe(readFileSync(join(FIXTURE, 'files/motd'), 'utf8'))
    expect(a['etc/app/features'].text).toBe('a\nc\n')
    expect(a['_render.txt'].text).toMatch(/\/etc\/app\/features {2}\(edited\)\n +lineinfile .* \(x2\)\n/)
  })

  it('assumes a run-time condition and notes it; follows a templated include with facts from pgha_render_facts', () => {
    expect(a['etc/app/run-time']).toBeDefined()
    expect(a['_render.txt'].text).toMatch(/site.yml:\d+:\d+ only when the directory exists: condition 'app_stat.stat.exists' reads app_stat \(known only when the playbook runs\): assumed true/)
    expect(a['etc/app/family'].text).toBe('debian\n')
  })

  it('leaves out a loop over a run-time result, with a note naming it', () => {
    expect(Object.keys(a).some((p) => p.startsWith('etc/app/found-'))).toBe(false)
    expect(a['_render.txt'].text).toMatch(/site.yml:\d+:\d+ one file per entry found: loop not expanded offline \(.*app_stat.*\): not rendered/)
  })

  it('renders a block, leaves its rescue out with a note, and runs notified handlers', () => {
    expect(a['etc/app/block'].text).toBe('b\n')
    expect(a['etc/app/rescued']).toBeUndefined()
    expect(a['_render.txt'].text).toContain('rescue section not rendered: it runs only when the block fails')
    expect(a['etc/app/handled'].text).toBe('h\n')
  })

  it('puts a delegated file on the host it is delegated to', () => {
    expect(Object.keys(a).filter((p) => p.startsWith('etc/app/from-')).sort()).toEqual(['etc/app/from-a', 'etc/app/from-b'])
    expect(Object.keys(b).some((p) => p.startsWith('etc/app/from-'))).toBe(false)
  })

  it('notes a delegated write to a host outside --limit instead of writing it', async () => {
    const r = await pgha(args(join(root, 'limited'), '-l', 'b'))
    expect(r.code).toBe(0)
    expect(readFileSync(join(root, 'limited/b/_render.txt'), 'utf8')).toContain('writes to a, which this render does not cover')
  })

  it('exits 2 and names the task and the cause when a file task would fail on the host', async () => {
    const r = await pgha(args(join(root, 'broken'), '-e', 'break_it=true'))
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/^a\s+\d+\s+\d+\s+1$/m)
    expect(r.stderr).toMatch(/^a: ERROR \S*site.yml:\d+:\d+ a template that fails on the host: would fail on the host: .*hostvar: 'not_set' is not defined for a$/m)
    // Everything else is still rendered.
    expect(readTree(join(root, 'broken/a'))['etc/app/app.conf']).toEqual(a['etc/app/app.conf'])
  })
})
