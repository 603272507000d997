// find on a real directory tree through LocalTransport: the files a user would expect by pattern, type,
// hidden, depth, size, age and content, in os.walk's order, with Ansible's result keys.
import { createHash } from 'node:crypto'
import { mkdirSync, utimesSync, writeFileSync, symlinkSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, tempDir } from './file-host.js'

function tree(): string {
  const d = tempDir()
  mkdirSync(`${d}/conf.d/.hidden`, { recursive: true })
  mkdirSync(`${d}/conf.d/deep/deeper`, { recursive: true })
  writeFileSync(`${d}/a.conf`, 'listen = 1\n')
  writeFileSync(`${d}/b.log`, 'x'.repeat(2048))
  writeFileSync(`${d}/.secret.conf`, 's\n')
  writeFileSync(`${d}/conf.d/c.conf`, '# port = 1\nport = 5432\n')
  writeFileSync(`${d}/conf.d/.hidden/h.conf`, 'h\n')
  writeFileSync(`${d}/conf.d/deep/deeper/d.conf`, 'd\n')
  symlinkSync(`${d}/a.conf`, `${d}/link.conf`)
  return d
}

const paths = (r: { result: Record<string, unknown> }, d: string): string[] =>
  (r.result.files as { path: string }[]).map((f) => f.path.slice(d.length + 1)).sort()

describe('find on a real tree', () => {
  it('matches base names with globs, skips hidden names, and stays at the top without recurse', async () => {
    const d = tree()
    const r = await onHost('find', { paths: d, patterns: '*.conf' })
    expect(paths(r, d)).toEqual(['a.conf'])
    expect(r.result.matched).toBe(1)
    expect(r.result.examined).toBe(5)
    expect(r.result.msg).toBe('All paths examined')
    const f = (r.result.files as Record<string, unknown>[])[0]
    expect(f).toMatchObject({ isreg: true, isdir: false, islnk: false, size: 11, pw_name: 'root', rusr: true, mode: '0644' })
  })
  it('walks down with recurse, still into hidden directories (as Ansible does), and with hidden shows hidden names', async () => {
    const d = tree()
    expect(paths(await onHost('find', { path: d, pattern: ['*.conf'], recurse: true }), d)).toEqual(['a.conf', 'conf.d/.hidden/h.conf', 'conf.d/c.conf', 'conf.d/deep/deeper/d.conf'])
    expect(paths(await onHost('find', { paths: [d], patterns: ['*.conf'], recurse: true, hidden: true }), d)).toEqual([
      '.secret.conf', 'a.conf', 'conf.d/.hidden/h.conf', 'conf.d/c.conf', 'conf.d/deep/deeper/d.conf',
    ])
  })
  it('limits depth, filters by type, size, content and regex, and reports a missing path as skipped', async () => {
    const d = tree()
    expect(paths(await onHost('find', { paths: d, recurse: true, depth: 2, patterns: '*.conf' }), d)).toEqual(['a.conf', 'conf.d/c.conf'])
    expect(paths(await onHost('find', { paths: d, file_type: 'directory', recurse: true }), d)).toEqual(['conf.d', 'conf.d/deep', 'conf.d/deep/deeper'])
    expect(paths(await onHost('find', { paths: d, file_type: 'link' }), d)).toEqual(['link.conf'])
    expect(paths(await onHost('find', { paths: d, size: '1k' }), d)).toEqual(['b.log'])
    expect(paths(await onHost('find', { paths: d, recurse: true, contains: 'port = \\d+' }), d)).toEqual(['conf.d/c.conf'])
    expect(paths(await onHost('find', { paths: d, use_regex: true, patterns: '^[ab]\\.', excludes: 'b' }), d)).toEqual(['a.conf'])
    utimesSync(`${d}/a.conf`, new Date('2000-01-01'), new Date('2000-01-01'))
    expect(paths(await onHost('find', { paths: d, age: '4w' }), d)).toEqual(['a.conf'])
    const missing = await onHost('find', { paths: [`${d}/none`, d], patterns: 'a.conf' })
    expect(missing.result.skipped_paths).toEqual({ [`${d}/none`]: `'${d}/none' is not a directory` })
    expect(missing.result.msg).toBe('Not all paths examined, check warnings for details')
    expect(paths(missing, d)).toEqual(['a.conf'])
  })
  it('adds the sha1 checksum of each file when asked', async () => {
    const d = tree()
    const r = await onHost('find', { paths: d, patterns: 'a.conf', get_checksum: true })
    expect((r.result.files as Record<string, unknown>[])[0].checksum).toBe(createHash('sha1').update('listen = 1\n').digest('hex'))
  })
})
