// The parse of a YAML file kept on disk for the next run (src/disk-cache.ts): a kept parse gives the same
// values and the same file:line:col as parsing, an edited file is parsed again, an entry is sealed with the
// file's text (no value of the file in clear in the cache), a file holding a `!vault` value is never
// written to the cache, and a cache that cannot be used only costs the parse.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { readSealed, useDiskCache, writeSealed } from '../../src/disk-cache.js'
import { Vault } from 'ansible-vault'
import { forgetParsedFiles, keyLocOf, loadYamlFile, locOf } from '../../src/yaml-source.js'
import { startNewRun } from '../../src/run-state.js'
import { useVaultSecrets } from '../../src/secrets/vault.js'
import { VaultText } from '../../src/vars/vault.js'
import { UnsafeText } from '../../src/vars/unsafe.js'
import { BIN } from '../built.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-kept-'))
const root = join(dir, 'cache')
const BUILD = 'abc123'
const entries = (): string[] => readdirSync(join(root, BUILD)).filter((f) => f.startsWith('yaml-'))
afterAll(() => {
  useDiskCache(null)
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  rmSync(root, { recursive: true, force: true })
  useDiskCache({ root, build: BUILD })
  forgetParsedFiles()
})

/** Loads `file` as a fresh run would: nothing parsed yet in this process. */
function freshLoad(file: string): unknown {
  forgetParsedFiles()
  return loadYamlFile(file)
}

/** The parts of TASKS the tests read. */
type Parsed = [{ debug: unknown; vars: { a: number[] } }, { raw: UnsafeText; vars: Record<string, unknown> }]

const TASKS = [
  '- name: first',
  '  debug: { msg: hi }',
  '  vars: &v',
  '    a: [1, .nan, -0.0, 0x1f]',
  '    <<: { merged: yes }',
  '- name: second',
  '  vars: *v',
  '  raw: !unsafe "{{ not a template }}"',
  '  __proto__: a key like any other',
  '',
].join('\n')

describe('the parse cache', () => {
  it('gives the kept parse with the values and positions parsing gives', () => {
    const file = join(dir, 'tasks.yml')
    writeFileSync(file, TASKS)
    const parsed = freshLoad(file) as Parsed
    expect(entries()).toHaveLength(1)
    const kept = freshLoad(file) as Parsed
    expect(kept).toEqual(parsed)
    expect(kept[0].vars.a[1]).toBeNaN()
    expect(Object.is(kept[0].vars.a[2], -0)).toBe(true)
    expect(kept[1].raw).toBeInstanceOf(UnsafeText)
    expect(kept[1].raw.text).toBe('{{ not a template }}')
    expect(Object.getPrototypeOf(kept[1])).toBe(Object.prototype)
    expect(Object.keys(kept[1])).toContain('__proto__')
    expect(everyPosition(kept)).toEqual(everyPosition(parsed))
    expect(locOf(kept[0], 'debug')).toEqual({ file, line: 2, col: 10 })
    expect(keyLocOf(kept[1], '__proto__')).toEqual({ file, line: 9, col: 3 })
    expect(locOf(kept[1].vars, 'merged')).toEqual({ file, line: 5, col: 19 })
  })

  it('is what a second run reads, not the file', () => {
    const file = join(dir, 'served.yml')
    writeFileSync(file, '- debug: { msg: one }\n')
    freshLoad(file)
    const [first] = entries()
    writeFileSync(file, '- debug: { msg: two }\n')
    freshLoad(file)
    const second = entries().find((e) => e !== first)!
    // Copied under the first text's name, the second's entry does not open: sealed with another text.
    writeFileSync(join(root, BUILD, first), readFileSync(join(root, BUILD, second)))
    writeFileSync(file, '- debug: { msg: one }\n')
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'one' } }])
    // Sealed for the first text, the second's parse is what a load reads: only a read of the cache gives 'two'.
    const two = readSealed('yaml', `${file}\0- debug: { msg: two }\n`)!
    writeSealed('yaml', `${file}\0- debug: { msg: one }\n`, two)
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'two' } }])
  })

  it('is kept in memory for the run server\'s next run, but for a file holding a !vault value', () => {
    const file = join(dir, 'memo.yml')
    writeFileSync(file, '- debug: { msg: one }\n')
    expect(loadYamlFile(file)).toEqual([{ debug: { msg: 'one' } }])
    // Without the disk's entry, a new run of the same process still has the parse: it writes none again.
    rmSync(join(root, BUILD), { recursive: true })
    startNewRun()
    useDiskCache({ root, build: BUILD }) // a new run finds its cache anew
    expect(loadYamlFile(file)).toEqual([{ debug: { msg: 'one' } }])
    expect(entries()).toEqual([])
    // An edit is a new parse (and a new entry).
    writeFileSync(file, '- debug: { msg: two }\n')
    expect(loadYamlFile(file)).toEqual([{ debug: { msg: 'two' } }])
    expect(entries()).toHaveLength(1)
    // A !vault value read with run 1's password stays run 1's: run 2, given none, gets the ciphertext back.
    const vaulted = join(dir, 'memo-vault.yml')
    const plain = 'only for run 1'
    const ciphertext = new Vault({ password: 'pw1' }).encryptSync(plain, '')
    writeFileSync(vaulted, `secret: !vault |\n${ciphertext.split('\n').map((l) => `  ${l}`).join('\n')}\n`)
    useVaultSecrets([{ label: 'default', password: 'pw1' }])
    expect(loadYamlFile(vaulted)).toEqual({ secret: plain })
    startNewRun()
    expect((loadYamlFile(vaulted) as { secret: unknown }).secret).toBeInstanceOf(VaultText)
    // Nor does run 1's plaintext answer a run given another password, a wrong one.
    useVaultSecrets([{ label: 'default', password: 'pw1' }])
    expect(loadYamlFile(vaulted)).toEqual({ secret: plain })
    startNewRun()
    useVaultSecrets([{ label: 'default', password: 'wrong' }])
    expect(() => loadYamlFile(vaulted)).toThrow(/cannot decrypt this !vault value/)
    startNewRun()
  })

  it('parses an edited file again, whatever its mtime', () => {
    const file = join(dir, 'edited.yml')
    writeFileSync(file, '- debug: { msg: one }\n')
    const before = statSync(file)
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'one' } }])
    writeFileSync(file, '- debug: { msg: two }\n')
    chmodSync(file, before.mode)
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'two' } }])
    writeFileSync(file, '- debug: { msg: [ }\n')
    expect(() => freshLoad(file)).toThrow(/never closed/)
  })

  it('never keeps a file holding a !vault value, and keeps a data file sealed, none of its values in clear', () => {
    const file = join(dir, 'vaulted.yml')
    writeFileSync(file, '- vars:\n    password: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      3133\n')
    freshLoad(file)
    expect(entries()).toEqual([])
    const data = join(dir, 'vars.yml')
    writeFileSync(data, 'password: clear-s3cret\nport: 5432\n')
    expect(freshLoad(data)).toEqual({ password: 'clear-s3cret', port: 5432 })
    const [entry] = entries()
    const bytes = readFileSync(join(root, BUILD, entry))
    for (const v of ['clear-s3cret', 'password', 'vars.yml']) expect(bytes.includes(v)).toBe(false)
    expect(freshLoad(data)).toEqual({ password: 'clear-s3cret', port: 5432 })
  })

  it('keeps its directory and entries the user\'s alone', () => {
    const file = join(dir, 'modes.yml')
    writeFileSync(file, '- debug: { msg: hi }\n')
    freshLoad(file)
    expect(statSync(root).mode & 0o777).toBe(0o700)
    expect(statSync(join(root, BUILD)).mode & 0o777).toBe(0o700)
    expect(statSync(join(root, BUILD, entries()[0])).mode & 0o777).toBe(0o600)
  })

  it('parses as usual when the cache cannot be written, or an entry is damaged', () => {
    const file = join(dir, 'damaged.yml')
    writeFileSync(file, '- debug: { msg: hi }\n')
    freshLoad(file)
    const entry = join(root, BUILD, entries()[0])
    writeFileSync(entry, readFileSync(entry).subarray(0, 10))
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'hi' } }])
    const blocked = join(dir, 'not-a-dir')
    writeFileSync(blocked, '')
    useDiskCache({ root: join(blocked, 'cache'), build: BUILD })
    expect(freshLoad(file)).toEqual([{ debug: { msg: 'hi' } }])
    mkdirSync(join(dir, 'shared'), { mode: 0o777 })
    chmodSync(join(dir, 'shared'), 0o777)
    useDiskCache({ root: join(dir, 'shared'), build: BUILD })
    freshLoad(file)
    expect(statSync(join(dir, 'shared')).mode & 0o777).toBe(0o700)
  })
})

describe('the parse cache of pgha run', () => {
  const files: Record<string, string> = {
    'hosts.ini': 'local1 ansible_connection=local inventory_secret=inv-s3cret-456\n',
    'secrets.yml': 'db_password: vars-s3cret-123\n',
    'site.yml': '- hosts: all\n  gather_facts: false\n  vars_files: [secrets.yml]\n  tasks:\n    - import_tasks: tasks.yml\n',
    'tasks.yml': '- debug: { msg: "length {{ db_password | length }}" }\n- debug: { msg: "{{ inventory_secret | length }}" }\n',
  }
  /**
   * `pgha run site.yml` in a project of `files`, with the cache under `xdg`; its output and exit code. In a
   * process of its own: a run server would have the files parsed in its memory already, and read no cache.
   */
  function pgha(project: string, xdg: string, env: Record<string, string> = {}): string {
    const r = spawnSync(process.execPath, [BIN, 'run', 'site.yml', '-i', 'hosts.ini'], { cwd: project, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: xdg, PGHA_PERSIST: '0', ...env } })
    return `${r.status}\n${r.stdout.replace(/elapsed .*/, '')}${r.stderr}`
  }

  it('keeps the playbook, task, inventory and vars files sealed, and a kept run reads as the first', () => {
    const project = join(dir, 'project')
    mkdirSync(project, { recursive: true })
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text)
    const xdg = join(dir, 'xdg')
    mkdirSync(xdg)
    const first = pgha(project, xdg)
    expect(first).toMatch(/^0\n[\s\S]*=> length 15\n[\s\S]*=> 14\n/)
    const [build] = readdirSync(join(xdg, 'pgha', 'parsed'))
    const kept = readdirSync(join(xdg, 'pgha', 'parsed', build))
    expect(statSync(join(xdg, 'pgha', 'parsed', build)).mode & 0o777).toBe(0o700)
    // site.yml, tasks.yml, secrets.yml (hosts.ini is INI, not YAML): none of their text in clear.
    expect(kept.filter((f) => f.startsWith('yaml-'))).toHaveLength(3)
    for (const f of kept) expect(readFileSync(join(xdg, 'pgha', 'parsed', build, f), 'latin1')).not.toMatch(/s3cret|db_password|debug/)
    expect(pgha(project, xdg)).toBe(first)
    const off = join(dir, 'xdg-off')
    mkdirSync(off)
    expect(pgha(project, off, { PGHA_NO_CACHE: '1' })).toBe(first)
    expect(readdirSync(off)).toEqual([])
    // A cache directory that does not exist is not made (a mistyped XDG_CACHE_HOME, a missing home).
    expect(pgha(project, join(dir, 'xdg-missing'))).toBe(first)
    expect(() => readdirSync(join(dir, 'xdg-missing'))).toThrow()
  })

  it('points at the same file:line:col from a kept parse', () => {
    const project = join(dir, 'broken')
    mkdirSync(project, { recursive: true })
    for (const [name, text] of Object.entries(files)) writeFileSync(join(project, name), text)
    writeFileSync(join(project, 'tasks.yml'), '- debug:\n    msg: "{{ nowhere }}"\n')
    const xdg = join(dir, 'xdg-broken')
    mkdirSync(xdg)
    const parsed = pgha(project, xdg, { PGHA_NO_CACHE: '1' })
    expect(parsed).toMatch(/^1\ntasks\.yml:2:14: undefined variable 'nowhere'/)
    expect(pgha(project, xdg)).toBe(parsed)
    expect(pgha(project, xdg)).toBe(parsed)
  })
})

/** Where each container, each entry and each key of `v` is, by its path: what errors point at. */
function everyPosition(v: unknown, path = '$', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || v instanceof UnsafeText) return out
  out[path] = locOf(v)
  for (const k of Object.keys(v)) {
    const key = Array.isArray(v) ? Number(k) : k
    out[`${path}.${k}`] = locOf(v, key)
    if (!Array.isArray(v)) out[`${path}.${k} (key)`] = keyLocOf(v, k)
    everyPosition((v as Record<string, unknown>)[k], `${path}.${k}`, out)
  }
  return out
}
