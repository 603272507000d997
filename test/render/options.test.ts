// `pgha render` options as a DBA uses them: the same tree twice, --limit, -e overrides, --out rules
// (refuses a foreign non-empty directory, replaces its own), the default playbook from any directory, and
// bad input refused with exit 1 and file:line:col before anything is written.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pgha, PRODUCTION, readTree, REPO, tempDir } from './helpers.js'

const dirs: string[] = []
const scratch = (name: string): string => {
  const d = tempDir(name)
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('pgha render options', () => {
  it('renders the same tree twice, byte for byte and mode for mode', async () => {
    const root = scratch('twice')
    const a = join(root, 'a')
    const b = join(root, 'b')
    expect((await pgha(['render', '-i', PRODUCTION, '--out', a])).code).toBe(0)
    expect((await pgha(['render', '-i', PRODUCTION, '--out', b])).code).toBe(0)
    const first = readTree(a)
    expect(Object.keys(first).length).toBeGreaterThan(10)
    expect(readTree(b)).toEqual(first)
    // Rendering again into the same directory replaces it with the same tree.
    expect((await pgha(['render', '-i', PRODUCTION, '--out', a])).code).toBe(0)
    expect(readTree(a)).toEqual(first)
  })

  it('--limit node2 renders only node2, and a re-render drops the hosts no longer rendered', async () => {
    const out = join(scratch('limit'), 'out')
    await pgha(['render', '-i', PRODUCTION, '--out', out])
    expect(existsSync(join(out, 'node1'))).toBe(true)
    const r = await pgha(['render', '-i', PRODUCTION, '--out', out, '-l', 'node2'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/^node1/m)
    expect(existsSync(join(out, 'node1'))).toBe(false)
    expect(readFileSync(join(out, 'node2/usr/local/pgsql/repmgr.conf'), 'utf8')).toMatch(/^node_id=2$/m)
  })

  it('-e overrides reach every file: pg_data=/data moves postgresql.conf and pg_hba.conf and changes the unit', async () => {
    const out = join(scratch('extra'), 'out')
    expect((await pgha(['render', '-i', PRODUCTION, '--out', out, '-e', 'pg_data=/data', '-e', 'pg_service=postgres'])).code).toBe(0)
    const tree = readTree(join(out, 'node1'))
    expect(tree['data/postgresql.conf'].text).toContain('wal_level = replica')
    expect(tree['data/pg_hba.conf']).toBeDefined()
    expect(Object.keys(tree).some((p) => p.startsWith('home/postgres/data'))).toBe(false)
    expect(tree['etc/systemd/system/postgres.service'].text).toMatch(/^ExecStart=\/usr\/local\/pgsql\/bin\/pg_ctl start -D \/data /m)
    expect(tree['usr/local/pgsql/repmgr.conf'].text).toMatch(/^data_directory='\/data'$/m)
  })

  it('refuses a non-empty directory it did not write unless --force, and then deletes nothing of it', async () => {
    const out = scratch('foreign')
    writeFileSync(join(out, 'notes.txt'), 'mine\n')
    const refused = await pgha(['render', '-i', PRODUCTION, '--out', out])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/is not empty and was not written by pgha render.*--force/)
    expect(existsSync(join(out, 'node1'))).toBe(false)
    expect((await pgha(['render', '-i', PRODUCTION, '--out', out, '--force'])).code).toBe(0)
    expect((await pgha(['render', '-i', PRODUCTION, '--out', out])).code).toBe(0)
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine\n')
    expect(existsSync(join(out, 'node2/etc/sudoers.d/postgres'))).toBe(true)
    const notDir = await pgha(['render', '-i', PRODUCTION, '--out', join(out, 'notes.txt')])
    expect(notDir.code).toBe(1)
    expect(notDir.stderr).toContain('notes.txt is not a directory')
  })

  it("finds pgha's own site.yml from another directory and writes ./render-out by default", async () => {
    const cwd = scratch('cwd')
    const before = process.cwd()
    process.chdir(cwd)
    try {
      expect((await pgha(['render', '-i', PRODUCTION])).code).toBe(0)
    } finally {
      process.chdir(before)
    }
    expect(readFileSync(join(cwd, 'render-out/node1/_render.txt'), 'utf8')).toContain(join(REPO, 'playbooks/site.yml'))
  })
})

describe('pgha render refuses bad input with exit 1 and where it is', () => {
  it('an undefined variable in a playbook: file:line:col, nothing written', async () => {
    const dir = scratch('bad')
    const playbook = join(dir, 'site.yml')
    writeFileSync(playbook, '- hosts: all\n  tasks:\n    - copy: { dest: /etc/x, content: "{{ pg_dta }}" }\n')
    const out = join(dir, 'out')
    const r = await pgha(['render', '-i', PRODUCTION, '--playbook', playbook, '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${playbook}:3:`)
    expect(r.stderr).toMatch(/undefined variable 'pg_dta'.*did you mean 'pg_data'/)
    expect(existsSync(out)).toBe(false)
  })

  it('a --limit that selects nothing, a bad -e and a malformed pgha_render_facts', async () => {
    const out = join(scratch('bad2'), 'out')
    const limit = await pgha(['render', '-i', PRODUCTION, '--out', out, '-l', 'node9'])
    expect(limit.code).toBe(1)
    expect(limit.stderr).toContain('--limit:1:1')
    const extra = await pgha(['render', '-i', PRODUCTION, '--out', out, '-e', '{"pg_data": '])
    expect(extra.code).toBe(1)
    const facts = await pgha(['render', '-i', PRODUCTION, '--out', out, '-e', '{"pgha_render_facts": {"distribution": "CentOS"}}'])
    expect(facts.code).toBe(1)
    expect(facts.stderr).toMatch(/pgha_render_facts of node1 has no os_family/)
    expect(existsSync(out)).toBe(false)
  })

  it.each(['..', 'a/b'])('a host name that cannot be a directory: %s', async (name) => {
    const dir = scratch('badhost')
    writeFileSync(join(dir, 'hosts.ini'), `${name}\n`)
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: /etc/x, content: "x" }\n')
    const r = await pgha(['render', '-i', join(dir, 'hosts.ini'), '--playbook', join(dir, 'site.yml'), '--out', join(dir, 'out')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`host '${name}' cannot be a directory name`)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })
})
