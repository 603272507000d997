// The launcher's code cache (bin/load-bundle.js): used only for the build it was made for. V8 itself checks
// no more than the source's length, and runs the cached code of another source of that length, which
// the first test shows; the build line is what keeps a stale cache from running old code.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Script } from 'node:vm'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error: plain JavaScript without declarations
import { loadBundle, saveCache } from '../../bin/load-bundle.js'
import { REPO } from '../built.js'

const dir = mkdtempSync(join(tmpdir(), 'pgha-bundle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A one-line bundle whose main returns `value`, with the build line the build script appends. */
function bundle(name: string, value: number, build: string): string {
  const file = join(dir, name)
  writeFileSync(file, `module.exports.main = async () => ${value}\n// pgha build ${build}\n`)
  return file
}

describe('the code cache of the bundle', () => {
  it('V8 alone runs a cache made for another source of the same length (the hazard)', () => {
    const old = new Script('(function () { return 1111 })')
    old.runInThisContext()()
    const other = new Script('(function () { return 2222 })', { cachedData: old.createCachedData() })
    expect(other.cachedDataRejected).toBe(false)
    expect(other.runInThisContext()()).toBe(1111)
  })

  it('is written after a load, used by the next load of the same build, and ignored by another build', async () => {
    const file = bundle('pgha.cjs', 1, 'aaaaaaaaaaaaaaaa')
    const first = loadBundle(file)
    expect(first.cached).toBe(false)
    expect(await first.exports.main([])).toBe(1)
    saveCache(first, file)
    expect(existsSync(`${file}.cache`)).toBe(true)
    const again = loadBundle(file)
    expect(again.cached).toBe(true)
    expect(await again.exports.main([])).toBe(1)
    // A rebuild of the same length: the old cache must not run.
    bundle('pgha.cjs', 2, 'bbbbbbbbbbbbbbbb')
    const rebuilt = loadBundle(file)
    expect(rebuilt.cached).toBe(false)
    expect(await rebuilt.exports.main([])).toBe(2)
  })

  it('is not used for a bundle without a build line', () => {
    const file = join(dir, 'plain.cjs')
    writeFileSync(file, 'module.exports.main = async () => 3\n')
    expect(loadBundle(file).cached).toBe(false)
  })

  // The launcher reads a pure-ASCII bundle as latin1 (one byte per character); any other must still be UTF-8.
  it('reads a bundle with characters outside ASCII as UTF-8', async () => {
    const file = join(dir, 'accented.cjs')
    // é read as latin1 would be two characters (Ã©), the em dash three.
    writeFileSync(file, "module.exports.main = async () => '\u00e9'.charCodeAt(0) * 10 + '\u2014'.length\n")
    expect(await loadBundle(file).exports.main([])).toBe(2331)
  })

  it('the built dist/pgha.cjs starts from the cache its build trained', () => {
    const script = `import { loadBundle } from ${JSON.stringify(join(REPO, 'bin/load-bundle.js'))}; const b = loadBundle(); process.stdout.write(JSON.stringify({ cached: b.cached, main: typeof b.exports.main }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ cached: true, main: 'function' })
  })
})
