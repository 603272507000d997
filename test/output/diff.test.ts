import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { unifiedDiff } from '../../src/output/diff.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-diff-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Applies our diff with GNU patch: the user-visible promise is that the diff is a correct patch. */
function applyWithPatch(before: string, diff: string): string {
  const file = join(dir, 'f')
  writeFileSync(file, before)
  writeFileSync(join(dir, 'p'), `${diff}\n`)
  execFileSync('patch', ['-s', '--no-backup-if-mismatch', file, join(dir, 'p')])
  return readFileSync(file, 'utf8')
}

/** Hunks as GNU `diff -u` writes them (headers dropped). */
function gnuHunks(before: string, after: string): string {
  writeFileSync(join(dir, 'a'), before)
  writeFileSync(join(dir, 'b'), after)
  try {
    execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')])
    return ''
  } catch (err) {
    return String((err as { stdout: Buffer }).stdout).split('\n').slice(2).join('\n').trimEnd()
  }
}

const lines = (n: number, f = (i: number) => `line ${i}`): string => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('')

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', '/etc/x')).toBe('')
  })

  it('writes the before/after headers and GNU diff -u hunks with three lines of context', () => {
    const before = lines(20)
    const after = before.replace('line 5\n', 'line five\n').replace('line 15\n', '').replace('line 20\n', 'line 20\nline 21\n')
    const diff = unifiedDiff(before, after, '/var/lib/pgsql/13/data/postgresql.conf')
    const [head1, head2, ...hunks] = diff.split('\n')
    expect(head1).toBe('--- before: /var/lib/pgsql/13/data/postgresql.conf')
    expect(head2).toBe('+++ after: /var/lib/pgsql/13/data/postgresql.conf')
    expect(hunks.join('\n')).toBe(gnuHunks(before, after))
    expect(hunks.filter((l) => l.startsWith('@@'))).toEqual(['@@ -2,7 +2,7 @@', '@@ -12,9 +12,9 @@'])
  })

  it('diffs a created file, a removed file and a missing final newline like GNU diff', () => {
    for (const [before, after] of [['', 'a\nb\n'], ['a\nb\n', ''], ['a\nb', 'a\nb\n'], ['x\ny\nz', 'x\nY\nz']]) {
      expect(unifiedDiff(before, after).split('\n').slice(2).join('\n')).toBe(gnuHunks(before, after))
    }
  })

  it('produces a patch that turns before into after, for many random edits', () => {
    let seed = 7
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let round = 0; round < 60; round++) {
      const a = Array.from({ length: rand(40) }, () => `k${rand(8)}\n`)
      const b = a.flatMap((l) => (rand(5) === 0 ? [] : rand(6) === 0 ? [l, `new${rand(9)}\n`] : rand(7) === 0 ? [`chg${rand(9)}\n`] : [l]))
      const before = a.join('')
      const after = b.join('')
      const diff = unifiedDiff(before, after, 'f')
      if (before === after) expect(diff).toBe('')
      else expect(applyWithPatch(before, diff)).toBe(after)
    }
  })

  it('shows a large file rewritten whole as one hunk that replaces every line (the search stops at its work budget)', () => {
    const before = lines(5000, (i) => `old ${i}`)
    const after = lines(5000, (i) => `new ${i}`)
    // Without the budget, the search over 5000 x 5000 lines would want gigabytes and never finish in the test's time.
    const diff = unifiedDiff(before, after, 'big')
    const body = diff.split('\n').slice(2)
    expect(body[0]).toBe('@@ -1,5000 +1,5000 @@')
    expect(body.slice(1, 5001).every((l) => l.startsWith('-old '))).toBe(true)
    expect(body.slice(5001).every((l) => l.startsWith('+new '))).toBe(true)
    expect(applyWithPatch(before, diff)).toBe(after)
  })
})
