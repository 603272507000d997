// The controller files template, copy and the file/template lookups read: a device, a FIFO or a directory
// is refused before anything is read (an input error at the task's src, file:line:col, no host contacted),
// a template larger than the input bound too; copy's src of any size is streamed to the host, checksummed
// in chunks and shown in --diff only as size and sha1 when large, so copying a file larger than the
// controller's memory works. Each case runs the built pgha in a node whose heap is capped at 64 MB and
// under GNU time, so reading a file whole would crash it or show in its peak memory.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from '../built.js'
import { LOCAL_INVENTORY, project, type Project } from './hostile-project.js'

interface Ran {
  code: number | null
  stdout: string
  stderr: string
  /** Peak resident memory of the pgha process, in MiB. */
  peakMiB: number
}

/** `pgha ARGS` with a 64 MB heap, under /usr/bin/time for its peak memory. */
function pghaCapped(p: Project, args: string[], env: Record<string, string> = {}): Ran {
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', process.execPath, '--max-old-space-size=64', BIN, ...args], {
    cwd: p.dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
  })
  const peak = /PEAK_KB=(\d+)/.exec(r.stderr)
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/PEAK_KB=\d+\n?/, ''), peakMiB: peak ? Number(peak[1]) / 1024 : NaN }
}

const MIB = 1024 * 1024

/** A sparse file of `bytes`: no disk used, but reading it whole would need that much memory. */
function sparse(path: string, bytes: number): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, '')
  truncateSync(path, bytes)
  return path
}

const sha1Of = (path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha1')
    createReadStream(path).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex'))).on('error', reject)
  })

/** A play whose first task would leave a marker if any host were contacted, then `task` (line 5). */
const play = (task: string): string => `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: touch __DIR__/CONTACTED\n    - ${task}\n`

function setUp(task: string, files: Record<string, string> = {}): Project {
  return project({ 'inv.ini': LOCAL_INVENTORY, 'site.yml': play(task), ...files }, 'sources')
}

const run = (p: Project, extra: string[] = [], env: Record<string, string> = {}): Ran => pghaCapped(p, ['run', p.path('site.yml'), '-i', p.path('inv.ini'), ...extra], env)

describe('controller sources that are no regular file are refused before reading', () => {
  it.each([
    ['template', '/dev/zero', 'a device'],
    ['copy', '/dev/zero', 'a device'],
    ['template', '/dev/urandom', 'a device'],
    ['copy', '/dev/urandom', 'a device'],
    ['unarchive', '/dev/zero', 'a device'],
    ['template', '/tmp', 'a directory'],
  ])('%s src=%s: input error at the src, no host contacted', (module, src, kind) => {
    const dest = module === 'unarchive' ? '__DIR__/x' : '__DIR__/out'
    const p = setUp(`${module}: { src: ${src}, dest: ${dest} }`)
    const r = run(p)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`site\\.yml:5:\\d+: ${module} src ${src} cannot be read: it is ${kind}, not a regular file`))
    expect(existsSync(p.path('CONTACTED'))).toBe(false)
    expect(r.peakMiB).toBeLessThan(200)
  }, 60_000)

  it.each(['template', 'copy'])('%s src that is a FIFO: refused at once, not waited on', (module) => {
    const p = setUp(`${module}: { src: __DIR__/pipe, dest: __DIR__/out }`)
    execFileSync('mkfifo', [p.path('pipe')])
    const r = run(p)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toMatch(/site\.yml:5:\d+: .* cannot be read: it is a named pipe \(FIFO\), not a regular file/)
    expect(existsSync(p.path('CONTACTED'))).toBe(false)
  }, 60_000)

  it('a template over the input bound (200 MiB, sparse) is refused before reading, naming the limit', () => {
    const p = setUp('template: { src: big.j2, dest: __DIR__/out }')
    sparse(p.path('templates/big.j2'), 200 * MIB)
    const r = run(p)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toMatch(/site\.yml:5:\d+: template src big\.j2 cannot be read: it is 200 MiB, over the 10 MiB pgha reads \(PGHA_MAX_INPUT_BYTES sets the limit\)/)
    expect(existsSync(p.path('CONTACTED'))).toBe(false)
    expect(r.peakMiB).toBeLessThan(200)
  }, 60_000)

  it('PGHA_MAX_INPUT_BYTES bounds template files too', () => {
    const p = setUp('template: { src: t.j2, dest: __DIR__/out }', { 'templates/t.j2': `${'x'.repeat(500)}\n` })
    expect(run(p, [], { PGHA_MAX_INPUT_BYTES: '400' }).stderr).toMatch(/template src t\.j2 cannot be read: it is 501 bytes, over the 400 bytes pgha reads/)
    const ok = run(p)
    expect(ok.code, ok.stderr).toBe(0)
  }, 60_000)

  it.each([
    ["lookup('file', '/dev/zero')", 'a device'],
    ["lookup('file', '__DIR__/big.txt')", 'it is 200 MiB, over the 10 MiB'],
    ["lookup('template', '/dev/zero')", 'a device'],
    ["lookup('file', '__DIR__/pipe')", 'a named pipe'],
  ])('%s: the task fails saying why, the controller reads nothing', (expr, why) => {
    const p = setUp(`copy: { dest: __DIR__/out, content: "{{ ${expr} }}" }`)
    sparse(p.path('big.txt'), 200 * MIB)
    execFileSync('mkfifo', [p.path('pipe')])
    const r = run(p)
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(why)
    expect(r.stdout + r.stderr).toMatch(/site\.yml:5:\d+/)
    expect(existsSync(p.path('out'))).toBe(false)
    expect(r.peakMiB).toBeLessThan(200)
  }, 60_000)
})

describe('copying a file larger than memory streams it', () => {
  it('a 300 MiB src with a 64 MB heap: copied exactly, --diff shows size and sha1, peak memory far below its size', async () => {
    const p = setUp('copy: { src: big.bin, dest: __DIR__/copied.bin }')
    sparse(p.path('files/big.bin'), 300 * MIB)
    writeFileSync(p.path('files/big.bin'), 'head', { flag: 'r+' })
    const r = run(p, ['--diff'])
    expect(r.code, r.stderr).toBe(0)
    expect(statSync(p.path('copied.bin')).size).toBe(300 * MIB)
    const sum = await sha1Of(p.path('files/big.bin'))
    expect(await sha1Of(p.path('copied.bin'))).toBe(sum)
    expect(r.stdout).toContain(`(${300 * MIB} bytes, sha1 ${sum}: not shown)`)
    expect(r.peakMiB).toBeLessThan(250)
    // converged: the same copy again changes nothing (compared by checksum, not by reading the dest back)
    const again = run(p, ['--diff'])
    expect(again.code, again.stderr).toBe(0)
    // only the marker command changed
    expect(again.stdout, again.stdout).toMatch(/changed=1 /)
    expect(again.stdout).toMatch(/copied\.bin\][^\n]*\n+ok: \[node1\]/)
  }, 120_000)

  // Becoming another user, the copy goes through a private stage the become user reads: never through
  // the command's stdin, which would hold the whole file in the controller's memory.
  it.skipIf(process.getuid?.() !== 0)('becoming another user: a 300 MiB src is copied exactly with a 64 MB heap, owned by that user, no stage left', async () => {
    const p = setUp('copy: { src: big.bin, dest: __DIR__/nobody/copied.bin }\n      become: true\n      become_user: nobody')
    sparse(p.path('files/big.bin'), 300 * MIB)
    writeFileSync(p.path('files/big.bin'), 'head', { flag: 'r+' })
    mkdirSync(p.path('nobody'))
    execFileSync('chmod', ['0755', p.dir])
    execFileSync('chown', ['nobody', p.path('nobody')])
    const stages = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('.pgha-stage-'))
    const before = stages()
    const r = run(p)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(statSync(p.path('nobody/copied.bin')).size).toBe(300 * MIB)
    expect(statSync(p.path('nobody/copied.bin')).uid).toBe(Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })))
    expect(await sha1Of(p.path('nobody/copied.bin'))).toBe(await sha1Of(p.path('files/big.bin')))
    expect(r.peakMiB).toBeLessThan(250)
    expect(stages().filter((f) => !before.includes(f))).toEqual([])
  }, 120_000)

  it('a small src is still shown in --diff, and a binary one by size and sha1', () => {
    const p = setUp('copy: { src: small.txt, dest: __DIR__/small.txt }', { 'files/small.txt': 'hello small\n' })
    const r = run(p, ['--diff'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('+hello small')
    const b = setUp('copy: { src: bin.dat, dest: __DIR__/bin.dat }')
    mkdirSync(b.path('files'))
    writeFileSync(b.path('files/bin.dat'), Buffer.from([0, 1, 2, 3]))
    const rb = run(b, ['--diff'])
    expect(rb.code, rb.stderr).toBe(0)
    expect(rb.stdout).toMatch(/\(4 bytes, sha1 [0-9a-f]{40}: not shown\)/)
  }, 60_000)
})
