// `pgha run` as a user runs it (node bin/pgha.js, built by test/built.ts): exit codes 0/1/2/4/130, the recap and the
// total time at the end of every run, `--output json` as the only thing on stdout, and no_log values absent
// from every output.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN as bin } from '../built.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-cli-run-'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

function write(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const inventory = write('inventory.ini', 'hostA ansible_connection=local\nhostB ansible_connection=local\n')

/** Runs `pgha run PLAYBOOK -i inventory ARGS`; `onOutput` sees stdout as it grows (to time a signal). */
function pgha(playbook: string, args: string[] = [], onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'run', playbook, '-i', inventory, ...args], {
      cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: '1' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d
      onOutput?.(stdout, child)
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

const RECAP_COUNTS = { ok: expect.any(Number), changed: expect.any(Number), failed: expect.any(Number), skipped: expect.any(Number), unreachable: expect.any(Number), ignored: expect.any(Number) }

describe('pgha run', () => {
  const ok = write('ok.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: write
      copy: { dest: "${dir}/out-{{ inventory_hostname }}", content: "{{ greeting }}\\n" }
    - name: say
      debug: { msg: "{{ greeting }} from {{ inventory_hostname }}" }
`)

  it('exits 0 and ends with the recap and the total time', async () => {
    const r = await pgha(ok, ['-e', 'greeting=hello'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('ok: [hostA] => hello from hostA')
    expect(r.stdout).toMatch(/PLAY RECAP \*+\nhostA : ok=2 +changed=1 .*\nhostB : ok=2 +changed=1 .*\n\nelapsed \d+\.\d\ds\n$/)
  })

  it('--output json prints one JSON document on stdout with every result per host and the recap', async () => {
    const r = await pgha(ok, ['-o', 'json', '-e', '{"greeting": "hi"}', '--check'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.check).toBe(true)
    expect(doc.plays[0].tasks.map((t: { name: string }) => t.name)).toEqual(['write', 'say'])
    expect(Object.keys(doc.plays[0].tasks[0].hosts).sort()).toEqual(['hostA', 'hostB'])
    expect(doc.plays[0].tasks[1].hosts.hostB.result.msg).toBe('hi from hostB')
    expect(doc.recap).toEqual({ hostA: expect.objectContaining(RECAP_COUNTS), hostB: expect.objectContaining(RECAP_COUNTS) })
    expect(doc.recap.hostA).toMatchObject({ ok: 2, changed: 1, failed: 0 })
    expect(typeof doc.elapsedMs).toBe('number')
  })

  it('--check --diff with --limit, --tags and --forks shows the diff for the selected host and writes nothing', async () => {
    const pb = write('diff.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: "${dir}/diff-{{ inventory_hostname }}", content: "line one\\n" }
      tags: [config]
    - name: other
      command: "true"
`)
    const r = await pgha(pb, ['--check', '--diff', '-l', 'hostB', '-t', 'config', '-f', '1'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('+line one')
    expect(r.stdout).toContain('changed: [hostB]')
    expect(r.stdout).not.toContain('[hostA]')
    expect(r.stdout).not.toContain('TASK [other]')
    expect(r.stdout).toMatch(/elapsed .*check mode: nothing was changed/)
    expect(existsSync(join(dir, 'diff-hostB'))).toBe(false)
  })

  it('exits 1 on invalid input, with the position, and contacts nothing', async () => {
    const bad = write('bad.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "${dir}/never-written", content: x }
    - debug: { msg: "{{ undefined_thing }}" }
`)
    const r = await pgha(bad)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${bad}:6:`)
    expect(r.stderr).toMatch(/undefined variable 'undefined_thing'/)
    expect(r.stderr).toMatch(/no host was contacted/)
    expect(existsSync(join(dir, 'never-written'))).toBe(false)
  })

  it('exits 2 when a task failed, with the recap', async () => {
    const r = await pgha(write('fail.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - command: "false"
      when: inventory_hostname == 'hostB'
`))
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/fatal: \[hostB\]: FAILED!/)
    expect(r.stdout).toMatch(/hostB : ok=0 +changed=0 +unreachable=0 +failed=1/)
  })

  it('exits 4 when a host is unreachable', async () => {
    // A closed port on loopback: refused at once, nothing outside this machine is contacted.
    const inv = write('down.ini', 'down ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\nhostA ansible_connection=local\n')
    const r = await new Promise<Result>((done) => {
      const child = spawn(process.execPath, [bin, 'run', ok, '-i', inv, '-e', 'greeting=x', '-T', '3'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } })
      let stdout = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d))
      child.on('close', (code) => done({ code, stdout, stderr: '' }))
    })
    expect(r.code).toBe(4)
    expect(r.stdout).toMatch(/fatal: \[down\]: UNREACHABLE!/)
    expect(r.stdout).toMatch(/down +: ok=0 +changed=0 +unreachable=1/)
    expect(r.stdout).toMatch(/hostA +: ok=2 +changed=1/)
  })

  // With a pause: LocalTransport.close() does not end a running `command: sleep 30` (it runs in its own
  // process group), so such a run only stops when the command ends; reported to the transport's owner.
  it('exits 130 on SIGINT, with the recap of what finished', async () => {
    const slow = write('slow.yml', `
- hosts: all
  gather_facts: false
  tasks:
    - name: quick
      command: "true"
    - name: slow
      pause: { seconds: 30 }
    - name: never
      command: "true"
`)
    let sent = false
    const r = await pgha(slow, [], (out, child) => {
      if (!sent && out.includes('TASK [slow]')) {
        sent = true
        setTimeout(() => child.kill('SIGINT'), 200)
      }
    })
    // A 30 s pause: only the interrupt can end the run within the test's time.
    expect(r.code).toBe(130)
    expect(r.stdout).not.toContain('TASK [never]')
    expect(r.stdout).toMatch(/PLAY RECAP[\s\S]*hostA : ok=1 +changed=1[\s\S]*elapsed/)
    expect(r.stderr).toMatch(/interrupted/)
  }, 20_000)

  it('never shows a no_log value, in plain or JSON output, with -v and --diff', async () => {
    const secret = 'n0-log-7c1e'
    const pb = write('nolog.yml', `
- hosts: all
  gather_facts: false
  vars: { token: "${secret}" }
  tasks:
    - copy: { dest: "${dir}/token-{{ inventory_hostname }}", content: "{{ token }}\\n" }
      no_log: true
    - shell: "echo {{ token }}; echo {{ token }} >&2; exit 1"
      no_log: true
      ignore_errors: true
`)
    for (const output of ['plain', 'json']) {
      const r = await pgha(pb, ['-o', output, '-vvv', '--diff'])
      expect(r.code).toBe(0)
      expect(r.stdout + r.stderr).not.toContain(secret)
      expect(r.stdout).toMatch(/hostA/)
    }
  })
})
