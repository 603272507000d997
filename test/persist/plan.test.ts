// Which command lines go to a run server (serverPlan, persistSeconds) and where its socket may live
// (privateDir): only `pgha run`, never with PGHA_PERSIST off, node flags, or a question for the terminal;
// never in a directory others can enter or a symlink someone else could point elsewhere.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_PERSIST_SECONDS, MAX_PERSIST_SECONDS, persistSeconds, serverPlan } from '../../src/persist/client.js'
import { privateDir } from '../../src/persist/socket-path.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-persist-plan-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A bundle whose last line names its build, as scripts/bundle.js writes it. */
const bundle = join(dir, 'pgha.cjs')
writeFileSync(bundle, `module.exports = {}\n// pgha build 0123abcd\n`)
const runtime = join(dir, 'xdg')
const env = { XDG_RUNTIME_DIR: runtime }
const argv = (...args: string[]): string[] => ['/usr/bin/node', '/opt/pgha/bin/pgha.js', ...args]
const plan = (args: string[], e: NodeJS.ProcessEnv = env, execArgv: string[] = []) => serverPlan(argv(...args), e, execArgv, bundle)

describe('serverPlan', () => {
  afterEach(() => vi.restoreAllMocks())

  it('sends pgha run to the server of this build, in the user directory of XDG_RUNTIME_DIR, for 60 s by default', () => {
    expect(plan(['run', 'site.yml', '-i', 'hosts'])).toEqual({ socket: `${runtime}/pgha-${process.getuid!()}/run-0123abcd.sock`, idleSeconds: 60 })
    expect(DEFAULT_PERSIST_SECONDS).toBe(60)
    expect(plan(['run', 'site.yml'], { ...env, PGHA_PERSIST: '5' })?.idleSeconds).toBe(5)
  })

  it('falls back to /tmp/pgha-UID without XDG_RUNTIME_DIR', () => {
    expect(plan(['run', 'site.yml'], {})?.socket).toBe(join(tmpdir(), `pgha-${process.getuid!()}`, 'run-0123abcd.sock'))
  })

  it('keeps every other command in its own process', () => {
    for (const cmd of [['check', 'site.yml'], ['status'], ['lab', 'up'], ['__persist', 'x', '60'], [], ['--help'], ['site.yml', 'run']]) {
      expect(plan(cmd), cmd.join(' ')).toBeUndefined()
    }
  })

  it('uses no server with PGHA_PERSIST 0, no, off or false, in any case', () => {
    for (const value of ['0', '00', 'no', 'off', 'false', 'NO', 'Off', 'FALSE']) {
      expect(plan(['run', 'site.yml'], { ...env, PGHA_PERSIST: value }), value).toBeUndefined()
    }
  })

  it('uses no server with an invalid PGHA_PERSIST, and says so on stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    for (const value of ['ten', '-1', '1.5', '60s', ' 60']) {
      stderr.mockClear()
      expect(plan(['run', 'site.yml'], { ...env, PGHA_PERSIST: value }), value).toBeUndefined()
      expect(String(stderr.mock.calls[0]?.[0])).toBe(`pgha: PGHA_PERSIST=${JSON.stringify(value)} is not a number of seconds (or 0 for none): this run keeps no logins\n`)
    }
    expect(persistSeconds('')).toBe(60)
    expect(persistSeconds(undefined)).toBe(60)
    expect(persistSeconds('0')).toBeUndefined()
    expect(persistSeconds('300')).toBe(300)
    // "Forever": as long as a timer can wait (a longer timeout fired at once and the server left at its start).
    expect(persistSeconds('99999999999')).toBe(MAX_PERSIST_SECONDS)
    expect(MAX_PERSIST_SECONDS).toBe(2_147_483)
  })

  it('uses no server when node was started with flags (NODE_OPTIONS or its own arguments)', () => {
    expect(plan(['run', 'site.yml'], { ...env, NODE_OPTIONS: '--max-old-space-size=4096' })).toBeUndefined()
    expect(plan(['run', 'site.yml'], env, ['--cpu-prof'])).toBeUndefined()
    // An empty NODE_OPTIONS is no flag.
    expect(plan(['run', 'site.yml'], { ...env, NODE_OPTIONS: '' })).toBeDefined()
  })

  it('runs in-process a command that asks on the terminal', () => {
    for (const args of [['-K'], ['-bK'], ['--become', '-K'], ['--ask-become-pass'], ['--ask-vault-pass'], ['--vault-id', 'x@prompt'], ['--vault-id=prod@prompt']]) {
      expect(plan(['run', 'site.yml', ...args]), args.join(' ')).toBeUndefined()
    }
    // Their look-alikes ask nothing: a password file, a vault id with a file, -k is not pgha's, -b alone.
    for (const args of [['-b'], ['--become-password-file', 'pw'], ['--vault-id', 'x@pw.txt'], ['--vault-password-file', 'prompt.txt']]) {
      expect(plan(['run', 'site.yml', ...args]), args.join(' ')).toBeDefined()
    }
  })

  it('uses no server for a bundle without its build line (a server of other code must never answer)', () => {
    const unnamed = join(dir, 'unnamed.cjs')
    writeFileSync(unnamed, 'module.exports = {}\n')
    expect(serverPlan(argv('run', 'site.yml'), env, [], unnamed)).toBeUndefined()
    expect(serverPlan(argv('run', 'site.yml'), env, [], join(dir, 'missing.cjs'))).toBeUndefined()
  })
})

describe('privateDir', () => {
  it('makes the directory with mode 0700 and accepts it', () => {
    const d = join(dir, 'made')
    expect(privateDir(d, true)).toBe(true)
    expect(privateDir(d, false)).toBe(true)
  })

  it('refuses a directory others may enter (0755, 0710) and one that is missing', () => {
    const d = join(dir, 'open')
    mkdirSync(d, { mode: 0o700 })
    chmodSync(d, 0o755)
    expect(privateDir(d, true)).toBe(false)
    chmodSync(d, 0o710)
    expect(privateDir(d, false)).toBe(false)
    chmodSync(d, 0o700)
    expect(privateDir(d, false)).toBe(true)
    expect(privateDir(join(dir, 'absent'), false)).toBe(false)
  })

  it('refuses a symlink, even to a private directory of the user', () => {
    const target = join(dir, 'target')
    mkdirSync(target, { mode: 0o700 })
    const link = join(dir, 'link')
    symlinkSync(target, link)
    expect(privateDir(link, true)).toBe(false)
    expect(privateDir(link, false)).toBe(false)
  })

  it('refuses a file in its place', () => {
    const f = join(dir, 'file')
    writeFileSync(f, '', { mode: 0o600 })
    expect(privateDir(f, true)).toBe(false)
  })
})
