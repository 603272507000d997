// replace on real files through LocalTransport: every match replaced with Python's backreference syntax,
// only inside after/before, nothing planned the second time, check mode leaves the file alone.
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { onHost, planned, tempDir } from './file-host.js'
import { getModule } from '../../src/modules/index.js'
import { resolveAliases } from '../../src/modules/aliases.js'

describe('replace on a real file', () => {
  it('replaces every match with \\1 and \\g<name>, then plans nothing', async () => {
    const d = tempDir()
    const path = `${d}/pg.conf`
    writeFileSync(path, "#port = 5432\nlisten = 'a'\n#port = 6543\n")
    const args = { path, regexp: '^#(?P<key>port) = (\\d+)$', replace: '\\g<key> = \\2 # was commented' }
    const first = await onHost('replace', args)
    expect(planned(first)).toEqual([`update ${path}`])
    expect(first.result.msg).toBe('2 replacements made')
    expect(readFileSync(path, 'utf8')).toBe("port = 5432 # was commented\nlisten = 'a'\nport = 6543 # was commented\n")
    const second = await onHost('replace', args)
    expect(second.plan.changes).toEqual([])
    expect(second.result.msg).toBe('')
  })
  it('changes only the section between after and before', async () => {
    const d = tempDir()
    const path = `${d}/hosts`
    writeFileSync(path, 'x=1\n[db]\nx=1\n[web]\nx=1\n')
    await onHost('replace', { dest: path, regexp: '^x=1$', replace: 'x=2', after: '\\[db\\]', before: '\\[web\\]' })
    expect(readFileSync(path, 'utf8')).toBe('x=1\n[db]\nx=2\n[web]\nx=1\n')
  })
  it('says so when after/before do not match, and leaves the file in check mode', async () => {
    const d = tempDir()
    const path = `${d}/f`
    writeFileSync(path, 'a\n')
    const none = await onHost('replace', { path, regexp: 'a', replace: 'b', after: 'nomatch' })
    expect(none.plan.changes).toEqual([])
    expect(none.result.msg).toBe('Pattern for before/after params did not match the given file: nomatch(?P<subsection>.*)')
    const check = await onHost('replace', { path, regexp: 'a', replace: 'b' }, { check: true })
    expect(check.plan.changes[0].after).toBe('b\n')
    expect(readFileSync(path, 'utf8')).toBe('a\n')
  })
  it('fails on a missing file, and refuses a path given twice under its aliases', async () => {
    const d = tempDir()
    await expect(onHost('replace', { path: `${d}/none`, regexp: 'a' })).rejects.toThrow(/does not exist/)
    const { clashes } = resolveAliases(getModule('replace')!, { path: '/a', dest: '/b', regexp: 'x' })
    expect(clashes).toEqual([['path', 'dest']])
  })
})
