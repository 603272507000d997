// A vitest global setup for both projects: tests that run the command as a user does (node bin/pgha.js)
// need dist/pgha.cjs built from the sources under test. `npm test` builds first; a direct `vitest run`
// builds here when a source is newer than the bundle, and fails at once when the build does not leave a
// fresh bundle, rather than letting tests run yesterday's code.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const REPO = resolve(__dirname, '..')
export const BIN = join(REPO, 'bin', 'pgha.js')
const BUNDLE = join(REPO, 'dist', 'pgha.cjs')

/** The newest modification time among the files the bundle is built from. */
function newestSource(): number {
  let newest = 0
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else newest = Math.max(newest, statSync(path).mtimeMs)
    }
  }
  walk(join(REPO, 'src'))
  for (const f of ['bin/load-bundle.js', 'scripts/bundle.js', 'scripts/train-code-cache.js', 'package.json']) newest = Math.max(newest, statSync(join(REPO, f)).mtimeMs)
  return newest
}

const fresh = (): boolean => (statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= newestSource()

export default function setup(): void {
  if (fresh()) return
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8' })
  if (!fresh()) throw new Error(`npm run build did not leave a fresh dist/pgha.cjs:\n${build.stdout}${build.stderr}`)
}
