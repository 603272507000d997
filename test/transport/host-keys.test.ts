// known_hosts parsing and the host key policy, with entries produced by ssh-keygen itself.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { entryMatches, fingerprint, hostKeyName, KnownHostsIndex, parseKnownHosts } from '../../src/transport/known-hosts.js'
import { appendEntry, checkHostKey, type HostKeyCheck } from '../../src/transport/host-keys.js'

// statSync as it is, unless a test stands in a filesystem whose timestamps are coarser than its writes.
vi.mock('node:fs', async (actual) => {
  const fs = await actual<typeof import('node:fs')>()
  return { ...fs, statSync: vi.fn(fs.statSync) }
})

const dir = mkdtempSync(join(tmpdir(), 'pgha-kh-'))
function newKey(name: string): { line: string; blob: Buffer } {
  const file = join(dir, name)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
  const line = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')
  return { line, blob: Buffer.from(line.split(' ')[1], 'base64') }
}
const k1 = newKey('k1')
const k2 = newKey('k2')

describe('known_hosts parsing', () => {
  it('matches plain, [host]:port, wildcard and negated patterns', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        `node1,10.77.0.11 ${k1.line}`,
        `[10.0.0.5]:2222 ${k1.line} comment here`,
        `10.1.* ,!10.1.2.3 ${k1.line}`.replace(' ,', ','),
        `@cert-authority *.example ${k1.line}`,
        'garbage',
      ].join('\n'),
    )
    expect(entries.map((e) => e.line)).toEqual([2, 3, 4, 5])
    expect(entryMatches(entries[0], '10.77.0.11')).toBe(true)
    expect(entryMatches(entries[0], '10.77.0.12')).toBe(false)
    expect(entryMatches(entries[1], hostKeyName('10.0.0.5', 2222))).toBe(true)
    expect(entryMatches(entries[1], '10.0.0.5')).toBe(false)
    expect(entryMatches(entries[2], '10.1.9.9')).toBe(true)
    expect(entryMatches(entries[2], '10.1.2.3')).toBe(false)
    expect(entries[3].marker).toBe('@cert-authority')
  })

  it('finds the same entries, in file order, through the index as by matching every line', () => {
    // A fleet's file: a line per host, plus wildcard, negated, multi-name and differently cased lines.
    const lines = [
      ...Array.from({ length: 300 }, (_, i) => `10.2.${Math.floor(i / 250)}.${i % 250} ${k1.line}`),
      `10.2.0.7,Node7 ${k2.line}`,
      `10.2.* ,!10.2.0.9 ${k2.line}`.replace(' ,', ','),
      `@revoked 10.2.0.7 ${k2.line}`,
      `NODE8 ${k1.line}`,
    ]
    const entries = parseKnownHosts(lines.join('\n'))
    const index = new KnownHostsIndex(entries)
    for (const name of ['10.2.0.7', '10.2.0.9', '10.2.1.49', '10.2.5.5', 'node7', 'node8', '[10.2.0.7]:2222', 'nowhere']) {
      expect(index.matching(name).map((e) => e.line)).toEqual(entries.filter((e) => entryMatches(e, name)).map((e) => e.line))
    }
    expect(index.matching('10.2.0.7').map((e) => e.line)).toEqual([8, 301, 302, 303])
  })

  it('matches entries hashed by ssh-keygen -H, with and without a port', () => {
    const file = join(dir, 'hashed')
    writeFileSync(file, `10.77.0.11 ${k1.line}\n[127.0.0.1]:2200 ${k2.line}\n`)
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' })
    const entries = parseKnownHosts(readFileSync(file, 'utf8'))
    expect(entries.every((e) => e.patterns.startsWith('|1|'))).toBe(true)
    expect(entries.filter((e) => entryMatches(e, '10.77.0.11')).map((e) => e.key)).toEqual([k1.line.split(' ')[1]])
    expect(entries.filter((e) => entryMatches(e, '[127.0.0.1]:2200')).map((e) => e.key)).toEqual([k2.line.split(' ')[1]])
    expect(entries.some((e) => entryMatches(e, '10.77.0.12'))).toBe(false)
  })

  it('prints fingerprints exactly as ssh-keygen -l does', () => {
    const printed = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'k1.pub')], { encoding: 'utf8' }).split(' ')[1]
    expect(fingerprint(k1.blob)).toBe(printed)
  })
})

describe('host key policy', () => {
  const check = (file: string, acceptNew = false, port = 22): HostKeyCheck => ({ host: 'node1', address: '10.77.0.11', port, file, acceptNew })

  it('accepts a known key, refuses an unknown one with its fingerprint and the flag', async () => {
    const file = join(dir, 'kh-known')
    writeFileSync(file, `10.77.0.11 ${k1.line}\n`)
    expect(await checkHostKey(check(file), k1.blob)).toEqual({ ok: true })
    const v = await checkHostKey(check(file, false, 2222), k1.blob)
    expect(v.ok).toBe(false)
    expect(!v.ok && v.reason).toContain(fingerprint(k1.blob))
    expect(!v.ok && v.reason).toContain('rerun with --accept-new-host-keys to trust it')
  })

  it('refuses a changed key even with accept-new, showing both fingerprints', async () => {
    const file = join(dir, 'kh-changed')
    writeFileSync(file, `10.77.0.11 ${k1.line}\n`)
    const v = await checkHostKey(check(file, true), k2.blob)
    expect(v.ok).toBe(false)
    if (!v.ok) {
      expect(v.reason).toContain(`host key for node1 (10.77.0.11) changed: known ${fingerprint(k1.blob)}`)
      expect(v.reason).toContain(`offered ${fingerprint(k2.blob)}`)
    }
    expect(readFileSync(file, 'utf8')).toBe(`10.77.0.11 ${k1.line}\n`)
  })

  it('refuses a key marked @revoked', async () => {
    const file = join(dir, 'kh-revoked')
    writeFileSync(file, `@revoked * ${k1.line}\n10.77.0.11 ${k1.line}\n`)
    expect((await checkHostKey(check(file), k1.blob)).ok).toBe(false)
  })

  it('records unknown keys with accept-new, without losing any under concurrency', async () => {
    const file = join(dir, 'sub', 'kh-new')
    const hosts = Array.from({ length: 40 }, (_, i) => `10.9.0.${i}`)
    const verdicts = await Promise.all(
      hosts.flatMap((address) => [1, 2].map(() => checkHostKey({ host: address, address, port: 22, file, acceptNew: true }, k1.blob))),
    )
    expect(verdicts.every((v) => v.ok)).toBe(true)
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    expect(lines.sort()).toEqual(hosts.map((h) => `${h} ${k1.line}`).sort())
    // Recorded keys are then known in strict mode.
    expect(await checkHostKey({ host: 'x', address: '10.9.0.7', port: 22, file, acceptNew: false }, k1.blob)).toEqual({ ok: true })
  })

  it('sees a known_hosts file changed by another program between two connects, even to the same size', async () => {
    const file = join(dir, 'kh-edited')
    writeFileSync(file, `10.77.0.11 ${k1.line}\n`)
    expect(await checkHostKey(check(file), k1.blob)).toEqual({ ok: true })
    // The host was reinstalled and its line replaced in place (same length: both are ed25519 keys).
    writeFileSync(file, `10.77.0.11 ${k2.line}\n`)
    expect(await checkHostKey(check(file), k2.blob)).toEqual({ ok: true })
    expect((await checkHostKey(check(file), k1.blob)).ok).toBe(false)
    rmSync(file)
    expect((await checkHostKey(check(file), k2.blob)).ok).toBe(false)
  })

  it('sees a same-size rewrite that left the stat as it was (timestamps coarser than the two writes)', async () => {
    const file = join(dir, 'kh-coarse')
    writeFileSync(file, `10.77.0.11 ${k1.line}\n`)
    // Within one timestamp tick: the rewrite keeps inode, size, mtime and ctime.
    const frozen = statSync(file, { bigint: true })
    const real = vi.mocked(statSync).getMockImplementation()!
    vi.mocked(statSync).mockImplementation(((f: string, o?: object) => (f === file ? frozen : real(f, o))) as typeof statSync)
    try {
      expect(await checkHostKey(check(file), k1.blob)).toEqual({ ok: true })
      writeFileSync(file, `10.77.0.11 ${k2.line}\n`)
      expect(await checkHostKey(check(file), k2.blob)).toEqual({ ok: true })
    } finally {
      vi.mocked(statSync).mockImplementation(real)
    }
  })

  it('appends after an existing last line without a newline', async () => {
    const file = join(dir, 'kh-nonl')
    writeFileSync(file, `a ${k1.line}`)
    await appendEntry(file, `b ${k2.line}`)
    expect(readFileSync(file, 'utf8')).toBe(`a ${k1.line}\nb ${k2.line}\n`)
  })
})
