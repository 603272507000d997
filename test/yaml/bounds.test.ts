// Hostile or careless input files are input errors, not a hang or an exhausted heap: each case runs `pgha run`
// in a node whose heap is capped at 64 MB (a case that read the whole input would crash it, not exit 1), and
// checks the exit code and the message a user reads. Timeouts only keep a hanging case from stalling the suite.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { localHosts, project } from '../engine/harness.js'

const root = mkdtempSync(join(tmpdir(), 'pgha-bounds-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const HOSTS = 'all:\n  hosts:\n    local1:\n      ansible_connection: local\n'
const PLAY = '- hosts: all\n  gather_facts: false\n'

/** A case directory holding `files` (and hosts.yml), for `pgha run`. */
function caseDir(name: string, files: Record<string, string>): string {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'hosts.yml'), HOSTS)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

/** A sparse file of `bytes` (no disk used): reading it whole would need that much memory. */
function sparse(path: string, bytes: number): string {
  writeFileSync(path, '')
  truncateSync(path, bytes)
  return path
}

function pgha(cwd: string, args: string[], env: Record<string, string> = {}): { status: number | null; stderr: string; stdout: string } {
  return spawnSync(process.execPath, ['--max-old-space-size=64', BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...env },
  })
}

const BIG = 200 * 1024 * 1024

describe('input files pgha will not read', () => {
  it('a 200 MB playbook, vars file, task file, inventory and -e @file', () => {
    const dir = caseDir('big', {
      'vars-play.yml': `${PLAY}  vars_files: [big.yml]\n  tasks: []\n`,
      'include-play.yml': `${PLAY}  tasks:\n    - include_tasks: big.yml\n`,
      'ok.yml': `${PLAY}  tasks: []\n`,
    })
    sparse(join(dir, 'big.yml'), BIG)
    const refused = /cannot read big\.yml: it is 200 MiB, over the 10 MiB pgha reads \(PGHA_MAX_INPUT_BYTES sets the limit\)/
    for (const args of [['run', 'big.yml', '-i', 'hosts.yml'], ['run', 'ok.yml', '-i', 'big.yml'], ['run', 'ok.yml', '-i', 'hosts.yml', '-e', '@big.yml']]) {
      const r = pgha(dir, args)
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toMatch(refused)
    }
    for (const [play, at] of [['vars-play.yml', 'vars-play.yml:3:16'], ['include-play.yml', 'include-play.yml:4:22']]) {
      const r = pgha(dir, ['run', play, '-i', 'hosts.yml'])
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain(`${at}: cannot read big.yml: it is 200 MiB`)
    }
  }, 120_000) // it writes 200 MB files and starts pgha five times: slow on a loaded machine, not a bound

  it('PGHA_MAX_INPUT_BYTES sets the limit', () => {
    const dir = caseDir('limit', { 'site.yml': `${PLAY}  tasks:\n    - debug: msg=${'x'.repeat(200)}\n` })
    expect(pgha(dir, ['run', 'site.yml', '-i', 'hosts.yml']).status).toBe(0)
    const r = pgha(dir, ['run', 'site.yml', '-i', 'hosts.yml'], { PGHA_MAX_INPUT_BYTES: '100' })
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/cannot read site\.yml: it is \d+ bytes, over the 100 bytes pgha reads/)
  })

  it('a named pipe as a vars file or task file is refused at once, not waited on', () => {
    const dir = caseDir('fifo', {
      'vars-play.yml': `${PLAY}  vars_files: [pipe.yml]\n  tasks: []\n`,
      'include-play.yml': `${PLAY}  tasks:\n    - import_tasks: pipe.yml\n`,
    })
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yml')]).status).toBe(0)
    for (const [play, at] of [['vars-play.yml', 'vars-play.yml:3:16'], ['include-play.yml', 'include-play.yml:4:21']]) {
      const r = pgha(dir, ['run', play, '-i', 'hosts.yml'])
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain(`${at}: cannot read pipe.yml: it is a named pipe (FIFO), not a regular file`)
    }
  })

  it('an inventory that is a device, and group_vars that lead to one', () => {
    const dir = caseDir('devices', { 'site.yml': `${PLAY}  tasks: []\n` })
    const r = pgha(dir, ['run', 'site.yml', '-i', '/dev/zero'])
    expect(r.status, r.stderr).toBe(1)
    expect(r.stderr).toContain('cannot read /dev/zero: it is a device, not a regular file')
    mkdirSync(join(dir, 'group_vars'))
    symlinkSync('/dev/urandom', join(dir, 'group_vars', 'all.yml'))
    const g = pgha(dir, ['run', 'site.yml', '-i', 'hosts.yml'])
    expect(g.status, g.stderr).toBe(1)
    expect(g.stderr).toContain('cannot read group_vars/all.yml: it is a device, not a regular file')
  })

  it('a 1 KB alias bomb and 1 MB of nested brackets, within a 64 MB heap', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for (const [prev, name] of [...'abcdefghi'].map((c, i, all) => [c, all[i + 1]]).slice(0, 8)) levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    const dir = caseDir('bombs', {
      'bomb.yml': `${PLAY}  vars:\n${levels.map((l) => `    ${l}`).join('\n')}\n  tasks: []\n`,
      'deep.yml': `${PLAY}  vars:\n    deep: ${'['.repeat(500_000)}${']'.repeat(500_000)}\n  tasks: []\n`,
    })
    const bomb = pgha(dir, ['run', 'bomb.yml', '-i', 'hosts.yml'])
    expect(bomb.status, bomb.stderr).toBe(1)
    expect(bomb.stderr).toContain('bomb.yml:12:12: the aliases of this document expand to more than 100000 values')
    const deep = pgha(dir, ['run', 'deep.yml', '-i', 'hosts.yml'])
    expect(deep.status, deep.stderr).toBe(1)
    expect(deep.stderr).toContain("deep.yml:4:267: YAML too deep: flow collections ('[' and '{') nested more than 256 levels deep")
  })
})

describe('includes that never end', () => {
  it('an include whose when stays true stops at the depth bound, naming the chain', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `${PLAY}  vars: { go_on: true }\n  tasks:\n    - include_tasks: tasks/again.yml\n`,
      'tasks/again.yml': '- debug: msg=again\n- include_tasks: again.yml\n  when: go_on\n',
    })
    const err = await p.run().then(() => undefined, (e: unknown) => e)
    expect(String(err)).toMatch(/tasks\/again\.yml:2:18: task files nested more than 64 deep: .*site\.yml -> .*tasks\/again\.yml -> .*tasks\/again\.yml -> \.\.\. -> /)
  })

  it('recursion that a condition ends runs as written', async () => {
    const p = project(localHosts(['hostA']), {
      'site.yml': `${PLAY}  tasks:\n    - include_tasks: tasks/count.yml\n`,
      // each pass adds a line; the third pass's test fails, and its include is skipped
      'tasks/count.yml': `- name: count
  shell: echo x >> {{ dir }}/count; test $(wc -l < {{ dir }}/count) -lt 3
  register: r
  failed_when: false
- include_tasks: count.yml
  when: r.rc == 0
`,
    })
    const r = await p.run({ extraVars: [`dir=${p.dir}`] })
    expect(r.exitCode).toBe(0)
    expect(p.read('count')).toBe('x\nx\nx\n')
  })

  it.each([
    ['refused before anything runs when nothing ends it', '', 1, 'tasks/b.yml:2:22: include cycle that nothing ends: tasks/a.yml -> tasks/b.yml -> tasks/a.yml'],
    ['left to run time when a condition on the way can end it', '  when: false\n', 0, ''],
  ])('a cycle through two files is %s', (_, condition, status, message) => {
    const dir = caseDir(`cycle${status}`, {
      'site.yml': `${PLAY}  tasks:\n    - include_tasks: tasks/a.yml\n`,
      'tasks/a.yml': '- include_tasks: b.yml\n',
      'tasks/b.yml': `- block:\n    - include_tasks: a.yml\n${condition}`,
    })
    const r = pgha(dir, ['run', 'site.yml', '-i', 'hosts.yml'])
    expect(r.status, r.stderr).toBe(status)
    expect(r.stderr).toContain(message)
  })
})
